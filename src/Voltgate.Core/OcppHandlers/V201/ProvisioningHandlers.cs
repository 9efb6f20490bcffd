using System.Globalization;
using System.Text.Json;
using Voltgate.Core.IdTags;
using Voltgate.Core.OcppHandlers.V16;
using Voltgate.Core.Stations;
using Voltgate.Core.Transactions;
using Voltgate.Ocpp.V201;
using StationRegistration = Voltgate.Core.Stations.RegistrationStatus;

namespace Voltgate.Core.OcppHandlers.V201;

/// <summary>BootNotification onto the same boot rules as 1.6 (registration status and interval).</summary>
internal sealed class BootNotificationHandler(StationBootService boots) : V201Handler<BootNotificationRequest, BootNotificationResponse>
{
    public override async Task<BootNotificationResponse> HandleAsync(OcppStationContext station, BootNotificationRequest request, CancellationToken ct)
    {
        var cs = request.ChargingStation;
        var boot = await boots.BootAsync(station.Station, new BootReport(cs.VendorName, cs.Model, cs.SerialNumber, cs.FirmwareVersion), ct);
        var status = boot.Status switch
        {
            StationRegistration.Accepted => RegistrationStatusEnumType.Accepted,
            StationRegistration.Pending => RegistrationStatusEnumType.Pending,
            _ => RegistrationStatusEnumType.Rejected,
        };
        return new BootNotificationResponse { Status = status, CurrentTime = boot.At, Interval = boot.IntervalSeconds };
    }
}

/// <summary>Liveness is tracked by the connection itself; a heartbeat only answers the time (its empty request is not read).</summary>
internal sealed class HeartbeatHandler(TimeProvider time) : IV201PayloadHandler
{
    public ValueTask<byte[]> HandleAsync(OcppStationContext station, JsonElement payload, CancellationToken ct) =>
        ValueTask.FromResult(JsonSerializer.SerializeToUtf8Bytes(new HeartbeatResponse { CurrentTime = time.GetUtcNow() }, V201JsonContext.Default.HeartbeatResponse));
}

/// <summary>
/// StatusNotification (EVSE + connector) onto the one connector model: EVSE n is connector n, as 1.6 connector n is
/// EVSE n / connector 1. A 2.0.1 status (Available, Occupied, Reserved, Unavailable, Faulted) is stored by its spec
/// name; 2.0.1 reports errors through NotifyEvent, so the error code is NoError.
/// </summary>
internal sealed class StatusNotificationHandler(ConnectorStatusService statuses) : V201Handler<StatusNotificationRequest, StatusNotificationResponse>
{
    public override async Task<StatusNotificationResponse> HandleAsync(OcppStationContext station, StatusNotificationRequest request, CancellationToken ct)
    {
        var info = request.ConnectorId == 1 ? null : $"connector {request.ConnectorId.ToString(CultureInfo.InvariantCulture)}";
        await statuses.ReportAsync(station.Station,
            new ConnectorStatusReport(request.EvseId, SpecNames.Of(request.ConnectorStatus), "NoError", info, null, request.Timestamp), ct);
        return new StatusNotificationResponse();
    }
}

/// <summary>Authorize onto the one list of ID tags: an idToken's value is looked up whatever its type.</summary>
internal sealed class AuthorizeHandler(IdTagAuthorizer authorizer) : V201Handler<AuthorizeRequest, AuthorizeResponse>
{
    public override async Task<AuthorizeResponse> HandleAsync(OcppStationContext station, AuthorizeRequest request, CancellationToken ct)
    {
        // NoAuthorization carries an empty value: nothing to look up, and 2.0.1 C01 says accept it.
        if (request.IdToken.Type == IdTokenEnumType.NoAuthorization)
        {
            return new AuthorizeResponse { IdTokenInfo = new IdTokenInfoType { Status = AuthorizationStatusEnumType.Accepted } };
        }

        return new AuthorizeResponse { IdTokenInfo = V201IdTokens.ToIdTokenInfo(await authorizer.AuthorizeAsync(request.IdToken.IdToken, null, ct)) };
    }
}

/// <summary>MeterValues onto the one sample table (EVSE n is connector n; 0 is the main meter).</summary>
internal sealed class MeterValuesHandler(MeteringService metering) : V201Handler<MeterValuesRequest, MeterValuesResponse>
{
    public override async Task<MeterValuesResponse> HandleAsync(OcppStationContext station, MeterValuesRequest request, CancellationToken ct)
    {
        var samples = V201MeterValues.Readings(request.MeterValue).Select(r => MeterSampleFactory.Create(station.Station, request.EvseId, null, r)).ToList();
        await metering.MeterAsync(station.Station, request.EvseId, null, samples, ct);
        return new MeterValuesResponse();
    }
}

internal sealed class DataTransferHandler : V201Handler<DataTransferRequest, DataTransferResponse>
{
    // No vendor extensions are known yet; the spec's answer for that is UnknownVendorId.
    public override Task<DataTransferResponse> HandleAsync(OcppStationContext station, DataTransferRequest request, CancellationToken ct) =>
        Task.FromResult(new DataTransferResponse { Status = DataTransferStatusEnumType.UnknownVendorId });
}

/// <summary>OCPP 2.0.1 idTokenInfo from an authorisation decision (the same decision 1.6's idTagInfo is built from).</summary>
internal static class V201IdTokens
{
    public static IdTokenInfoType ToIdTokenInfo(IdTagAuthorization authorization) => new()
    {
        Status = authorization.Status switch
        {
            IdTagAuthorizationStatus.Accepted => AuthorizationStatusEnumType.Accepted,
            IdTagAuthorizationStatus.Blocked => AuthorizationStatusEnumType.Blocked,
            IdTagAuthorizationStatus.Expired => AuthorizationStatusEnumType.Expired,
            IdTagAuthorizationStatus.ConcurrentTx => AuthorizationStatusEnumType.ConcurrentTx,
            _ => AuthorizationStatusEnumType.Invalid,
        },
        CacheExpiryDateTime = authorization.ExpiryDate,
        GroupIdToken = authorization.ParentIdTag is { } parent ? new IdTokenType { IdToken = parent, Type = IdTokenEnumType.Central } : null,
    };
}

/// <summary>2.0.1 meter values as the readings 1.6 produces: the number as invariant text, scaled by the unit's multiplier.</summary>
internal static class V201MeterValues
{
    public static List<SampledReading> Readings(IEnumerable<MeterValueType> values)
    {
        var readings = new List<SampledReading>();
        foreach (var value in values)
        {
            foreach (var sample in value.SampledValue)
            {
                var number = sample.UnitOfMeasure?.Multiplier is { } m and not 0 ? Scale(sample.Value, m) : sample.Value;
                readings.Add(new SampledReading(value.Timestamp, number.ToString(CultureInfo.InvariantCulture), SpecNames.Of(sample.Measurand),
                    sample.UnitOfMeasure?.Unit, SpecNames.Of(sample.Context), SpecNames.Of(sample.Phase), SpecNames.Of(sample.Location), null));
            }
        }

        return readings;
    }

    private static decimal Scale(decimal value, int multiplier)
    {
        var factor = 1m;
        for (var i = 0; i < Math.Abs(multiplier); i++)
        {
            factor *= 10m;
        }

        return multiplier > 0 ? value * factor : value / factor;
    }
}
