using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Common;
using Voltgate.Core.Data;
using Voltgate.Core.IdTags;
using Voltgate.Core.Plausibility;
using Voltgate.Core.Stations;

namespace Voltgate.Core.Transactions;

/// <summary>A station reports that charging started.</summary>
public sealed record StartTransaction(int ConnectorId, string IdTag, DateTimeOffset StartedAt, long MeterStartWh, int? ReservationId);

/// <summary>The id the station keeps for the transaction, and whether its idTag may charge.</summary>
public readonly record struct TransactionStarted(int TransactionId, IdTagAuthorization Authorization);

/// <summary>A station reports that charging stopped, with the meter readings it took during it.</summary>
public sealed record StopTransaction(int TransactionId, DateTimeOffset StoppedAt, long MeterStopWh, string? IdTag, string Reason, IReadOnlyList<SampledReading>? TransactionData);

/// <summary>Starts and stops transactions as the stations report them.</summary>
public sealed class TransactionRecorder(VoltgateDbContext db, IdTagAuthorizer authorizer, TimeProvider time, DomainEvents events, PlausibilityRules rules, SampleBudget budget)
{
    /// <summary>
    /// Starts a transaction and answers its id only once it is stored (the station keeps that id). A replayed start
    /// (same station, connector and start time, e.g. after an offline period) gets the same id.
    /// </summary>
    /// <remarks>A connector outside 1..max or a start time outside the plausible window is refused (<see cref="InputRefusedException"/>).</remarks>
    public async Task<TransactionStarted> StartAsync(StationRef station, StartTransaction command, CancellationToken ct)
    {
        rules.Connector(command.ConnectorId, "connectorId", stationItselfAllowed: false);
        rules.Timestamp(command.StartedAt, "timestamp");
        var startedAt = command.StartedAt.ToUniversalTime();
        var existing = await FindAsync(station, command.ConnectorId, startedAt, ct);
        if (existing is not null)
        {
            return new TransactionStarted(existing.Id, await authorizer.AuthorizeAsync(command.IdTag, existing.Id, ct));
        }

        var authorization = await authorizer.AuthorizeAsync(command.IdTag, null, ct);
        var transaction = new ChargingTransaction
        {
            TenantId = station.TenantId,
            StationId = station.StationId,
            ConnectorId = command.ConnectorId,
            IdTag = command.IdTag,
            StartedAt = startedAt,
            MeterStartWh = command.MeterStartWh,
            ReservationId = command.ReservationId,
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
            transaction = await FindAsync(station, command.ConnectorId, startedAt, ct) ?? throw new InvalidOperationException("Transaction vanished.");
        }

        return new TransactionStarted(transaction.Id, authorization);
    }

    /// <summary>
    /// Stops the station's transaction and stores its meter readings; a replayed stop changes nothing. An unknown id is
    /// still answered, so that the station can drop the message from its queue. Null when no idTag was given.
    /// </summary>
    /// <remarks>
    /// A stop is never refused for what it reports (a refused stop would leave the session open for ever): an
    /// implausible time, a meterStop below meterStart or transactionData over a limit are stored as flags instead
    /// (<see cref="ChargingTransaction.Anomalies"/>).
    /// </remarks>
    public async Task<IdTagAuthorization?> StopAsync(StationRef station, StopTransaction command, CancellationToken ct)
    {
        var transaction = await db.Transactions.FirstOrDefaultAsync(t => t.Id == command.TransactionId && t.StationId == station.StationId && t.StationTransactionId == null, ct);
        if (transaction is not null && transaction.StoppedAt is null)
        {
            var anomalies = TransactionAnomalies.None;
            if (rules.TimestampPlausible(command.StoppedAt))
            {
                transaction.StoppedAt = command.StoppedAt.ToUniversalTime();
            }
            else
            {
                transaction.StoppedAt = time.GetUtcNow();
                anomalies |= TransactionAnomalies.StopTimeReplaced;
            }

            if (command.MeterStopWh < transaction.MeterStartWh)
            {
                anomalies |= TransactionAnomalies.MeterStopBelowStart;
            }

            transaction.MeterStopWh = command.MeterStopWh;
            transaction.StopIdTag = command.IdTag;
            transaction.StopReason = command.Reason;
            var data = await AdmittedDataAsync(station, transaction.Id, command.TransactionData, ct);
            if (data is null && command.TransactionData is { Count: > 0 })
            {
                anomalies |= TransactionAnomalies.TransactionDataDropped;
            }

            transaction.Anomalies |= anomalies;
            if (data is not null)
            {
                foreach (var reading in data)
                {
                    db.MeterSamples.Add(MeterSampleFactory.Create(station, transaction.ConnectorId, transaction.Id, reading));
                }
            }

            await db.SaveChangesAsync(ct);
            // Raised before the station is answered, so the handlers have run before its next message can arrive.
            events.Raise(new TransactionEnded(station.StationId, transaction.Id, StoredMeterSamples: data is not null));
        }

        return command.IdTag is null ? null : await authorizer.AuthorizeAsync(command.IdTag, command.TransactionId, ct);
    }

    // The stop's readings when they are within the limits and plausible; null otherwise (none of them is stored).
    private async Task<IReadOnlyList<SampledReading>?> AdmittedDataAsync(StationRef station, int transactionId, IReadOnlyList<SampledReading>? data, CancellationToken ct)
    {
        if (data is null || data.Count > rules.Limits.MaxSamplesPerMessage || data.Any(r => !rules.TimestampPlausible(r.Timestamp)))
        {
            return null;
        }

        try
        {
            await budget.ChargeAsync(station.StationId, transactionId, data.Count, ct);
            return data;
        }
        catch (InputRefusedException)
        {
            return null;
        }
    }

    private Task<ChargingTransaction?> FindAsync(StationRef station, int connectorId, DateTimeOffset startedAt, CancellationToken ct) =>
        db.Transactions.AsNoTracking()
            .FirstOrDefaultAsync(t => t.StationId == station.StationId && t.StationTransactionId == null && t.ConnectorId == connectorId && t.StartedAt == startedAt, ct);
}
