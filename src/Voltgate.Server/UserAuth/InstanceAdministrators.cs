using Voltgate.Core.Access;
using Voltgate.Core.Tenancy;

namespace Voltgate.Server.UserAuth;

/// <summary>
/// Who sees instance-wide diagnostics (refusals before any tenant's station is known): a user of tenant
/// <c>default</c> with <see cref="Right.UsersManage"/> — the bootstrap Administrators. When the right
/// <c>Instance.Tenants</c> exists (issue 18, tenants), this check should use it instead.
/// </summary>
internal sealed class InstanceAdministrators(CurrentUser current, TenantContext tenant, TenantDirectory tenants)
{
    public async Task<bool> IsCallerAsync(CancellationToken ct)
    {
        if (!current.Has(Right.UsersManage) || tenant.TenantId is not { } callerTenant)
        {
            return false;
        }

        var instance = await tenants.FindAsync(Tenant.DefaultSlug, ct);
        return instance is not null && instance.Id == callerTenant;
    }
}
