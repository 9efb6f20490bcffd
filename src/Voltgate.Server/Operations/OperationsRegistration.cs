using System.Net.WebSockets;
using Voltgate.Core.Retention;
using Voltgate.Core.Tenancy;
using Voltgate.Server.Ocpp;

namespace Voltgate.Server.Operations;

/// <summary>Tenant administration and data retention (docs/operations.md).</summary>
internal static class OperationsRegistration
{
    public static IServiceCollection AddVoltgateOperations(this IServiceCollection services, RetentionOptions retention)
    {
        services.AddScoped<TenantAdminService>();
        services.AddSingleton<ITenantDeactivationHook, TenantSessionCloser>();
        services.AddRetention(retention);
        return services;
    }
}

/// <summary>
/// Closes this node's live connections of a tenant that was just deactivated. Other nodes refuse the stations at
/// their next handshake (their tenant directory is invalidated through the settings-change notification); a socket
/// they hold stays until it drops.
/// </summary>
internal sealed class TenantSessionCloser(StationSessions sessions) : ITenantDeactivationHook
{
    public async Task TenantDeactivatedAsync(Guid tenantId)
    {
        var closing = sessions.All.Where(c => c.Context.TenantId == tenantId).ToList();
        await Task.WhenAll(closing.Select(c => c.CloseAsync(WebSocketCloseStatus.PolicyViolation, "The tenant is deactivated.")));
    }
}
