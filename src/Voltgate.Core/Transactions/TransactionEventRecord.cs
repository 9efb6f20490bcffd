using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Transactions;

/// <summary>
/// One OCPP 2.0.1 TransactionEvent as stored: which transaction, its seqNo, what happened and why. The seqNo is unique
/// per transaction, which is what makes a replayed event (same seqNo again) change nothing.
/// </summary>
public sealed class TransactionEventRecord : ITenantOwned
{
    public long Id { get; init; }
    public Guid TenantId { get; init; }
    public int TransactionId { get; init; }

    // The foreign key's navigation for the model only: the batch appends events with their transaction's key.
    internal ChargingTransaction? Transaction { get; init; }

    /// <summary>The station's sequence number: one per event, from 0 at the start of the transaction (2.0.1 E01).</summary>
    public int SeqNo { get; init; }

    /// <summary>Started, Updated or Ended.</summary>
    public required string EventType { get; init; }

    /// <summary>The spec name of the trigger (Authorized, MeterValuePeriodic, EVDeparted, …).</summary>
    public required string TriggerReason { get; init; }
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The station sent the event while it was offline (a replay from its queue).</summary>
    public bool Offline { get; init; }

    /// <summary>How many meter samples the event brought.</summary>
    public int SampleCount { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
}
