using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Transactions;

/// <summary>
/// A charging session of either protocol version. The integer <see cref="Id"/> is Voltgate's key for every
/// transaction and what an OCPP 1.6 station sees as transactionId; an OCPP 2.0.1 station names its transaction itself
/// (<see cref="StationTransactionId"/>, unique per station).
/// </summary>
public sealed class ChargingTransaction : ITenantOwned
{
    /// <summary>The longest idToken OCPP 2.0.1 allows (1.6 idTags are at most 20 characters).</summary>
    public const int MaxIdTokenLength = 36;

    /// <summary>The longest transactionId an OCPP 2.0.1 station may send (transactionInfo.transactionId).</summary>
    public const int MaxStationTransactionIdLength = 36;

    public int Id { get; init; }
    public Guid TenantId { get; init; }
    public Guid StationId { get; init; }

    /// <summary>The 2.0.1 station's own transaction id; null for a 1.6 transaction, whose id is <see cref="Id"/>.</summary>
    public string? StationTransactionId { get; init; }
    // Settable: a 2.0.1 transaction may name its EVSE only in a later event.
    public int ConnectorId { get; set; }

    // Settable: a 2.0.1 transaction may start before its idToken is known (EVConnected) and learn it later.
    public required string IdTag { get; set; }

    // Settable: a 2.0.1 transaction whose Started was lost takes the time and meter of the first event seen.
    public DateTimeOffset StartedAt { get; set; }
    public long MeterStartWh { get; set; }
    public int? ReservationId { get; init; }
    public DateTimeOffset? StoppedAt { get; set; }
    public long? MeterStopWh { get; set; }
    public string? StopIdTag { get; set; }
    public string? StopReason { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>What the station reported that no station means, stored as reported and shown to the operator.</summary>
    public TransactionAnomalies Anomalies { get; set; }
}

/// <summary>Implausible facts of a transaction that were stored rather than refused (docs/reliability.md).</summary>
[Flags]
public enum TransactionAnomalies
{
    None = 0,

    /// <summary>meterStop was below meterStart; the energy is shown as unknown rather than negative.</summary>
    MeterStopBelowStart = 1,

    /// <summary>The stop's time was outside the plausible window; the server's time of receipt was stored instead.</summary>
    StopTimeReplaced = 2,

    /// <summary>The stop's transactionData was over a sample limit or held implausible times and was not stored.</summary>
    TransactionDataDropped = 4,

    /// <summary>OCPP 2.0.1: the first event seen was Updated or Ended (its Started was lost); the start is that event's.</summary>
    StartedLost = 8,

    /// <summary>OCPP 2.0.1: no energy register reading arrived at the start; the meter start is not known (energy shown as unknown).</summary>
    MeterStartUnknown = 16,

    /// <summary>OCPP 2.0.1: the Started's time was outside the plausible window; the server's time of receipt was stored instead.</summary>
    StartTimeReplaced = 32,
}

/// <summary>One sampled value of a meter reading, with or without a transaction.</summary>
public sealed class MeterSample : ITenantOwned
{
    public long Id { get; init; }
    public Guid TenantId { get; init; }
    public Guid StationId { get; init; }
    public int ConnectorId { get; init; }
    // Settable: the writer drops a transaction id that is not the sending station's (checked once per batch).
    public int? TransactionId { get; set; }
    public DateTimeOffset Timestamp { get; init; }
    public required string Value { get; init; }
    public string? Measurand { get; init; }
    public string? Unit { get; init; }
    public string? Context { get; init; }
    public string? Phase { get; init; }
    public string? Location { get; init; }
    public string? Format { get; init; }
}
