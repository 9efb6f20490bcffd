namespace Voltgate.Core.Tenancy;

/// <summary>One customer installation. All other data belongs to exactly one tenant.</summary>
public sealed class Tenant
{
    public const string DefaultSlug = "default";

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Slug { get; init; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// Set when an instance administrator deactivates the tenant: its stations are refused at the front door and its
    /// users cannot sign in. Tenants are never deleted, so their audit trail and data stay readable.
    /// </summary>
    public DateTimeOffset? DeactivatedAt { get; set; }

    public bool Active => DeactivatedAt is null;
}

/// <summary>Marks rows that belong to a tenant; the DbContext filters them by the current tenant.</summary>
internal interface ITenantOwned
{
    Guid TenantId { get; }
}
