using Voltgate.Core.Common;
using Voltgate.Core.Plausibility;
using Voltgate.Core.Stations;

namespace Voltgate.Core.Transactions;

/// <summary>A transaction that ended; <paramref name="StoredMeterSamples"/> when its stop stored meter samples.</summary>
internal readonly record struct TransactionEnded(Guid StationId, int TransactionId, bool StoredMeterSamples);

/// <summary>
/// Stores the meter samples a station reports, in a group commit with other stations' messages, and answers once they
/// are committed. A transaction id that is not the station's is dropped from the samples, not refused; samples already
/// stored (a station replaying its queue) are skipped. A message with an implausible connector or time, or beyond a
/// sample limit, is refused whole (<see cref="InputRefusedException"/>), nothing of it stored.
/// </summary>
internal sealed class MeteringService(MeterSampleBatch batch, PlausibilityRules rules, SampleBudget budget)
    : IDomainEventHandler<ConnectionEnded>, IDomainEventHandler<TransactionEnded>
{
    public async Task MeterAsync(StationRef station, int connectorId, int? transactionId, IReadOnlyList<MeterSample> samples, CancellationToken ct)
    {
        rules.Connector(connectorId, "connectorId");
        rules.SamplesPerMessage(samples.Count, "The message");
        for (var i = 0; i < samples.Count; i++)
        {
            rules.Timestamp(samples[i].Timestamp, "timestamp");
        }

        await budget.ChargeAsync(station.StationId, transactionId, samples.Count, ct);
        try
        {
            await batch.WriteAsync(station.StationId, transactionId, samples, ct);
        }
        catch
        {
            budget.Refund(station.StationId, transactionId, samples.Count);
            throw;
        }
    }

    // The station may come back after another node stored its samples.
    public void Handle(ConnectionEnded domainEvent) => batch.Forget(domainEvent.StationId);

    // The stop stored samples past the batch.
    public void Handle(TransactionEnded domainEvent)
    {
        budget.Forget(domainEvent.TransactionId);
        if (domainEvent.StoredMeterSamples)
        {
            batch.Forget(domainEvent.StationId);
        }
    }
}
