using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;
using Voltgate.Core.Stations;
using Voltgate.Core.Telemetry;
using Voltgate.Server.Diagnostics;

namespace Voltgate.Server.Ocpp.FrontDoor;

/// <summary>
/// Refusals before a station is known (network not allowed, not an upgrade, bad path, unknown tenant, TLS handshake
/// failed), folded in memory per source address, endpoint, reason and minute, and written every few seconds by
/// <see cref="UnattributedAttemptWriter"/>. Recording is a dictionary update: a flood costs no database write per
/// attempt, and at most <see cref="DiagnosticsOptions.MaxPendingAggregates"/> aggregates are held, so a flood from
/// many addresses cannot grow memory either (the surplus is counted in <see cref="Overflowed"/>).
/// </summary>
internal sealed class UnattributedAttempts(DiagnosticsOptions options, VoltgateMetrics metrics, TimeProvider time)
{
    private static readonly TimeSpan Bucket = TimeSpan.FromMinutes(1);

    private ConcurrentDictionary<Key, Aggregate> _pending = new();
    private long _overflowed;

    public DiagnosticsOptions Options => options;

    /// <summary>Attempts not kept because too many distinct aggregates were waiting to be written.</summary>
    public long Overflowed => Interlocked.Read(ref _overflowed);

    public int PendingCount => _pending.Count;

    public void Record(IPAddress source, string endpoint, UnattributedReason reason, string? detail)
    {
        metrics.UnattributedAttempt(reason.ToString());
        var now = time.GetUtcNow();
        var key = new Key(Normalise(source), endpoint, reason, RefusedAttemptAggregation.BucketOf(now, Bucket));
        var pending = _pending;
        if (pending.TryGetValue(key, out var existing))
        {
            existing.Add(now);
            return;
        }

        if (pending.Count >= options.MaxPendingAggregates)
        {
            Interlocked.Increment(ref _overflowed);
            return;
        }

        pending.GetOrAdd(key, _ => new Aggregate(now, Clean(detail))).AddIfNew(now);
    }

    /// <summary>Takes what was recorded since the last call (the writer's side).</summary>
    public IReadOnlyList<UnattributedAttempt> Drain()
    {
        var taken = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<Key, Aggregate>());
        // Oldest first, so row ids grow with time and trimming by id deletes the oldest.
        return taken.OrderBy(p => p.Value.First).Select(p => new UnattributedAttempt
        {
            At = p.Value.First,
            LastAt = p.Value.Last,
            Count = p.Value.Count,
            SourceAddress = p.Key.Source,
            Endpoint = p.Key.Endpoint,
            Reason = p.Key.Reason,
            Detail = p.Value.Detail,
        }).ToList();
    }

    private static string Normalise(IPAddress address)
    {
        var text = (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
        return text.Length <= UnattributedAttempt.MaxAddressLength ? text : text[..UnattributedAttempt.MaxAddressLength];
    }

    /// <summary>Printable ASCII only and bounded: the path comes from whoever connected.</summary>
    private static string? Clean(string? detail)
    {
        if (string.IsNullOrEmpty(detail))
        {
            return null;
        }

        var text = new StringBuilder(Math.Min(detail.Length, UnattributedAttempt.MaxDetailLength));
        foreach (var c in detail)
        {
            if (text.Length == UnattributedAttempt.MaxDetailLength)
            {
                break;
            }

            text.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return text.ToString();
    }

    private readonly record struct Key(string Source, string Endpoint, UnattributedReason Reason, DateTimeOffset Bucket);

    private sealed class Aggregate(DateTimeOffset first, string? detail)
    {
        private readonly Lock _gate = new();

        public DateTimeOffset First { get; } = first;
        public DateTimeOffset Last { get; private set; } = first;
        public int Count { get; private set; }
        public string? Detail { get; } = detail;

        public void Add(DateTimeOffset at)
        {
            lock (_gate)
            {
                Count++;
                if (at > Last)
                {
                    Last = at;
                }
            }
        }

        /// <summary>The creator's own attempt (GetOrAdd may hand a racing creator the winner's aggregate: it counts there).</summary>
        public void AddIfNew(DateTimeOffset at) => Add(at);
    }
}

/// <summary>
/// Writes the aggregates every <see cref="DiagnosticsOptions.FlushInterval"/>: a minute's row already stored for the
/// same source, endpoint and reason gets its count raised, otherwise a row is inserted; then rows beyond
/// <see cref="DiagnosticsOptions.MaxUnattributedAttempts"/> are deleted, oldest first, in one statement.
/// </summary>
internal sealed partial class UnattributedAttemptWriter(UnattributedAttempts attempts, IServiceScopeFactory scopes, ILogger<UnattributedAttemptWriter> logger) : BackgroundService
{
    private readonly SemaphoreSlim _writing = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(attempts.Options.FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FlushAsync(CancellationToken.None);
        }
    }

    /// <summary>Writes what is pending now (also for tests).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        await _writing.WaitAsync(ct);
        try
        {
            var batch = attempts.Drain();
            if (batch.Count == 0)
            {
                return;
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
            await MergeAsync(db, batch, ct);
            await db.SaveChangesAsync(ct);
            await TrimAsync(db, attempts.Options.MaxUnattributedAttempts, ct);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            LogWriteFailed(logger, ex.GetType().Name);
        }
        finally
        {
            _writing.Release();
        }
    }

    private static async Task MergeAsync(VoltgateDbContext db, IReadOnlyList<UnattributedAttempt> batch, CancellationToken ct)
    {
        var earliest = batch.Min(a => a.At);
        var sources = batch.Select(a => a.SourceAddress).Distinct().ToList();
        var stored = await db.UnattributedAttempts.Where(a => a.At >= earliest.AddMinutes(-1) && sources.Contains(a.SourceAddress)).ToListAsync(ct);
        var byKey = stored.GroupBy(KeyOf).ToDictionary(g => g.Key, g => g.OrderBy(a => a.At).First());
        foreach (var attempt in batch)
        {
            if (byKey.TryGetValue(KeyOf(attempt), out var row))
            {
                row.Count += attempt.Count;
                row.LastAt = row.LastAt > attempt.LastAt ? row.LastAt : attempt.LastAt;
            }
            else
            {
                db.UnattributedAttempts.Add(attempt);
            }
        }
    }

    private static (string, string, UnattributedReason, DateTimeOffset) KeyOf(UnattributedAttempt a) =>
        (a.SourceAddress, a.Endpoint, a.Reason, RefusedAttemptAggregation.BucketOf(a.At, TimeSpan.FromMinutes(1)));

    /// <summary>Keeps the newest <paramref name="max"/> rows (by id, which grows with insertion).</summary>
    internal static async Task TrimAsync(VoltgateDbContext db, int max, CancellationToken ct)
    {
        var cutoff = await db.UnattributedAttempts.OrderByDescending(a => a.Id).Skip(max).Select(a => (long?)a.Id).FirstOrDefaultAsync(ct);
        if (cutoff is { } id)
        {
            await db.UnattributedAttempts.Where(a => a.Id <= id).ExecuteDeleteAsync(ct);
        }
    }

    public override void Dispose()
    {
        _writing.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write unattributed connection attempts ({Error}); they are lost")]
    private static partial void LogWriteFailed(ILogger logger, string error);
}
