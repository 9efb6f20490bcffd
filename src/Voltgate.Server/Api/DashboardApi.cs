using Voltgate.Core.Access;
using Voltgate.Core.Dashboard;
using Voltgate.Core.Tenancy;
using Voltgate.Server.Ocpp;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

internal static class DashboardApi
{
    public static void MapDashboardApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/v1/dashboard", async (DashboardService dashboard, StationSessions sessions, ITenantContext tenant, CancellationToken ct) =>
            {
                var tenantId = tenant.TenantId!.Value;
                return TypedResults.Ok(await dashboard.GetAsync(identity => sessions.Find(tenantId, identity) is not null, ct));
            })
            .WithTags("Dashboard")
            .WithSummary("Stations online/offline/faulted, failed handshakes in the last hour, active transactions, energy today")
            .RequireRight(Right.DashboardView);
}
