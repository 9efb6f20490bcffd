using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Common;
using Voltgate.Core.Data;

namespace Voltgate.Core.Transactions;

public sealed record TransactionFilter(string? Station = null, string? IdTag = null, bool? Active = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>A transaction with the identity of its station and the energy so far (Wh; null while nothing is known).</summary>
public sealed record TransactionRow(ChargingTransaction Transaction, string StationIdentity, long? EnergyWh);

/// <summary>A transaction with one page of its meter values (oldest first) and how many it has in all.</summary>
public sealed record TransactionDetail(TransactionRow Row, IReadOnlyList<MeterSample> MeterValues, int MeterValueTotal);

/// <summary>
/// Charging sessions as the operator sees them. Data scope follows the station: a transaction is visible exactly
/// when its station is (the stations query filter applies to the join).
/// </summary>
public sealed class TransactionService(VoltgateDbContext db)
{
    public async Task<(IReadOnlyList<TransactionRow> Items, int Total)> ListAsync(TransactionFilter filter, int skip, int take, CancellationToken ct)
    {
        var query = Query(filter);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(r => r.T.StartedAt).ThenByDescending(r => r.T.Id).Skip(skip).Take(take).ToListAsync(ct);
        var lastEnergy = await LastEnergyAsync(rows.Where(r => r.T.MeterStopWh is null).Select(r => r.T.Id).ToList(), ct);
        return (rows.Select(r => Row(r.T, r.Identity, lastEnergy)).ToList(), total);
    }

    /// <summary>The OCPP 2.0.1 TransactionEvents of a transaction in seqNo order (none for a 1.6 transaction).</summary>
    public async Task<IReadOnlyList<TransactionEventRecord>> EventsAsync(int id, CancellationToken ct) =>
        await db.TransactionEvents.AsNoTracking().Where(e => e.TransactionId == id).OrderBy(e => e.SeqNo).ToListAsync(ct);

    /// <summary>Most energy and power samples a chart reads; a session within the sample limits has far fewer.</summary>
    public const int MaxChartSamples = 20_000;

    /// <summary>
    /// One transaction with the page <paramref name="skip"/>/<paramref name="take"/> of its meter values: a session
    /// may hold up to Voltgate:Limits:MaxSamplesPerTransaction samples, so they are never read or answered at once.
    /// </summary>
    public async Task<Result<TransactionDetail>> GetAsync(int id, int skip, int take, CancellationToken ct)
    {
        var row = await Query(new TransactionFilter()).FirstOrDefaultAsync(r => r.T.Id == id, ct);
        if (row is null)
        {
            return Error.NotFound("Transaction");
        }

        var samples = db.MeterSamples.AsNoTracking().Where(m => m.TransactionId == id);
        var total = await samples.CountAsync(ct);
        var page = await samples.OrderBy(m => m.Timestamp).ThenBy(m => m.Id).Skip(skip).Take(take).ToListAsync(ct);
        var lastEnergy = row.T.MeterStopWh is null ? await LastEnergyAsync([id], ct) : [];
        return new TransactionDetail(Row(row.T, row.Identity, lastEnergy), page, total);
    }

    /// <summary>
    /// The energy and power samples of a transaction for its charts, in time order, at most
    /// <see cref="MaxChartSamples"/> (the latest ones when there are more).
    /// </summary>
    public async Task<IReadOnlyList<MeterSample>> ChartSamplesAsync(int id, CancellationToken ct)
    {
        var latest = await db.MeterSamples.AsNoTracking()
            .Where(m => m.TransactionId == id && m.Phase == null
                && (m.Measurand == null || m.Measurand == "Energy.Active.Import.Register" || m.Measurand == "Power.Active.Import"))
            .OrderByDescending(m => m.Timestamp).ThenByDescending(m => m.Id).Take(MaxChartSamples).ToListAsync(ct);
        latest.Reverse();
        return latest;
    }

    /// <summary>The transactions of the filter as CSV (RFC 4180, invariant culture, UTC ISO 8601).</summary>
    public async Task<string> ExportCsvAsync(TransactionFilter filter, CancellationToken ct)
    {
        var (items, _) = await ListAsync(filter, 0, int.MaxValue, ct);
        var csv = new StringBuilder("id,station,connectorId,idTag,startedAt,stoppedAt,meterStartWh,meterStopWh,energyWh,stopReason\r\n");
        foreach (var r in items)
        {
            var t = r.Transaction;
            csv.Append(CultureInfo.InvariantCulture, $"{t.Id},{Csv.Field(r.StationIdentity)},{t.ConnectorId},{Csv.Field(t.IdTag)},{t.StartedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ},")
               .Append(CultureInfo.InvariantCulture, $"{t.StoppedAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)},{t.MeterStartWh},{t.MeterStopWh},{r.EnergyWh},{Csv.Field(t.StopReason)}\r\n");
        }

        return csv.ToString();
    }

    /// <summary>Energy register readings (Wh) of a transaction's samples, in time order; kWh values are converted.</summary>
    public static IReadOnlyList<(DateTimeOffset At, long Wh)> EnergySeries(IEnumerable<MeterSample> samples) =>
        samples.Where(s => s.Measurand is null or "Energy.Active.Import.Register" && s.Phase is null)
            .Select(s => (s.Timestamp, Value: Number(s.Value) * (s.Unit == "kWh" ? 1000 : 1)))
            .Where(p => p.Value is not null)
            .Select(p => (p.Timestamp, (long)Math.Round(p.Value!.Value)))
            .ToList();

    /// <summary>Active power readings (W) of a transaction's samples, in time order; kW values are converted.</summary>
    public static IReadOnlyList<(DateTimeOffset At, double W)> PowerSeries(IEnumerable<MeterSample> samples) =>
        samples.Where(s => s.Measurand == "Power.Active.Import" && s.Phase is null)
            .Select(s => (s.Timestamp, Value: Number(s.Value) * (s.Unit == "kW" ? 1000 : 1)))
            .Where(p => p.Value is not null)
            .Select(p => (p.Timestamp, p.Value!.Value))
            .ToList();

    private static double? Number(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    private IQueryable<Joined> Query(TransactionFilter filter)
    {
        var query = from t in db.Transactions.AsNoTracking()
                    join s in db.Stations.AsNoTracking() on t.StationId equals s.Id
                    select new Joined { T = t, Identity = s.Identity };
        if (filter.Station is { Length: > 0 } station)
        {
            query = query.Where(r => r.Identity == station);
        }

        if (filter.IdTag is { Length: > 0 } tag)
        {
            query = query.Where(r => r.T.IdTag == tag);
        }

        if (filter.Active is { } active)
        {
            query = active ? query.Where(r => r.T.StoppedAt == null) : query.Where(r => r.T.StoppedAt != null);
        }

        if (filter.From is { } from)
        {
            query = query.Where(r => r.T.StartedAt >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(r => r.T.StartedAt < to);
        }

        return query;
    }

    private async Task<Dictionary<int, long>> LastEnergyAsync(List<int> activeIds, CancellationToken ct)
    {
        if (activeIds.Count == 0)
        {
            return [];
        }

        var samples = await db.MeterSamples.AsNoTracking()
            .Where(m => m.TransactionId != null && activeIds.Contains(m.TransactionId.Value) && (m.Measurand == null || m.Measurand == "Energy.Active.Import.Register"))
            .ToListAsync(ct);
        return samples.GroupBy(m => m.TransactionId!.Value)
            .Select(g => (g.Key, Series: EnergySeries(g.OrderBy(m => m.Timestamp))))
            .Where(g => g.Series.Count > 0)
            .ToDictionary(g => g.Key, g => g.Series[^1].Wh);
    }

    private static TransactionRow Row(ChargingTransaction t, string identity, Dictionary<int, long> lastEnergy)
    {
        // A meterStop below meterStart (flagged) is no energy at all: unknown, never negative; nor is it known
        // without a meter start (a 2.0.1 transaction that has sent no energy reading yet). A stop without a meter
        // reading (2.0.1 Ended without one) counts up to the last reading.
        long? energy = t.Anomalies.HasFlag(TransactionAnomalies.MeterStopBelowStart) || t.Anomalies.HasFlag(TransactionAnomalies.MeterStartUnknown) ? null
            : t.MeterStopWh is { } stop ? stop - t.MeterStartWh
            : lastEnergy.TryGetValue(t.Id, out var last) ? last - t.MeterStartWh : null;
        return new TransactionRow(t, identity, energy);
    }

    private sealed class Joined
    {
        public required ChargingTransaction T { get; init; }
        public required string Identity { get; init; }
    }
}
