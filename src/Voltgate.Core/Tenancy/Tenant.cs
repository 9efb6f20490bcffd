namespace Voltgate.Core.Tenancy;

/// <summary>One customer installation. All other data belongs to exactly one tenant.</summary>
public sealed class Tenant
{
    public const string DefaultSlug = "default";

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Slug { get; init; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Marks rows that belong to a tenant; the DbContext filters them by the current tenant.</summary>
internal interface ITenantOwned
{
    Guid TenantId { get; }
}
