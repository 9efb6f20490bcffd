using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Access;

/// <summary>An organisational unit of a tenant; companies form a tree.</summary>
public sealed class Company : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; init; }
    public required string Name { get; set; }
    public Guid? ParentId { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}
