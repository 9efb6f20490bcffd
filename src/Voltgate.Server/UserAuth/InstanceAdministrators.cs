using Voltgate.Core.Access;
using Voltgate.Core.Tenancy;

namespace Voltgate.Server.UserAuth;

/// <summary>
/// Who sees instance-wide diagnostics (refusals before any tenant's station is known): a user of tenant
/// <c>default</c> with <see cref="Right.InstanceTenants"/> — the bootstrap Administrators. The tenant check stays
/// even though other tenants' callers never hold instance rights: the data belongs to no tenant.
/// </summary>
internal sealed class InstanceAdministrators(CurrentUser current, TenantContext tenant, TenantDirectory tenants)
{
    public async Task<bool> IsCallerAsync(CancellationToken ct)
    {
        if (!current.Has(Right.InstanceTenants) || tenant.TenantId is not { } callerTenant)
        {
            return false;
        }

        var instance = await tenants.FindAsync(Tenant.DefaultSlug, ct);
        return instance is not null && instance.Id == callerTenant;
    }
}
