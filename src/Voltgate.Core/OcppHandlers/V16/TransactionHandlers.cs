using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;
using Voltgate.Core.IdTags;
using Voltgate.Core.Persistence;
using Voltgate.Core.Tenancy;
using Voltgate.Core.Transactions;
using Voltgate.Ocpp.Serialization;
using Voltgate.Ocpp.V16;

namespace Voltgate.Core.OcppHandlers.V16;

/// <summary>
/// Answers idTagInfo from the tenant's ID tags (OCPP 1.6 §7.27). With the tenant setting IdTagSuffixSeparator (KEBA
/// x-series slave units send <c>CARD_serial</c>), an idTag unknown as sent is looked up again without its suffix.
/// </summary>
public sealed class IdTagAuthorizer(VoltgateDbContext db, TimeProvider time, ITenantContext tenant, TenantDirectory tenants)
{
    public async Task<IdTagInfo> AuthorizeAsync(string idTag, int? exceptTransactionId, CancellationToken ct)
    {
        var tag = await db.IdTags.AsNoTracking().FirstOrDefaultAsync(t => t.Value == idTag, ct);
        if (tag is null && await StripSuffixAsync(idTag, ct) is { } stripped)
        {
            tag = await db.IdTags.AsNoTracking().FirstOrDefaultAsync(t => t.Value == stripped, ct);
        }

        if (tag is null)
        {
            return new IdTagInfo { Status = AuthorizationStatus.Invalid };
        }

        var status = tag.Status switch
        {
            IdTagStatus.Accepted when tag.ExpiryDate is { } expiry && expiry <= time.GetUtcNow() => AuthorizationStatus.Expired,
            IdTagStatus.Accepted => AuthorizationStatus.Accepted,
            IdTagStatus.Blocked => AuthorizationStatus.Blocked,
            IdTagStatus.Expired => AuthorizationStatus.Expired,
            _ => AuthorizationStatus.Invalid,
        };
        if (status == AuthorizationStatus.Accepted
            && await db.Transactions.AnyAsync(t => (t.IdTag == idTag || t.IdTag == tag.Value) && t.StoppedAt == null && t.Id != exceptTransactionId, ct))
        {
            status = AuthorizationStatus.ConcurrentTx;
        }

        return new IdTagInfo { Status = status, ExpiryDate = tag.ExpiryDate, ParentIdTag = tag.ParentIdTag };
    }

    private async Task<string?> StripSuffixAsync(string idTag, CancellationToken ct)
    {
        if (tenant.TenantId is not { } tenantId || (await tenants.FindAsync(tenantId, ct))?.Settings.IdTagSuffixSeparator is not { Length: > 0 } separator)
        {
            return null;
        }

        return IdTagSuffix.Strip(idTag, separator);
    }
}

public sealed class AuthorizeHandler(IdTagAuthorizer authorizer) : V16Handler<AuthorizeRequest, AuthorizeResponse>
{
    public override async Task<AuthorizeResponse> HandleAsync(OcppStationContext station, AuthorizeRequest request, CancellationToken ct) =>
        new() { IdTagInfo = await authorizer.AuthorizeAsync(request.IdTag, null, ct) };
}

/// <summary>
/// Starts a transaction and answers its id only after it is on disk (the station keeps that id). A replayed
/// StartTransaction (same station, connector and start time, e.g. after an offline period) gets the same id.
/// </summary>
public sealed class StartTransactionHandler(VoltgateDbContext db, IdTagAuthorizer authorizer, TimeProvider time)
    : V16Handler<StartTransactionRequest, StartTransactionResponse>
{
    public override async Task<StartTransactionResponse> HandleAsync(OcppStationContext station, StartTransactionRequest request, CancellationToken ct)
    {
        var startedAt = request.Timestamp.ToUniversalTime();
        var existing = await FindAsync(station, request.ConnectorId, startedAt, ct);
        if (existing is not null)
        {
            return new StartTransactionResponse { TransactionId = existing.Id, IdTagInfo = await authorizer.AuthorizeAsync(request.IdTag, existing.Id, ct) };
        }

        var info = await authorizer.AuthorizeAsync(request.IdTag, null, ct);
        var transaction = new ChargingTransaction
        {
            TenantId = station.TenantId,
            StationId = station.StationId,
            ConnectorId = request.ConnectorId,
            IdTag = request.IdTag,
            StartedAt = startedAt,
            MeterStartWh = request.MeterStart,
            ReservationId = request.ReservationId,
            CreatedAt = time.GetUtcNow(),
        };
        db.Transactions.Add(transaction);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same start raced in on another connection; answer with the one that won.
            db.ChangeTracker.Clear();
            transaction = await FindAsync(station, request.ConnectorId, startedAt, ct) ?? throw new InvalidOperationException("Transaction vanished.");
        }

        return new StartTransactionResponse { TransactionId = transaction.Id, IdTagInfo = info };
    }

    private Task<ChargingTransaction?> FindAsync(OcppStationContext station, int connectorId, DateTimeOffset startedAt, CancellationToken ct) =>
        db.Transactions.AsNoTracking().FirstOrDefaultAsync(t => t.StationId == station.StationId && t.ConnectorId == connectorId && t.StartedAt == startedAt, ct);
}

/// <summary>Stops a transaction (idempotent when replayed) and stores its transactionData meter values.</summary>
public sealed class StopTransactionHandler(VoltgateDbContext db, IdTagAuthorizer authorizer, MeterSampleWriter samples, OcppWriteBatcher writer)
    : V16Handler<StopTransactionRequest, StopTransactionResponse>
{
    public override async Task<StopTransactionResponse> HandleAsync(OcppStationContext station, StopTransactionRequest request, CancellationToken ct)
    {
        var transaction = await db.Transactions.FirstOrDefaultAsync(t => t.Id == request.TransactionId && t.StationId == station.StationId, ct);
        if (transaction is not null && transaction.StoppedAt is null)
        {
            transaction.StoppedAt = request.Timestamp.ToUniversalTime();
            transaction.MeterStopWh = request.MeterStop;
            transaction.StopIdTag = request.IdTag;
            transaction.StopReason = SpecNames.Of(request.Reason) ?? "Local";
            if (request.TransactionData is { } data)
            {
                samples.Add(station, transaction.ConnectorId, transaction.Id, data);
            }

            await db.SaveChangesAsync(ct);
            if (request.TransactionData is not null)
            {
                // Stored past the batcher: its replay check must read this station's samples again.
                writer.ForgetStoredSamples(station.StationId);
            }
        }

        // An unknown id still gets an answer: the station must be able to drop the message from its queue.
        return new StopTransactionResponse
        {
            IdTagInfo = request.IdTag is null ? null : await authorizer.AuthorizeAsync(request.IdTag, request.TransactionId, ct),
        };
    }
}

/// <summary>
/// Stores the samples through the write batcher and answers once they are committed (one commit per batch, not
/// per message). A transactionId that is not this station's is dropped from the samples, not refused.
/// </summary>
/// <remarks>
/// The most frequent message: its samples are read straight from the validated JSON (see
/// <see cref="MeterSampleWriter.Read"/>). Deserialising into <see cref="MeterValuesRequest"/> first went through
/// System.Text.Json's constructor-parameter path (the generated types have required init-only members) and was
/// 4 % of the server's CPU at 14,000 calls/s, plus an object graph per message that became garbage at once.
/// </remarks>
public sealed class MeterValuesHandler(OcppWriteBatcher writer) : IV16PayloadHandler
{
    // The answer's payload; never written to (the frame writer copies it).
    private static readonly byte[] Response = "{}"u8.ToArray();

    public async ValueTask<byte[]> HandleAsync(OcppStationContext station, JsonElement payload, CancellationToken ct)
    {
        var (transactionId, samples) = MeterSampleWriter.Read(station.TenantId, station.StationId, payload);
        await writer.WriteSamplesAsync(station.StationId, transactionId, samples, ct);
        return Response;
    }
}

/// <summary>Turns OCPP meter values into stored samples (one row per sampled value).</summary>
public sealed class MeterSampleWriter(VoltgateDbContext db)
{
    public void Add(OcppStationContext station, int connectorId, int? transactionId, IEnumerable<MeterValue> values) =>
        db.MeterSamples.AddRange(Create(station.TenantId, station.StationId, connectorId, transactionId, values));

    /// <summary>
    /// The samples of a schema-valid MeterValues payload, exactly as <see cref="Create"/> makes them from its
    /// deserialised request, and the transactionId the station named.
    /// </summary>
    public static (int? TransactionId, List<MeterSample> Samples) Read(Guid tenantId, Guid stationId, JsonElement payload)
    {
        var connectorId = OcppJsonValues.GetInt32(payload.GetProperty("connectorId"));
        int? transactionId = payload.TryGetProperty("transactionId", out var tx) ? OcppJsonValues.GetInt32(tx) : null;
        var samples = new List<MeterSample>();
        foreach (var value in payload.GetProperty("meterValue").EnumerateArray())
        {
            var timestamp = OcppJsonValues.GetTimestamp(value.GetProperty("timestamp")).ToUniversalTime();
            foreach (var sample in value.GetProperty("sampledValue").EnumerateArray())
            {
                samples.Add(Row(tenantId, stationId, connectorId, transactionId, timestamp, OcppJsonValues.GetStringOrNumber(sample.GetProperty("value")),
                    Optional(sample, "measurand"u8), Optional(sample, "unit"u8), Optional(sample, "context"u8), Optional(sample, "phase"u8),
                    Optional(sample, "location"u8), Optional(sample, "format"u8)));
            }
        }

        return (transactionId, samples);
    }

    // The schema allows these only as strings from the spec's enumerations, which are the names stored.
    private static string? Optional(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value) ? value.GetString() : null;

    public static IEnumerable<MeterSample> Create(Guid tenantId, Guid stationId, int connectorId, int? transactionId, IEnumerable<MeterValue> values)
    {
        foreach (var value in values)
        {
            var timestamp = value.Timestamp.ToUniversalTime();
            foreach (var sample in value.SampledValue)
            {
                yield return Row(tenantId, stationId, connectorId, transactionId, timestamp, sample.Value, SpecNames.Of(sample.Measurand),
                    SpecNames.Of(sample.Unit), SpecNames.Of(sample.Context), SpecNames.Of(sample.Phase), SpecNames.Of(sample.Location), SpecNames.Of(sample.Format));
            }
        }
    }

    // One sampled value as stored; without a measurand it is the energy register, the OCPP 1.6 default.
    private static MeterSample Row(Guid tenantId, Guid stationId, int connectorId, int? transactionId, DateTimeOffset timestamp, string value,
        string? measurand, string? unit, string? context, string? phase, string? location, string? format) => new()
        {
            TenantId = tenantId,
            StationId = stationId,
            ConnectorId = connectorId,
            TransactionId = transactionId,
            Timestamp = timestamp,
            Value = value,
            Measurand = measurand ?? "Energy.Active.Import.Register",
            Unit = unit,
            Context = context,
            Phase = phase,
            Location = location,
            Format = format,
        };
}
