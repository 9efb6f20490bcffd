using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;
using Voltgate.Core.Persistence;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;
using Voltgate.Ocpp.V16;
using StationRegistration = Voltgate.Core.Stations.RegistrationStatus;
using V16Registration = Voltgate.Ocpp.V16.RegistrationStatus;

namespace Voltgate.Core.OcppHandlers.V16;

/// <summary>
/// Stores what the station says about itself and answers with the registration status the operator set.
/// Not accepted: the interval is how long the station waits before booting again.
/// </summary>
public sealed class BootNotificationHandler(OcppWriteBatcher writer, TenantDirectory tenants, IStationDirectory directory, TimeProvider time)
    : V16Handler<BootNotificationRequest, BootNotificationResponse>
{
    private const int RetryIntervalSeconds = 60;

    public override async Task<BootNotificationResponse> HandleAsync(OcppStationContext station, BootNotificationRequest request, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var seen = await directory.FindAsync(station.TenantId, station.Identity, ct);
        // Through the write batcher: a boot storm after an outage becomes a few commits, not one per station.
        var registration = await writer.WriteBootAsync(station.StationId, request.ChargePointVendor, request.ChargePointModel,
            request.ChargePointSerialNumber ?? request.ChargeBoxSerialNumber, request.FirmwareVersion, now, ct);
        // The boot read the stored registration status; the directory takes it over instead of being emptied, so
        // the station's next message needs no query (it used to cost one per connecting station). With no entry
        // read before, there is nothing stale to replace: the next lookup reads the database.
        if (seen is not null)
        {
            directory.UpdateRegistrationStatus(seen, registration);
        }

        var settings = (await tenants.FindAsync(station.TenantId, ct))?.Settings;
        var status = registration switch
        {
            StationRegistration.Accepted => V16Registration.Accepted,
            StationRegistration.Pending => V16Registration.Pending,
            _ => V16Registration.Rejected,
        };
        return new BootNotificationResponse
        {
            Status = status,
            CurrentTime = now,
            Interval = status == V16Registration.Accepted ? settings?.HeartbeatIntervalSeconds ?? 300 : RetryIntervalSeconds,
        };
    }
}

/// <summary>
/// Answers the current time. Liveness is tracked by the connection itself (last frame seen), so a heartbeat costs no
/// database write; its payload is always <c>{}</c> (the schema allows nothing else), so nothing is deserialised.
/// </summary>
public sealed class HeartbeatHandler(TimeProvider time) : IV16PayloadHandler
{
    public ValueTask<byte[]> HandleAsync(OcppStationContext station, JsonElement payload, CancellationToken ct) =>
        ValueTask.FromResult(JsonSerializer.SerializeToUtf8Bytes(new HeartbeatResponse { CurrentTime = time.GetUtcNow() }, V16JsonContext.Default.HeartbeatResponse));
}

/// <summary>Upserts the connector's status through the write batcher; answered once committed.</summary>
public sealed class StatusNotificationHandler(OcppWriteBatcher writer, TimeProvider time, IStationEvents events) : V16Handler<StatusNotificationRequest, StatusNotificationResponse>
{
    private static readonly StatusNotificationResponse Response = new();

    public override async Task<StatusNotificationResponse> HandleAsync(OcppStationContext station, StatusNotificationRequest request, CancellationToken ct)
    {
        var status = new ConnectorStatus
        {
            TenantId = station.TenantId,
            StationId = station.StationId,
            ConnectorId = request.ConnectorId,
            Status = SpecNames.Of(request.Status),
            ErrorCode = SpecNames.Of(request.ErrorCode),
            Info = request.Info,
            VendorErrorCode = request.VendorErrorCode,
            Timestamp = request.Timestamp ?? time.GetUtcNow(),
        };
        await writer.WriteStatusAsync(status, ct);
        events.Publish(new StationEvent(station.TenantId, station.Identity, StationEventKind.ConnectorStatus, time.GetUtcNow(), request.ConnectorId, status.Status));
        return Response;
    }
}
