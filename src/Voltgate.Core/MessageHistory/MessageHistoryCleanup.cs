using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Voltgate.Core.MessageHistory;

/// <summary>
/// Keeps the history inside its window: every <see cref="MessageHistoryOptions.CleanupInterval"/> it deletes frames
/// older than <see cref="MessageHistoryOptions.MaxAge"/> in small batches, then trims each station that wrote
/// enough since its last trim to its newest <see cref="MessageHistoryOptions.MaxPerStation"/>. The count bound is
/// therefore approximate between runs (a station may hold up to a tenth more for a while), never unbounded.
/// </summary>
internal sealed partial class MessageHistoryCleanup(
    MessageHistoryOptions options,
    MessageHistoryRecorder recorder,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<MessageHistoryCleanup> logger) : BackgroundService
{
    internal const int DeleteBatch = 2_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CleanupInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCleanupFailed(logger, ex.GetType().Name);
            }
        }
    }

    /// <summary>One pass: age, then count. Returns the rows deleted.</summary>
    internal async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<MessageHistoryStore>();
        var deleted = 0;
        var cutoff = time.GetUtcNow() - options.MaxAge;
        int batch;
        do
        {
            batch = await store.DeleteOlderThanAsync(null, cutoff, DeleteBatch, ct);
            deleted += batch;
        }
        while (batch == DeleteBatch);

        var threshold = Math.Max(1, options.MaxPerStation / 10);
        foreach (var (station, written) in recorder.WrittenSinceTrim)
        {
            if (written < threshold)
            {
                continue;
            }

            recorder.WrittenSinceTrim.AddOrUpdate(station, 0, (_, n) => n - written);
            deleted += await store.TrimStationAsync(station.TenantId, station.Identity, options.MaxPerStation, ct);
        }

        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The message-history cleanup failed ({Error}); it runs again at its next interval")]
    private static partial void LogCleanupFailed(ILogger logger, string error);
}
