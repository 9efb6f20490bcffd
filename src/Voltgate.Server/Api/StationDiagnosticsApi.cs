using Voltgate.Core.Access;
using Voltgate.Core.Stations;
using Voltgate.Server.Texts;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

internal sealed record ConnectorDto(int ConnectorId, string Status, string ErrorCode, string? Info, string? VendorErrorCode, DateTimeOffset Timestamp);

/// <summary>A station's connectors and its connection diagnostics (attempts with explanation and fix hint).</summary>
internal static class StationDiagnosticsApi
{
    public static void MapStationDiagnosticsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/stations").WithTags("Stations");
        group.MapGet("/{identity}/connectors", ConnectorsAsync).RequireRight(Right.StationsView)
            .WithSummary("The last reported status of each connector (0 = the station itself)").Produces<Page<ConnectorDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{identity}", DeactivateAsync).RequireRight(Right.StationsManage)
            .WithSummary("Deactivates the station (it can no longer connect); stations are never deleted, so their history stays").Produces<StationDto>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    internal static async Task<IResult> AttemptsAsync(string identity, int? skip, int? take, string? lang, ConnectionAttemptQuery attempts, DiagnosticsWording wording, CancellationToken ct)
    {
        var (s, t) = ApiErrors.Paging(skip, take);
        var result = await attempts.ListAsync(StationsApi.DecodeIdentity(identity), s, t, ct);
        if (!result.IsSuccess)
        {
            return result.Error!.ToProblem();
        }

        var (items, total) = result.Value;
        var culture = Languages.Culture(lang);
        return TypedResults.Ok(new Page<ConnectionAttemptDto>(items.Select(e => ToDto(e, wording.Word(e.Explanation, culture))).ToList(), total));
    }

    private static ConnectionAttemptDto ToDto(ExplainedAttempt e, WordedExplanation worded)
    {
        var a = e.Attempt;
        return new ConnectionAttemptDto(a.At, a.SourceAddress, a.Variant, a.Endpoint, a.OfferedSubprotocols.Split(',', StringSplitOptions.RemoveEmptyEntries),
            a.Protocol, a.Result, a.Reason, a.PresentedUsername, a.PasswordId, worded.Explanation, worded.Hint, a.Count, a.LastAt);
    }

    private static async Task<IResult> ConnectorsAsync(string identity, StationService stations, StationQueries queries, CancellationToken ct)
    {
        var station = await stations.GetAsync(StationsApi.DecodeIdentity(identity), ct);
        if (!station.IsSuccess)
        {
            return station.Error!.ToProblem();
        }

        var connectors = (await queries.ConnectorsAsync([station.Value!.Id], ct))[station.Value.Id]
            .Select(c => new ConnectorDto(c.ConnectorId, c.Status, c.ErrorCode, c.Info, c.VendorErrorCode, c.Timestamp)).ToList();
        return TypedResults.Ok(new Page<ConnectorDto>(connectors, connectors.Count));
    }

    private static async Task<IResult> DeactivateAsync(string identity, StationService stations, StationViewQuery views, CancellationToken ct)
    {
        var result = await stations.UpdateAsync(StationsApi.DecodeIdentity(identity), new UpdateStationCommand(null, null, null, null, null, false), ct);
        return result.IsSuccess ? TypedResults.Ok(StationsApi.ToDto(views.View(result.Value!))) : result.Error!.ToProblem();
    }
}
