using Voltgate.Core.Stations;
using Voltgate.Core.Transactions;

namespace Voltgate.Core.Tests.Domain;

/// <summary>How a 2.0.1 TransactionEvent changes its transaction (pure rules, no database).</summary>
public sealed class TransactionEventRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = T0.AddHours(1);
    private static readonly StationRef Station = new(Guid.NewGuid(), Guid.NewGuid(), "CP-1");

    private static TransactionEventReport Report(TransactionEventKind kind, int minutes, string? token = null, int? evse = null, string? reason = null) =>
        new("tx-1", kind, 0, "Authorized", T0.AddMinutes(minutes), false, evse, token, reason, []);

    private static List<MeterSample> Energy(int minutes, long wh, string? context = null) =>
        [MeterSampleFactory.Create(Station, 1, null, new SampledReading(T0.AddMinutes(minutes), wh.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "Energy.Active.Import.Register", "Wh", context, null, null, null))];

    private static ChargingTransaction New(TransactionEventReport first, List<MeterSample> samples, out bool ended)
    {
        var t = TransactionEventRules.NewTransaction(Station.TenantId, Station.StationId, first, Now);
        ended = TransactionEventRules.Apply(t, first, samples, Now);
        return t;
    }

    [Fact]
    public void A_Started_sets_start_meter_token_and_EVSE_and_no_anomaly()
    {
        var t = New(Report(TransactionEventKind.Started, 0, "TAG", evse: 2), Energy(0, 1000, "Transaction.Begin"), out var ended);

        Assert.False(ended);
        Assert.Equal(T0, t.StartedAt);
        Assert.Equal(1000, t.MeterStartWh);
        Assert.Equal("TAG", t.IdTag);
        Assert.Equal(2, t.ConnectorId);
        Assert.Equal("tx-1", t.StationTransactionId);
        Assert.Equal(TransactionAnomalies.None, t.Anomalies);
    }

    [Fact]
    public void An_Updated_first_is_a_lost_Started_and_a_late_Started_repairs_the_start()
    {
        var t = New(Report(TransactionEventKind.Updated, 6, evse: 1), Energy(6, 600), out _);
        var lost = (t.StartedAt, t.MeterStartWh, t.Anomalies);

        TransactionEventRules.Apply(t, Report(TransactionEventKind.Started, 0), Energy(0, 100, "Transaction.Begin"), Now);

        Assert.Equal((T0.AddMinutes(6), 600L, TransactionAnomalies.StartedLost), lost);
        Assert.Equal(T0, t.StartedAt);
        Assert.Equal(100, t.MeterStartWh);
        Assert.Equal(TransactionAnomalies.None, t.Anomalies);
    }

    [Fact]
    public void An_Ended_first_stops_with_an_unknown_meter_start_and_its_reading_is_the_stop_not_the_start()
    {
        var t = New(Report(TransactionEventKind.Ended, 9), Energy(9, 900), out var ended);

        Assert.True(ended);
        Assert.Equal(900, t.MeterStopWh);
        Assert.Equal("Local", t.StopReason);
        Assert.Equal(TransactionAnomalies.StartedLost | TransactionAnomalies.MeterStartUnknown, t.Anomalies);
    }

    [Fact]
    public void A_second_Ended_changes_nothing_and_a_stop_below_the_start_is_flagged()
    {
        var t = New(Report(TransactionEventKind.Started, 0), Energy(0, 1000), out _);
        var first = TransactionEventRules.Apply(t, Report(TransactionEventKind.Ended, 5, reason: "EVDisconnected"), Energy(5, 10), Now);
        var second = TransactionEventRules.Apply(t, Report(TransactionEventKind.Ended, 7, reason: "Remote"), Energy(7, 5000), Now);

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(10, t.MeterStopWh);
        Assert.Equal("EVDisconnected", t.StopReason);
        Assert.Equal(T0.AddMinutes(5), t.StoppedAt);
        Assert.Equal(TransactionAnomalies.MeterStopBelowStart, t.Anomalies);
    }

    [Fact]
    public void An_implausible_stop_time_is_replaced_by_the_time_of_receipt()
    {
        var t = New(Report(TransactionEventKind.Started, 0), Energy(0, 0), out _);

        TransactionEventRules.Apply(t, Report(TransactionEventKind.Ended, 5) with { TimestampReplaced = true }, [], Now);

        Assert.Equal(Now, t.StoppedAt);
        Assert.Null(t.MeterStopWh);
        Assert.Equal(TransactionAnomalies.StopTimeReplaced, t.Anomalies);
    }
}
