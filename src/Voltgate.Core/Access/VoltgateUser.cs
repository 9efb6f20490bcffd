using Microsoft.AspNetCore.Identity;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Access;

/// <summary>A backend user. Deactivated, never deleted, so the audit trail stays readable.</summary>
public sealed class VoltgateUser : IdentityUser<Guid>, ITenantOwned
{
    public VoltgateUser() => Id = Guid.CreateVersion7();

    public Guid TenantId { get; set; }
    public Guid CompanyId { get; set; }
    public string? DisplayName { get; set; }
    public bool Active { get; set; } = true;
    public string PreferredLanguage { get; set; } = "en";
    public DateTimeOffset CreatedAt { get; set; }
}
