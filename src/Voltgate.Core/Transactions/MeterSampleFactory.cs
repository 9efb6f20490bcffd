using Voltgate.Core.Stations;

namespace Voltgate.Core.Transactions;

/// <summary>One sampled value of a meter reading as a station reports it, in any protocol version.</summary>
public readonly record struct SampledReading(
    DateTimeOffset Timestamp, string Value, string? Measurand, string? Unit, string? Context, string? Phase, string? Location, string? Format);

/// <summary>The one place a stored meter sample is built from what a station reported.</summary>
internal static class MeterSampleFactory
{
    /// <summary>The measurand of a value that names none: the energy register.</summary>
    public const string DefaultMeasurand = "Energy.Active.Import.Register";

    public static MeterSample Create(StationRef station, int connectorId, int? transactionId, in SampledReading reading) => new()
    {
        TenantId = station.TenantId,
        StationId = station.StationId,
        ConnectorId = connectorId,
        TransactionId = transactionId,
        Timestamp = reading.Timestamp.ToUniversalTime(),
        Value = reading.Value,
        Measurand = reading.Measurand ?? DefaultMeasurand,
        Unit = reading.Unit,
        Context = reading.Context,
        Phase = reading.Phase,
        Location = reading.Location,
        Format = reading.Format,
    };
}
