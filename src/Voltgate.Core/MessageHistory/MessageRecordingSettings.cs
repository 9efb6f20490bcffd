using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Voltgate.Core.Data;

namespace Voltgate.Core.MessageHistory;

/// <summary>A station's recording as the API shows it: the default, or an operator's override until a time.</summary>
public sealed record StationRecordingState(HistoryRecording Recording, HistoryRecording Default, bool Overridden, DateTimeOffset? Until, string? UpdatedBy);

/// <summary>
/// What the history records for each station: <see cref="MessageHistoryOptions.Recording"/>, unless an operator records
/// a station differently (in full while debugging it, typically) — kept in <c>StationMessageRecordings</c> so that it
/// survives restarts and every node applies it. The hot path reads an in-memory copy; each node reloads it every
/// <see cref="ReloadInterval"/>, so a change made on another node applies here within that time.
/// </summary>
public sealed partial class MessageRecordingSettings(MessageHistoryOptions options, IServiceScopeFactory scopes, TimeProvider time, ILogger<MessageRecordingSettings> logger)
    : BackgroundService
{
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(15);

    // Copied on every change (rare) and swapped whole, so that the hot path reads it without a lock: a
    // ConcurrentDictionary's IsEmpty takes all its locks when it is empty, which is the common case here.
    private volatile Dictionary<(Guid, string), StationMessageRecording> _overrides = [];
    private readonly Lock _changing = new();

    /// <summary>Hot path: one dictionary look-up, none while no station is overridden.</summary>
    public HistoryRecording For(Guid tenantId, string identity)
    {
        var overrides = _overrides;
        if (overrides.Count == 0 || !overrides.TryGetValue((tenantId, identity), out var o))
        {
            return options.Recording;
        }

        return o.Until is { } until && until <= time.GetUtcNow() ? options.Recording : o.Recording;
    }

    public StationRecordingState StateOf(Guid tenantId, string identity)
    {
        var active = _overrides.TryGetValue((tenantId, identity), out var o) && (o.Until is null || o.Until > time.GetUtcNow());
        return active
            ? new StationRecordingState(o!.Recording, options.Recording, true, o.Until, o.UpdatedBy)
            : new StationRecordingState(options.Recording, options.Recording, false, null, null);
    }

    /// <summary>Records the station as <paramref name="recording"/> until <paramref name="until"/>; null recording returns it to the default.</summary>
    public async Task<StationRecordingState> SetAsync(Guid tenantId, string identity, HistoryRecording? recording, DateTimeOffset? until, string? by, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var row = await db.Set<StationMessageRecording>().FirstOrDefaultAsync(r => r.TenantId == tenantId && r.Identity == identity, ct);
        if (recording is null)
        {
            if (row is not null)
            {
                db.Remove(row);
            }

            Change(o => o.Remove((tenantId, identity)));
        }
        else
        {
            if (row is null)
            {
                row = new StationMessageRecording { TenantId = tenantId, Identity = identity };
                db.Add(row);
            }

            row.Recording = recording.Value;
            row.Until = until;
            row.UpdatedAt = time.GetUtcNow();
            row.UpdatedBy = by;
            Change(o => o[(tenantId, identity)] = row);
        }

        await db.SaveChangesAsync(ct);
        return StateOf(tenantId, identity);
    }

    public async Task ReloadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var rows = await db.Set<StationMessageRecording>().AsNoTracking().ToListAsync(ct);
        lock (_changing)
        {
            _overrides = rows.ToDictionary(r => (r.TenantId, r.Identity));
        }
    }

    private void Change(Action<Dictionary<(Guid, string), StationMessageRecording>> change)
    {
        lock (_changing)
        {
            var copy = new Dictionary<(Guid, string), StationMessageRecording>(_overrides);
            change(copy);
            _overrides = copy;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ReloadInterval, time);
        do
        {
            try
            {
                await ReloadAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReloadFailed(logger, ex.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The message-history recording overrides could not be reloaded ({Error}); the last ones known stay in force")]
    private static partial void LogReloadFailed(ILogger logger, string error);
}
