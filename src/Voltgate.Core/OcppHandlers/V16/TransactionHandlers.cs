using System.Text.Json;
using Voltgate.Core.IdTags;
using Voltgate.Core.Stations;
using Voltgate.Core.Transactions;
using Voltgate.Ocpp.Serialization;
using Voltgate.Ocpp.V16;

namespace Voltgate.Core.OcppHandlers.V16;

internal sealed class AuthorizeHandler(IdTagAuthorizer authorizer) : V16Handler<AuthorizeRequest, AuthorizeResponse>
{
    public override async Task<AuthorizeResponse> HandleAsync(OcppStationContext station, AuthorizeRequest request, CancellationToken ct) =>
        new() { IdTagInfo = V16IdTags.ToIdTagInfo(await authorizer.AuthorizeAsync(request.IdTag, null, ct)) };
}

internal sealed class StartTransactionHandler(TransactionRecorder transactions) : V16Handler<StartTransactionRequest, StartTransactionResponse>
{
    public override async Task<StartTransactionResponse> HandleAsync(OcppStationContext station, StartTransactionRequest request, CancellationToken ct)
    {
        var started = await transactions.StartAsync(station.Station,
            new StartTransaction(request.ConnectorId, request.IdTag, request.Timestamp, request.MeterStart, request.ReservationId), ct);
        return new StartTransactionResponse { TransactionId = started.TransactionId, IdTagInfo = V16IdTags.ToIdTagInfo(started.Authorization) };
    }
}

internal sealed class StopTransactionHandler(TransactionRecorder transactions) : V16Handler<StopTransactionRequest, StopTransactionResponse>
{
    public override async Task<StopTransactionResponse> HandleAsync(OcppStationContext station, StopTransactionRequest request, CancellationToken ct)
    {
        // OCPP 1.6 §7.35: a stop without a reason is a Local one.
        var stop = new StopTransaction(request.TransactionId, request.Timestamp, request.MeterStop, request.IdTag, SpecNames.Of(request.Reason) ?? "Local",
            request.TransactionData is { } data ? V16MeterValues.Readings(data) : null);
        var authorization = await transactions.StopAsync(station.Station, stop, ct);
        return new StopTransactionResponse { IdTagInfo = authorization is { } a ? V16IdTags.ToIdTagInfo(a) : null };
    }
}

/// <summary>Hands the samples to metering and answers once they are committed.</summary>
/// <remarks>
/// The most frequent message: its samples are read straight from the validated JSON (see
/// <see cref="V16MeterValues.Read"/>), not deserialised into a request object first (docs/performance.md).
/// </remarks>
internal sealed class MeterValuesHandler(MeteringService metering) : IV16PayloadHandler
{
    // The answer's payload; never written to (the frame writer copies it).
    private static readonly byte[] Response = "{}"u8.ToArray();

    public async ValueTask<byte[]> HandleAsync(OcppStationContext station, JsonElement payload, CancellationToken ct)
    {
        var (connectorId, transactionId, samples) = V16MeterValues.Read(station.Station, payload);
        await metering.MeterAsync(station.Station, connectorId, transactionId, samples, ct);
        return Response;
    }
}

/// <summary>OCPP 1.6 idTagInfo from an authorisation decision.</summary>
internal static class V16IdTags
{
    public static IdTagInfo ToIdTagInfo(IdTagAuthorization authorization) => new()
    {
        Status = authorization.Status switch
        {
            IdTagAuthorizationStatus.Accepted => AuthorizationStatus.Accepted,
            IdTagAuthorizationStatus.Blocked => AuthorizationStatus.Blocked,
            IdTagAuthorizationStatus.Expired => AuthorizationStatus.Expired,
            IdTagAuthorizationStatus.ConcurrentTx => AuthorizationStatus.ConcurrentTx,
            _ => AuthorizationStatus.Invalid,
        },
        ExpiryDate = authorization.ExpiryDate,
        ParentIdTag = authorization.ParentIdTag,
    };
}

/// <summary>OCPP 1.6 meter values as readings; the samples themselves are built by <see cref="MeterSampleFactory"/>.</summary>
internal static class V16MeterValues
{
    /// <summary>The samples of a schema-valid MeterValues payload and the transactionId the station named.</summary>
    public static (int ConnectorId, int? TransactionId, List<MeterSample> Samples) Read(StationRef station, JsonElement payload)
    {
        var connectorId = OcppJsonValues.GetInt32(payload.GetProperty("connectorId"));
        int? transactionId = payload.TryGetProperty("transactionId", out var tx) ? OcppJsonValues.GetInt32(tx) : null;
        var samples = new List<MeterSample>();
        foreach (var value in payload.GetProperty("meterValue").EnumerateArray())
        {
            var timestamp = OcppJsonValues.GetTimestamp(value.GetProperty("timestamp"));
            foreach (var sample in value.GetProperty("sampledValue").EnumerateArray())
            {
                var reading = new SampledReading(timestamp, OcppJsonValues.GetStringOrNumber(sample.GetProperty("value")), Optional(sample, "measurand"u8),
                    Optional(sample, "unit"u8), Optional(sample, "context"u8), Optional(sample, "phase"u8), Optional(sample, "location"u8), Optional(sample, "format"u8));
                samples.Add(MeterSampleFactory.Create(station, connectorId, transactionId, reading));
            }
        }

        return (connectorId, transactionId, samples);
    }

    /// <summary>The readings of deserialised meter values (StopTransaction's transactionData), as <see cref="Read"/> reads them.</summary>
    public static List<SampledReading> Readings(IEnumerable<MeterValue> values)
    {
        var readings = new List<SampledReading>();
        foreach (var value in values)
        {
            foreach (var sample in value.SampledValue)
            {
                readings.Add(new SampledReading(value.Timestamp, sample.Value, SpecNames.Of(sample.Measurand), SpecNames.Of(sample.Unit),
                    SpecNames.Of(sample.Context), SpecNames.Of(sample.Phase), SpecNames.Of(sample.Location), SpecNames.Of(sample.Format)));
            }
        }

        return readings;
    }

    /// <summary>The samples of deserialised meter values.</summary>
    public static IEnumerable<MeterSample> Create(Guid tenantId, Guid stationId, int connectorId, int? transactionId, IEnumerable<MeterValue> values)
    {
        var station = new StationRef(tenantId, stationId, "");
        return Readings(values).Select(r => MeterSampleFactory.Create(station, connectorId, transactionId, r));
    }

    // The schema allows these only as strings from the spec's enumerations, which are the names stored.
    private static string? Optional(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value) ? value.GetString() : null;
}
