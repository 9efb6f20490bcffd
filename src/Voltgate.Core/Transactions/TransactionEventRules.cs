namespace Voltgate.Core.Transactions;

/// <summary>What an OCPP 2.0.1 TransactionEvent says happened to the station's transaction.</summary>
public enum TransactionEventKind
{
    Started,
    Updated,
    Ended,
}

/// <summary>
/// A TransactionEvent as the domain reads it, whatever protocol brought it (OCPP 2.0.1 today, 2.1 later).
/// <paramref name="EvseId"/> is the connector of the one connector model (EVSE n = connector n).
/// </summary>
public sealed record TransactionEventReport(
    string StationTransactionId,
    TransactionEventKind Kind,
    int SeqNo,
    string TriggerReason,
    DateTimeOffset Timestamp,
    bool Offline,
    int? EvseId,
    string? IdToken,
    string? StoppedReason,
    IReadOnlyList<SampledReading> Readings)
{
    /// <summary>The event's time was implausible: the server's time of receipt stands in for it.</summary>
    internal bool TimestampReplaced { get; init; }

    /// <summary>The event's samples were over a limit or implausible and are not stored.</summary>
    internal bool SamplesDropped { get; init; }
}

/// <summary>
/// How an event changes its transaction. Pure rules, applied on the writer thread; an event is never refused for what
/// it reports (a refused Ended would leave the session open for ever): implausible facts are stored as
/// <see cref="TransactionAnomalies"/> instead, as for 1.6's StopTransaction.
/// </summary>
internal static class TransactionEventRules
{
    private const string BeginContext = "Transaction.Begin";
    private const string EndContext = "Transaction.End";

    /// <summary>
    /// A transaction first seen in <paramref name="report"/>. Until <see cref="Apply"/> learns better it counts as one
    /// whose Started was lost and whose meter start is unknown.
    /// </summary>
    public static ChargingTransaction NewTransaction(Guid tenantId, Guid stationId, TransactionEventReport report, DateTimeOffset now) => new()
    {
        TenantId = tenantId,
        StationId = stationId,
        StationTransactionId = report.StationTransactionId,
        ConnectorId = report.EvseId ?? 0,
        IdTag = "",
        StartedAt = At(report, now),
        Anomalies = TransactionAnomalies.StartedLost | TransactionAnomalies.MeterStartUnknown,
        CreatedAt = now,
    };

    /// <summary>Applies a new (not replayed) event; true when it ended the transaction.</summary>
    public static bool Apply(ChargingTransaction t, TransactionEventReport report, IReadOnlyList<MeterSample> samples, DateTimeOffset now)
    {
        // A Started after other events: it came late from the station's offline queue, and it knows the real start.
        var lateStart = report.Kind == TransactionEventKind.Started && t.Anomalies.HasFlag(TransactionAnomalies.StartedLost);
        if (lateStart)
        {
            t.StartedAt = At(report, now);
            t.Anomalies &= ~TransactionAnomalies.StartedLost;
            if (report.TimestampReplaced)
            {
                t.Anomalies |= TransactionAnomalies.StartTimeReplaced;
            }
        }

        if (StartEnergy(report.Kind, samples) is { } start && (lateStart || t.Anomalies.HasFlag(TransactionAnomalies.MeterStartUnknown)))
        {
            t.MeterStartWh = start;
            t.Anomalies &= ~TransactionAnomalies.MeterStartUnknown;
        }

        if (t.ConnectorId == 0 && report.EvseId is { } evse)
        {
            t.ConnectorId = evse;
        }

        if (report.IdToken is { Length: > 0 } token && t.IdTag.Length == 0 && report.Kind != TransactionEventKind.Ended)
        {
            t.IdTag = token;
        }

        if (report.SamplesDropped)
        {
            t.Anomalies |= TransactionAnomalies.TransactionDataDropped;
        }

        if (report.Kind != TransactionEventKind.Ended || t.StoppedAt is not null)
        {
            // A second Ended (another seqNo) is stored as an event; the first one's stop stands.
            return false;
        }

        t.StoppedAt = At(report, now);
        if (report.TimestampReplaced)
        {
            t.Anomalies |= TransactionAnomalies.StopTimeReplaced;
        }

        t.MeterStopWh = StopEnergy(samples);
        if (t.MeterStopWh < t.MeterStartWh && !t.Anomalies.HasFlag(TransactionAnomalies.MeterStartUnknown))
        {
            t.Anomalies |= TransactionAnomalies.MeterStopBelowStart;
        }

        if (t.IdTag.Length == 0 && report.IdToken is { Length: > 0 } stopToken)
        {
            t.IdTag = stopToken;
        }

        t.StopIdTag = report.IdToken;
        // OCPP 2.0.1 TransactionType.stoppedReason: "MAY only be omitted when Reason is Local".
        t.StopReason = report.StoppedReason ?? "Local";
        return true;
    }

    private static DateTimeOffset At(TransactionEventReport report, DateTimeOffset now) =>
        report.TimestampReplaced ? now : report.Timestamp.ToUniversalTime();

    // The meter at the start: a Transaction.Begin reading, else the first reading of an event that is not the end.
    private static long? StartEnergy(TransactionEventKind kind, IReadOnlyList<MeterSample> samples)
    {
        var begin = TransactionService.EnergySeries(samples.Where(s => s.Context == BeginContext));
        if (begin.Count > 0)
        {
            return begin[0].Wh;
        }

        if (kind == TransactionEventKind.Ended)
        {
            return null;
        }

        var any = TransactionService.EnergySeries(samples.OrderBy(s => s.Timestamp));
        return any.Count > 0 ? any[0].Wh : null;
    }

    // The meter at the end: a Transaction.End reading, else the Ended's last reading; null when it has none.
    private static long? StopEnergy(IReadOnlyList<MeterSample> samples)
    {
        var end = TransactionService.EnergySeries(samples.Where(s => s.Context == EndContext).OrderBy(s => s.Timestamp));
        if (end.Count > 0)
        {
            return end[^1].Wh;
        }

        var any = TransactionService.EnergySeries(samples.Where(s => s.Context != BeginContext).OrderBy(s => s.Timestamp));
        return any.Count > 0 ? any[^1].Wh : null;
    }
}
