using Voltgate.Core.Access;
using Voltgate.Core.Dashboard;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

internal static class DashboardApi
{
    public static void MapDashboardApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/v1/dashboard", async (DashboardService dashboard, IStationPresence presence, ITenantContext tenant, CancellationToken ct) =>
            {
                // Online on any node of a cluster.
                var online = await presence.OnlineNowAsync(tenant.TenantId!.Value, ct);
                return TypedResults.Ok(await dashboard.GetAsync(online, ct));
            })
            .WithTags("Dashboard")
            .WithSummary("Stations online/offline/faulted, failed handshakes in the last hour, active transactions, energy today")
            .RequireRight(Right.DashboardView);
}
