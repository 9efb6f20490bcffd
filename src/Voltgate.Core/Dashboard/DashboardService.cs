using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Access;
using Voltgate.Core.Data;
using Voltgate.Core.Stations;
using Voltgate.Core.Transactions;

namespace Voltgate.Core.Dashboard;

/// <summary>The operator's overview. Counts follow the caller's data scope.</summary>
public sealed record DashboardSummary(
    int StationsTotal,
    int StationsOnline,
    int StationsOffline,
    int StationsFaulted,
    int StationsPending,
    int FailedHandshakesLastHour,
    IReadOnlyList<int> FailedHandshakesPer10Minutes,
    IReadOnlyDictionary<string, int> FailureReasonsLastHour,
    int ActiveTransactions,
    long EnergyTodayWh,
    IReadOnlyList<long> EnergyTodayPerHourWh);

public sealed class DashboardService(VoltgateDbContext db, CallerAccess access, TimeProvider time)
{
    /// <param name="isOnline">Whether a station (by identity) is online right now.</param>
    public async Task<DashboardSummary> GetAsync(Func<string, bool> isOnline, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var stations = await db.Stations.AsNoTracking().Where(s => s.Active).Select(s => new { s.Id, s.Identity, s.RegistrationStatus }).ToListAsync(ct);
        var ids = stations.Select(s => s.Id).ToList();
        var faulted = await db.ConnectorStatuses.AsNoTracking()
            .Where(c => ids.Contains(c.StationId) && (c.Status == "Faulted" || c.ErrorCode != "NoError"))
            .Select(c => c.StationId).Distinct().CountAsync(ct);
        var online = stations.Count(s => isOnline(s.Identity));

        var hourAgo = now.AddHours(-1);
        var attempts = db.ConnectionAttempts.AsNoTracking().Where(a => a.Result == ConnectionResult.Refused && a.At >= hourAgo);
        if (access.Restricted)
        {
            var visible = stations.Select(s => s.Identity).ToList();
            attempts = attempts.Where(a => visible.Contains(a.Identity));
        }

        // A row stands for Count refused handshakes (refused ones are folded per minute).
        var failures = await attempts.Select(a => new { a.At, a.Reason, a.Count }).ToListAsync(ct);
        var buckets = new int[6];
        foreach (var f in failures)
        {
            buckets[Math.Clamp((int)((f.At - hourAgo).TotalMinutes / 10), 0, 5)] += f.Count;
        }

        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var sessions = await (from t in db.Transactions.AsNoTracking()
                              join s in db.Stations.AsNoTracking() on t.StationId equals s.Id
                              where t.StoppedAt == null || t.StoppedAt >= today
                              select t).ToListAsync(ct);
        var activeIds = sessions.Where(t => t.StoppedAt is null).Select(t => (int?)t.Id).ToList();
        var samples = await db.MeterSamples.AsNoTracking()
            .Where(m => activeIds.Contains(m.TransactionId) && (m.Measurand == null || m.Measurand == "Energy.Active.Import.Register"))
            .ToListAsync(ct);
        var latest = samples.GroupBy(m => m.TransactionId!.Value)
            .Select(g => (g.Key, Series: TransactionService.EnergySeries(g.OrderBy(m => m.Timestamp))))
            .Where(g => g.Series.Count > 0)
            .ToDictionary(g => g.Key, g => g.Series[^1]);
        var perHour = new long[24];
        long energy = 0;
        foreach (var t in sessions)
        {
            var (at, reading) = t.MeterStopWh is { } stop ? (t.StoppedAt!.Value, stop)
                : latest.TryGetValue(t.Id, out var last) ? (last.At, last.Wh) : (now, t.MeterStartWh);
            var wh = Math.Max(0, reading - t.MeterStartWh);
            energy += wh;
            perHour[Math.Clamp((int)(at - today).TotalHours, 0, 23)] += wh;
        }

        return new DashboardSummary(
            stations.Count, online, stations.Count - online, faulted, stations.Count(s => s.RegistrationStatus == RegistrationStatus.Pending),
            failures.Sum(f => f.Count), buckets, failures.GroupBy(f => f.Reason.ToString()).ToDictionary(g => g.Key, g => g.Sum(f => f.Count)),
            activeIds.Count, energy, perHour);
    }
}
