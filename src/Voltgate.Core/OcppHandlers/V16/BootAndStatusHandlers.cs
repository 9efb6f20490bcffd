using System.Text.Json;
using Voltgate.Core.Stations;
using Voltgate.Ocpp.V16;
using StationRegistration = Voltgate.Core.Stations.RegistrationStatus;
using V16Registration = Voltgate.Ocpp.V16.RegistrationStatus;

namespace Voltgate.Core.OcppHandlers.V16;

/// <summary>Maps BootNotification onto the station's boot and its registration status back.</summary>
internal sealed class BootNotificationHandler(StationBootService boots) : V16Handler<BootNotificationRequest, BootNotificationResponse>
{
    public override async Task<BootNotificationResponse> HandleAsync(OcppStationContext station, BootNotificationRequest request, CancellationToken ct)
    {
        var boot = await boots.BootAsync(station.Station, new BootReport(request.ChargePointVendor, request.ChargePointModel,
            request.ChargePointSerialNumber ?? request.ChargeBoxSerialNumber, request.FirmwareVersion), ct);
        var status = boot.Status switch
        {
            StationRegistration.Accepted => V16Registration.Accepted,
            StationRegistration.Pending => V16Registration.Pending,
            _ => V16Registration.Rejected,
        };
        return new BootNotificationResponse { Status = status, CurrentTime = boot.At, Interval = boot.IntervalSeconds };
    }
}

/// <summary>
/// Answers the current time. Liveness is tracked by the connection itself (last frame seen), so a heartbeat costs no
/// database write; its payload is always <c>{}</c> (the schema allows nothing else), so nothing is deserialised.
/// </summary>
internal sealed class HeartbeatHandler(TimeProvider time) : IV16PayloadHandler
{
    public ValueTask<byte[]> HandleAsync(OcppStationContext station, JsonElement payload, CancellationToken ct) =>
        ValueTask.FromResult(JsonSerializer.SerializeToUtf8Bytes(new HeartbeatResponse { CurrentTime = time.GetUtcNow() }, V16JsonContext.Default.HeartbeatResponse));
}

/// <summary>Maps StatusNotification onto the connector's status; answered once it is committed.</summary>
/// <remarks>Implements <see cref="IV16Handler"/> itself: one async layer fewer per message than <see cref="V16Handler{TRequest, TResponse}"/>.</remarks>
internal sealed class StatusNotificationHandler(ConnectorStatusService statuses) : IV16Handler
{
    private static readonly StatusNotificationResponse Response = new();

    public async Task<object> HandleAsync(OcppStationContext station, object request, CancellationToken ct)
    {
        var r = (StatusNotificationRequest)request;
        await statuses.ReportAsync(station.Station,
            new ConnectorStatusReport(r.ConnectorId, SpecNames.Of(r.Status), SpecNames.Of(r.ErrorCode), r.Info, r.VendorErrorCode, r.Timestamp), ct);
        return Response;
    }
}
