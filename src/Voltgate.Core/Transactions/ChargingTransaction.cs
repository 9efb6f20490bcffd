using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Transactions;

/// <summary>A charging session. The integer id is what OCPP 1.6 stations see as transactionId.</summary>
public sealed class ChargingTransaction : ITenantOwned
{
    public int Id { get; init; }
    public Guid TenantId { get; init; }
    public Guid StationId { get; init; }
    public int ConnectorId { get; init; }
    public required string IdTag { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public long MeterStartWh { get; init; }
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
