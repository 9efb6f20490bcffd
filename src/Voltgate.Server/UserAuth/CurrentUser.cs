using System.Security.Claims;
using Voltgate.Core.Access;
using Voltgate.Core.Tenancy;

namespace Voltgate.Server.UserAuth;

internal static class VoltgateClaims
{
    public const string TenantId = "voltgate:tenant";
    public const string UserId = ClaimTypes.NameIdentifier;
    public const string ApiKeyId = "voltgate:apikey";
}

/// <summary>
/// The signed-in user of this request (or UI circuit), read from the database so that deactivation and rights
/// changes take effect at once (no re-login, no stale token). Also fills <see cref="CallerAccess"/>, which the
/// DbContext's data-scope filters read. A UI circuit calls <see cref="Invalidate"/> on every navigation.
/// </summary>
internal sealed class CurrentUser(CallerAccessLoader loader, CallerAccess access, TenantContext tenant)
{
    private Task<VoltgateUser?>? _loading;

    public VoltgateUser? User { get; private set; }
    public IReadOnlySet<Right> Rights => access.Rights;

    public Task<VoltgateUser?> LoadAsync(Guid userId, CancellationToken ct) => _loading ??= LoadCoreAsync(userId, ct);

    /// <summary>Sets the tenant from the principal's claims and loads its user; null for anonymous or deactivated.</summary>
    public async Task<VoltgateUser?> EnsureAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (!TryRead(principal, out var tenantId, out var userId))
        {
            return null;
        }

        tenant.Set(tenantId);
        return await LoadAsync(userId, ct);
    }

    /// <summary>Forget the loaded user so the next check reads it (and its rights) again.</summary>
    public void Invalidate() => _loading = null;

    public bool Has(Right right) => User is not null && access.Has(right);

    public static bool TryRead(ClaimsPrincipal principal, out Guid tenantId, out Guid userId)
    {
        userId = Guid.Empty;
        return Guid.TryParse(principal.FindFirst(VoltgateClaims.TenantId)?.Value, out tenantId)
            & Guid.TryParse(principal.FindFirst(VoltgateClaims.UserId)?.Value, out userId)
            && principal.Identity?.IsAuthenticated == true;
    }

    private async Task<VoltgateUser?> LoadCoreAsync(Guid userId, CancellationToken ct)
    {
        User = await loader.LoadAsync(userId, ct);
        return User;
    }
}
