using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Voltgate.Core.Audit;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Retention;

/// <summary>One delete statement of a cleanup run, with how long it held the database.</summary>
public sealed record RetentionBatch(Guid TenantId, RetentionKind Kind, int Deleted, TimeSpan Took);

public sealed record RetentionRun(IReadOnlyList<RetentionBatch> Batches)
{
    public int Deleted(RetentionKind kind) => Batches.Where(b => b.Kind == kind).Sum(b => b.Deleted);
}

/// <summary>
/// Deletes every tenant's data older than its retention, kind by kind, in small batches with a pause between them,
/// so that the station-message writer (which needs the same write lock on SQLite) waits at most one batch. Each
/// run that deleted something leaves one audit event per tenant with the counts. Runs on every node: deletes by id
/// are idempotent, so two nodes cleaning at once only share the work.
/// </summary>
public sealed partial class RetentionCleaner(
    IServiceScopeFactory scopes,
    IEnumerable<IRetentionSweep> sweeps,
    RetentionOptions options,
    TimeProvider time,
    ILogger<RetentionCleaner> logger) : IDisposable
{
    private readonly SemaphoreSlim _running = new(1, 1);

    public void Dispose() => _running.Dispose();

    public async Task<RetentionRun> RunOnceAsync(CancellationToken ct)
    {
        await _running.WaitAsync(ct);
        try
        {
            var batches = new List<RetentionBatch>();
            foreach (var (tenantId, settings) in await LoadSettingsAsync(ct))
            {
                var deleted = new Dictionary<RetentionKind, int>();
                foreach (var sweep in sweeps)
                {
                    if (Cutoff(settings, sweep.Kind) is not { } cutoff)
                    {
                        continue;
                    }

                    var count = await SweepAsync(sweep, tenantId, cutoff, batches, ct);
                    if (count > 0)
                    {
                        deleted[sweep.Kind] = deleted.GetValueOrDefault(sweep.Kind) + count;
                    }
                }

                if (deleted.Count > 0)
                {
                    await RecordAsync(tenantId, deleted, ct);
                }
            }

            return new RetentionRun(batches);
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>Where the kind's rows start to be too old; null keeps them. Audit never goes below the legal minimum.</summary>
    private DateTimeOffset? Cutoff(RetentionSettings settings, RetentionKind kind)
    {
        if (settings.Days(kind) is not { } days)
        {
            return null;
        }

        if (kind == RetentionKind.AuditEvents)
        {
            days = Math.Max(days, options.AuditMinimumDays);
        }

        return time.GetUtcNow().AddDays(-days);
    }

    private async Task<int> SweepAsync(IRetentionSweep sweep, Guid tenantId, DateTimeOffset cutoff, List<RetentionBatch> batches, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
            var watch = Stopwatch.StartNew();
            var deleted = await sweep.DeleteBatchAsync(db, tenantId, cutoff, options.BatchSize, ct);
            batches.Add(new RetentionBatch(tenantId, sweep.Kind, deleted, watch.Elapsed));
            total += deleted;
            if (deleted < options.BatchSize)
            {
                return total;
            }

            if (options.BatchPauseMilliseconds > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(options.BatchPauseMilliseconds), time, ct);
            }
        }
    }

    private async Task<List<(Guid TenantId, RetentionSettings Settings)>> LoadSettingsAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var tenants = await db.Tenants.AsNoTracking().Select(t => t.Id).ToListAsync(ct);
        var stored = await db.Set<RetentionSettings>().AsNoTracking().ToDictionaryAsync(s => s.TenantId, ct);
        return tenants.Select(id => (id, stored.GetValueOrDefault(id) ?? new RetentionSettings { TenantId = id })).ToList();
    }

    private async Task RecordAsync(Guid tenantId, Dictionary<RetentionKind, int> deleted, CancellationToken ct)
    {
        await using var scope = scopes.CreateTenantScope(tenantId);
        scope.ServiceProvider.GetRequiredService<AuditLog>().Add("Retention.Deleted", "retention",
            deleted.ToDictionary(d => d.Key.ToString(), d => d.Value));
        await scope.ServiceProvider.GetRequiredService<VoltgateDbContext>().SaveChangesAsync(ct);
        var counts = string.Join(", ", deleted.Select(d => $"{d.Key} {d.Value}"));
        LogDeleted(logger, tenantId, counts);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention cleanup of tenant {TenantId} deleted {Counts}")]
    private static partial void LogDeleted(ILogger logger, Guid tenantId, string counts);
}

/// <summary>Runs <see cref="RetentionCleaner"/> every <see cref="RetentionOptions.IntervalMinutes"/> (the first run a minute after start).</summary>
internal sealed partial class RetentionWorker(RetentionCleaner cleaner, RetentionOptions options, TimeProvider time, ILogger<RetentionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.IntervalMinutes == 0)
        {
            return;
        }

        try
        {
            await Task.Delay(TimeSpan.FromMinutes(1), time, stoppingToken);
            using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.IntervalMinutes), time);
            do
            {
                try
                {
                    await cleaner.RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failed run (database away) is tried again at the next tick; nothing is lost by waiting.
                    LogFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention cleanup failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

public static class RetentionRegistration
{
    /// <summary>Settings, the built-in sweeps and the background cleanup. Other features add their own <see cref="IRetentionSweep"/>.</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, RetentionOptions options)
    {
        services.AddSingleton(options);
        services.AddScoped<RetentionSettingsService>();
        services.AddSingleton<IRetentionSweep, ConnectionAttemptSweep>();
        services.AddSingleton<IRetentionSweep, MeterSampleSweep>();
        services.AddSingleton<IRetentionSweep, AuditEventSweep>();
        services.AddSingleton<IRetentionSweep, MessageHistorySweep>();
        services.AddSingleton<RetentionCleaner>();
        services.AddHostedService<RetentionWorker>();
        return services;
    }
}
