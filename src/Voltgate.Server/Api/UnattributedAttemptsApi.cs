using Voltgate.Core.Access;
using Voltgate.Core.Stations;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

internal sealed record UnattributedAttemptDto(DateTimeOffset At, DateTimeOffset LastAt, int Count, string SourceAddress, string Endpoint, UnattributedReason Reason, string? Detail);

/// <summary>Refusals before a station is known (network, not an upgrade, path, tenant, TLS), for instance administrators.</summary>
internal static class UnattributedAttemptsApi
{
    public const string Path = "/api/v1/diagnostics/unattributed-attempts";

    public static void MapUnattributedAttemptsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(Path, ListAsync).RequireRight(Right.InstanceTenants).WithTags("Diagnostics")
            .WithSummary("Handshakes refused before a station was known, per source address, endpoint, reason and minute (instance administrators)")
            .Produces<Page<UnattributedAttemptDto>>()
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    private static async Task<IResult> ListAsync(int? skip, int? take, InstanceAdministrators admins, UnattributedAttemptQuery query, CancellationToken ct)
    {
        if (!await admins.IsCallerAsync(ct))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "instance administrators only",
                detail: "Unattributed attempts belong to no tenant: only the administrators of tenant 'default' see them.");
        }

        var (s, t) = ApiErrors.Paging(skip, take);
        var (items, total) = await query.ListAsync(s, t, ct);
        return TypedResults.Ok(new Page<UnattributedAttemptDto>(
            items.Select(a => new UnattributedAttemptDto(a.At, a.LastAt, a.Count, a.SourceAddress, a.Endpoint, a.Reason, a.Detail)).ToList(), total));
    }
}
