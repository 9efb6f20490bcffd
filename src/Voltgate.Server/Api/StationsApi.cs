using Voltgate.Core.Access;
using Voltgate.Core.Stations;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

internal sealed record ConnectionDto(bool Online, DateTimeOffset? Since, DateTimeOffset? LastSeen, string? Protocol, string? Variant, Guid? PasswordId);

internal sealed record StationDto(
    string Identity,
    Guid CompanyId,
    IReadOnlyList<string> AllowedVariants,
    RegistrationStatus RegistrationStatus,
    IReadOnlyList<Guid> PinnedPasswordIds,
    bool Active,
    string? Note,
    string? Vendor,
    string? Model,
    string? SerialNumber,
    string? FirmwareVersion,
    DateTimeOffset CreatedAt,
    ConnectionDto Connection);

internal sealed record CreateStationRequest(string? Identity, Guid? CompanyId, IReadOnlyList<string>? AllowedVariants, RegistrationStatus? RegistrationStatus, IReadOnlyList<Guid>? PinnedPasswordIds, string? Note);

internal sealed record UpdateStationRequest(Guid? CompanyId, IReadOnlyList<string>? AllowedVariants, RegistrationStatus? RegistrationStatus, IReadOnlyList<Guid>? PinnedPasswordIds, string? Note, bool? Active);

internal sealed record ConnectionAttemptDto(
    DateTimeOffset At,
    string SourceAddress,
    string Variant,
    string Endpoint,
    IReadOnlyList<string> OfferedSubprotocols,
    string? Protocol,
    ConnectionResult Result,
    RefusalReason Reason,
    string? PresentedUsername = null,
    Guid? PasswordId = null,
    string? Explanation = null,
    string? Hint = null,
    int Count = 1,
    DateTimeOffset? LastAt = null);

/// <summary>
/// Filters of GET /api/v1/stations: free text (identity, vendor, model, serial, note), online, registration status,
/// company, variant, vendor, model; <c>sort</c> = <c>identity</c> (default), <c>online</c> (online first) or
/// <c>-online</c> (offline first). Online means on any node of a cluster.
/// </summary>
internal sealed record StationListQuery(int? Skip, int? Take, string? Search, bool? Online, RegistrationStatus? RegistrationStatus, Guid? CompanyId, string? Variant, string? Vendor, string? Model, string? Sort = null);

internal static class StationsApi
{
    public static void MapStationsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/stations").WithTags("Stations");
        group.MapGet("/", ListAsync).RequireRight(Right.StationsView).Produces<Page<StationDto>>();
        group.MapPost("/", CreateAsync).RequireRight(Right.StationsManage).Produces<StationDto>(StatusCodes.Status201Created).ProducesProblems(400, 409);
        group.MapGet("/{identity}", GetAsync).RequireRight(Right.StationsView).Produces<StationDto>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{identity}/password-fit", PasswordFitAsync).RequireRight(Right.StationsView).Produces<Core.OcppSecurity.StationPasswordFit>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The pool entry the station uses and whether it suits the hardware profiles of the station's model");
        group.MapPatch("/{identity}", UpdateAsync).RequireRight(Right.StationsManage).Produces<StationDto>().ProducesProblems(400, 404);
        group.MapGet("/{identity}/connection-attempts", StationDiagnosticsApi.AttemptsAsync).RequireRight(Right.StationsView).Produces<Page<ConnectionAttemptDto>>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Recent handshakes of this identity with result, reason, explanation and fix hint (?lang=en|de), newest first");
    }

    private static async Task<IResult> PasswordFitAsync(string identity, StationService stations, Core.OcppSecurity.PasswordPoolService pool, CancellationToken ct)
    {
        var station = await stations.GetAsync(DecodeIdentity(identity), ct);
        return station.IsSuccess ? TypedResults.Ok(await pool.FitForStationAsync(station.Value!, ct)) : station.Error!.ToProblem();
    }

    /// <summary>Route values keep %2F encoded while other escapes are decoded; decode the rest exactly once.</summary>
    public static string DecodeIdentity(string routeValue) => routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    private static async Task<IResult> ListAsync([AsParameters] StationListQuery q, StationViewQuery views, Core.Tenancy.ITenantContext tenant, CancellationToken ct)
    {
        var (s, t) = ApiErrors.Paging(q.Skip, q.Take);
        StationSort? sort = q.Sort switch
        {
            null or "" or "identity" => StationSort.Identity,
            "online" => StationSort.OnlineFirst,
            "-online" => StationSort.OfflineFirst,
            _ => null,
        };
        if (sort is null)
        {
            return Core.Common.Error.Validation("sort", "invalid", "sort must be identity, online (online first) or -online (offline first).").ToProblem();
        }

        var filter = new StationFilter(q.Search, q.Online, q.RegistrationStatus, q.CompanyId, q.Variant, q.Vendor, q.Model, Sort: sort.Value);
        var (items, total) = await views.SearchAsync(filter, tenant.TenantId!.Value, s, t, clusterWide: true, ct);
        return TypedResults.Ok(new Page<StationDto>(items.Select(ToDto).ToList(), total));
    }

    private static async Task<IResult> CreateAsync(CreateStationRequest request, StationService stations, CurrentUser current, StationViewQuery views, CancellationToken ct)
    {
        var result = await stations.CreateAsync(
            new CreateStationCommand(request.Identity, request.CompanyId, request.AllowedVariants, request.RegistrationStatus, request.PinnedPasswordIds, request.Note),
            current.User!.CompanyId, ct);
        return result.IsSuccess
            ? TypedResults.Created($"/api/v1/stations/{Uri.EscapeDataString(result.Value!.Identity)}", ToDto(views.View(result.Value)))
            : result.Error!.ToProblem();
    }

    private static async Task<IResult> GetAsync(string identity, StationViewQuery views, CancellationToken ct)
    {
        var result = await views.GetAsync(DecodeIdentity(identity), ct);
        return result.IsSuccess ? TypedResults.Ok(ToDto(result.Value!)) : result.Error!.ToProblem();
    }

    private static async Task<IResult> UpdateAsync(string identity, UpdateStationRequest request, StationService stations, StationViewQuery views, CancellationToken ct)
    {
        var result = await stations.UpdateAsync(DecodeIdentity(identity),
            new UpdateStationCommand(request.CompanyId, request.AllowedVariants, request.RegistrationStatus, request.PinnedPasswordIds, request.Note, request.Active), ct);
        return result.IsSuccess ? TypedResults.Ok(ToDto(await views.ClusterWideAsync(result.Value!, ct))) : result.Error!.ToProblem();
    }

    public static StationDto ToDto(StationView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var (s, c) = (view.Station, view.Connection);
        return new StationDto(s.Identity, s.CompanyId, s.AllowedVariants, s.RegistrationStatus, s.PinnedPasswordIds, s.Active, s.Note,
            s.Vendor, s.Model, s.SerialNumber, s.FirmwareVersion, s.CreatedAt,
            new ConnectionDto(c.Online, c.Since, c.LastSeen, c.Protocol, c.Variant, c.PasswordId));
    }
}
