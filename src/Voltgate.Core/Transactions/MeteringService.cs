using Voltgate.Core.Common;
using Voltgate.Core.Stations;

namespace Voltgate.Core.Transactions;

/// <summary>A transaction that ended; <paramref name="StoredMeterSamples"/> when its stop stored meter samples.</summary>
internal readonly record struct TransactionEnded(Guid StationId, int TransactionId, bool StoredMeterSamples);

/// <summary>
/// Stores the meter samples a station reports, in a group commit with other stations' messages, and answers once they
/// are committed. A transaction id that is not the station's is dropped from the samples, not refused; samples already
/// stored (a station replaying its queue) are skipped.
/// </summary>
internal sealed class MeteringService(MeterSampleBatch batch) : IDomainEventHandler<ConnectionEnded>, IDomainEventHandler<TransactionEnded>
{
    public Task MeterAsync(StationRef station, int? transactionId, IReadOnlyList<MeterSample> samples, CancellationToken ct) =>
        batch.WriteAsync(station.StationId, transactionId, samples, ct);

    // The station may come back after another node stored its samples.
    public void Handle(ConnectionEnded domainEvent) => batch.Forget(domainEvent.StationId);

    // The stop stored samples past the batch.
    public void Handle(TransactionEnded domainEvent)
    {
        if (domainEvent.StoredMeterSamples)
        {
            batch.Forget(domainEvent.StationId);
        }
    }
}
