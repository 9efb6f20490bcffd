using System.Text.Json.Serialization;
using Voltgate.Core.Access;
using Voltgate.Core.DeviceModel;
using Voltgate.Core.StationHistory;
using Voltgate.Core.Stations;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

internal sealed record EvseDto(int Id, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ConnectorId);

internal sealed record ComponentDto(
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Instance,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EvseDto? Evse);

internal sealed record VariableDto(string Name, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Instance);

/// <summary>An attribute; <c>value</c> is null when the station reported none or the variable is a secret (never shown).</summary>
internal sealed record AttributeDto(string Type, string? Value, string? Mutability, bool? Persistent, bool? Constant);

internal sealed record CharacteristicsDto(string DataType, string? Unit, decimal? MinLimit, decimal? MaxLimit, string? ValuesList, bool SupportsMonitoring);

internal sealed record DeviceModelItemDto(ComponentDto Component, VariableDto Variable, IReadOnlyList<AttributeDto> Attributes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CharacteristicsDto? Characteristics, string Source, DateTimeOffset ReportedAt);

internal sealed record StationNoticeDto(string Kind, DateTimeOffset At, DateTimeOffset ReceivedAt, string Code, int? RequestId, string? Subject, string? Detail);

/// <summary>
/// A station's device model (product.md §8: 2.0.1 variables; a 1.6 station's configuration keys under component
/// <c>OCPP16Configuration</c>) and its notification history (security events, events, firmware and log status).
/// </summary>
internal static class StationDeviceModelApi
{
    public static void MapStationDeviceModelApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/stations").WithTags("Stations");
        group.MapGet("/{identity}/device-model", DeviceModelAsync).RequireRight(Right.StationsView)
            .WithSummary("The stored device model: 2.0.1 NotifyReport / GetVariables / SetVariables, or the 1.6 configuration keys under component OCPP16Configuration; secrets have no value")
            .Produces<Page<DeviceModelItemDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{identity}/notices", NoticesAsync).RequireRight(Right.StationsView)
            .WithSummary("The station's notifications, newest first (?kind=SecurityEvent|Event|FirmwareStatus|LogStatus)")
            .Produces<Page<StationNoticeDto>>().ProducesProblems(400, 404);
        group.MapGet("/{identity}/firmware-status", FirmwareAsync).RequireRight(Right.StationsView)
            .WithSummary("The station's firmware status history, newest first")
            .Produces<Page<StationNoticeDto>>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> DeviceModelAsync(string identity, int? skip, int? take, StationService stations, DeviceModelStore store, CancellationToken ct)
    {
        var station = await stations.GetAsync(StationsApi.DecodeIdentity(identity), ct);
        if (!station.IsSuccess)
        {
            return station.Error!.ToProblem();
        }

        var (s, t) = ApiErrors.Paging(skip, take);
        var (items, total) = await store.ListAsync(station.Value!.Id, s, t, ct);
        return TypedResults.Ok(new Page<DeviceModelItemDto>(items.Select(ToDto).ToList(), total));
    }

    private static Task<IResult> FirmwareAsync(string identity, int? skip, int? take, StationService stations, StationNoticeLog notices, CancellationToken ct) =>
        ListAsync(identity, StationNoticeKind.FirmwareStatus, skip, take, stations, notices, ct);

    private static async Task<IResult> NoticesAsync(string identity, string? kind, int? skip, int? take, StationService stations, StationNoticeLog notices, CancellationToken ct)
    {
        if (kind is not null && !Enum.TryParse<StationNoticeKind>(kind, ignoreCase: true, out _))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown kind",
                detail: $"kind must be one of {string.Join(", ", Enum.GetNames<StationNoticeKind>())}.");
        }

        return await ListAsync(identity, kind is null ? null : Enum.Parse<StationNoticeKind>(kind, ignoreCase: true), skip, take, stations, notices, ct);
    }

    private static async Task<IResult> ListAsync(string identity, StationNoticeKind? kind, int? skip, int? take, StationService stations, StationNoticeLog notices, CancellationToken ct)
    {
        var station = await stations.GetAsync(StationsApi.DecodeIdentity(identity), ct);
        if (!station.IsSuccess)
        {
            return station.Error!.ToProblem();
        }

        var (s, t) = ApiErrors.Paging(skip, take);
        var (items, total) = await notices.ListAsync(station.Value!.Id, kind, s, t, ct);
        return TypedResults.Ok(new Page<StationNoticeDto>(items.Select(n => new StationNoticeDto(n.Kind.ToString(), n.At, n.ReceivedAt, n.Code, n.RequestId, n.Subject, n.Detail)).ToList(), total));
    }

    private static DeviceModelItemDto ToDto(DeviceModelView v) => new(
        new ComponentDto(v.Component.Name, v.Component.Instance, v.Component.EvseId is { } e ? new EvseDto(e, v.Component.ConnectorId) : null),
        new VariableDto(v.VariableName, v.VariableInstance),
        v.Attributes.Select(a => new AttributeDto(a.Type, a.Value, a.Mutability, a.Persistent, a.Constant)).ToList(),
        v.Characteristics is { } c ? new CharacteristicsDto(c.DataType, c.Unit, c.MinLimit, c.MaxLimit, c.ValuesList, c.SupportsMonitoring) : null,
        v.Source,
        v.ReportedAt);
}
