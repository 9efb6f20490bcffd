using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Access;

public enum DataScope
{
    Instance,
    Company,
    CompanyTree,
}

/// <summary>A set of rights plus the data scope its members see.</summary>
public sealed class Group : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; init; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public DataScope DataScope { get; set; } = DataScope.Company;
    public Guid CompanyId { get; set; }
    public List<GroupRight> Rights { get; init; } = [];
    public List<GroupMember> Members { get; init; } = [];
}

public sealed class GroupRight
{
    public Guid GroupId { get; init; }
    public Right Right { get; init; }
}

public sealed class GroupMember
{
    public Guid GroupId { get; init; }
    public Guid UserId { get; init; }
}
