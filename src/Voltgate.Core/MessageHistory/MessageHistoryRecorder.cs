using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Voltgate.Core.MessageHistory;

/// <summary>Hands a station's frames to the persistent message history.</summary>
public interface IMessageRecorder
{
    /// <summary>Hot path: copies the frame and queues it; never waits and never throws. Frames beyond the queue are dropped and counted.</summary>
    void Record(Guid tenantId, string identity, MessageDirection direction, ReadOnlySpan<byte> frame, DateTimeOffset at);

    /// <summary>Completes once every frame recorded before the call is in the database (tests, shutdown).</summary>
    Task FlushAsync(CancellationToken ct);

    /// <summary>Frames dropped because the queue was full (the database did not keep up).</summary>
    long Dropped { get; }
}

/// <summary>
/// The message history's hot path and its own loop. A frame costs the socket thread a copy and a queue slot; the loop
/// redacts and reads it (<see cref="HistoryFrameReader"/>) and hands the rows, many at a time, to the group-commit
/// writer as one write per flush interval: the history rides on the station messages' batches instead of adding a
/// write per frame.
/// </summary>
/// <remarks>
/// History is best effort by design: when the database falls behind, the bounded queue fills and further frames are
/// dropped (and counted) rather than slowing the stations down through back-pressure. A failed write is logged and
/// its rows are lost; the stations' own messages are unaffected.
/// </remarks>
internal sealed partial class MessageHistoryRecorder : BackgroundService, IMessageRecorder
{
    private const int RowsPerWrite = 2_000;
    private const int MaxPendingCalls = 200_000;

    private readonly MessageHistoryOptions _options;
    private readonly MessageHistoryBatch _batch;
    private readonly MessageRecordingSettings _recording;
    private readonly ILogger<MessageHistoryRecorder> _logger;
    private readonly Channel<Pending> _queue;

    // The action of each CALL not answered yet, so that its CALLRESULT / CALLERROR can be searched by action too.
    private readonly Dictionary<(Guid, string, MessageDirection, string), string> _openCalls = [];
    private long _dropped;

    public MessageHistoryRecorder(MessageHistoryOptions options, MessageHistoryBatch batch, MessageRecordingSettings recording, ILogger<MessageHistoryRecorder> logger)
    {
        _options = options;
        _batch = batch;
        _recording = recording;
        _logger = logger;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Rows committed per station since the cleanup last trimmed it (read and reset by the cleanup).</summary>
    internal ConcurrentDictionary<(Guid TenantId, string Identity), int> WrittenSinceTrim { get; } = new();

    public void Record(Guid tenantId, string identity, MessageDirection direction, ReadOnlySpan<byte> frame, DateTimeOffset at)
    {
        var recording = _recording.For(tenantId, identity);
        if (recording == HistoryRecording.Off)
        {
            return;
        }

        if (!_queue.Writer.TryWrite(new Pending(tenantId, identity, direction, frame.ToArray(), at, recording == HistoryRecording.Full, null)))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new Pending(Guid.Empty, "", MessageDirection.In, [], default, false, done), ct);
        await done.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var rows = new List<StationMessage>(RowsPerWrite);
        var flushes = new List<TaskCompletionSource>();
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                // Let a flush interval's frames gather: one write for all of them.
                await Task.Delay(_options.FlushIntervalMs, stoppingToken);
                await DrainAsync(rows, flushes, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is queued is written once more, without the token (the writer drains on stop too).
            try
            {
                await DrainAsync(rows, flushes, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or OperationCanceledException or ChannelClosedException)
            {
                LogShutdownLoss(_logger, ex.GetType().Name);
            }
        }
    }

    private async Task DrainAsync(List<StationMessage> rows, List<TaskCompletionSource> flushes, CancellationToken ct)
    {
        while (_queue.Reader.TryRead(out var pending))
        {
            if (pending.Flushed is { } flushed)
            {
                flushes.Add(flushed);
                continue;
            }

            rows.Add(ToRow(pending));
            if (rows.Count == RowsPerWrite)
            {
                await WriteAsync(rows, ct);
            }
        }

        await WriteAsync(rows, ct);
        foreach (var flushed in flushes)
        {
            flushed.TrySetResult();
        }

        flushes.Clear();
    }

    private StationMessage ToRow(Pending p)
    {
        var row = HistoryFrameReader.Read(p.TenantId, p.Identity, p.Direction, p.Frame, p.At, p.Full);
        if (row.MessageId is { } id)
        {
            if (row.MessageType == OcppMessageType.Call && row.Action is { } action)
            {
                if (_openCalls.Count >= MaxPendingCalls)
                {
                    _openCalls.Clear(); // calls that never got an answer; forgetting them only loses the action of a late answer
                }

                _openCalls[(p.TenantId, p.Identity, p.Direction, id)] = action;
            }
            else if (row.MessageType is OcppMessageType.CallResult or OcppMessageType.CallError)
            {
                var callDirection = p.Direction == MessageDirection.In ? MessageDirection.Out : MessageDirection.In;
                if (_openCalls.Remove((p.TenantId, p.Identity, callDirection, id), out var answered))
                {
                    row.Action = answered;
                }
            }
        }

        return row;
    }

    private async Task WriteAsync(List<StationMessage> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var written = rows.ToArray();
        rows.Clear();
        try
        {
            await _batch.WriteAsync(written, ct);
            foreach (var row in written)
            {
                WrittenSinceTrim.AddOrUpdate((row.TenantId, row.Identity), 1, static (_, n) => n + 1);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogWriteFailed(_logger, written.Length, ex.GetType().Name);
        }
    }

    private sealed record Pending(Guid TenantId, string Identity, MessageDirection Direction, byte[] Frame, DateTimeOffset At, bool Full, TaskCompletionSource? Flushed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} message-history rows could not be written ({Error}); they are lost, the stations are not affected")]
    private static partial void LogWriteFailed(ILogger logger, int count, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message-history frames queued at shutdown could not be written ({Error})")]
    private static partial void LogShutdownLoss(ILogger logger, string error);
}
