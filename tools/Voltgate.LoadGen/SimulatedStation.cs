using System.Diagnostics;
using System.Net.WebSockets;

namespace Voltgate.LoadGen;

/// <summary>State shared by all stations of one run.</summary>
public sealed class RunContext
{
    private readonly TaskCompletionSource _allSettled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _unsettled;
    private long _lastHandshakeTicks;

    public RunContext(LoadGenOptions options, RunMetrics metrics, StationConnector connector)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Metrics = metrics;
        Connector = connector;
        InFlight = options.MaxInFlight > 0 ? new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight) : null;
        CallTimeout = TimeSpan.FromSeconds(options.CallTimeoutSeconds);
        ConnectTimeout = TimeSpan.FromSeconds(options.ConnectTimeoutSeconds);
        _unsettled = options.Stations;
    }

    public LoadGenOptions Options { get; }

    /// <summary>Tells this run's 2.0.1 transaction ids from an earlier run's.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N")[..12];

    public RunMetrics Metrics { get; }

    public StationConnector Connector { get; }

    public SemaphoreSlim? InFlight { get; }

    public TimeSpan CallTimeout { get; }

    public TimeSpan ConnectTimeout { get; }

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    /// <summary>Completes when every station has either booted or failed.</summary>
    public Task AllSettled => _allSettled.Task;

    public TimeSpan LastHandshakeAt => TimeSpan.FromTicks(Volatile.Read(ref _lastHandshakeTicks));

    public double Now => Clock.Elapsed.TotalSeconds;

    public void Settled(int count = 1)
    {
        if (Interlocked.Add(ref _unsettled, -count) <= 0)
        {
            _allSettled.TrySetResult();
        }
    }

    public void HandshakeDone() => Interlocked.Exchange(ref _lastHandshakeTicks, Clock.Elapsed.Ticks);
}

/// <summary>Answer to one of our CALLs: Number carries Boot's interval or StartTransaction's transactionId.</summary>
public readonly record struct CallReply(string? ErrorCode, string? Status, long Number);

/// <summary>
/// One simulated OCPP 1.6J or 2.0.1 station: handshake, BootNotification, StatusNotification, then periodic traffic.
/// A 2.0.1 station opens one transaction after boot (TransactionEvent Started) and sends its meter ticks as
/// TransactionEvent Updated with meter values, the 2.0.1 counterpart of 1.6's MeterValues.
/// One CALL of ours is outstanding at a time; server CALLs are answered from the receive loop.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification =
    "The semaphores never create a wait handle, so Dispose would free nothing; the receive loop may still release one after the run.")]
public sealed class SimulatedStation
{
    private readonly RunContext _ctx;
    private readonly string _identity;
    private readonly Uri _uri;
    private readonly int _index;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Lock _sync = new();
    private ClientWebSocket? _ws;
    private long _nextId;
    private long _pendingId = -1;
    private long _pendingStarted;
    private StationAction _pendingAction;
    private TaskCompletionSource<CallReply>? _pending;
    private int _trigger;
    private long _energyWh;
    private long _bootInterval = 300;
    private volatile bool _stopping;
    private volatile bool _lost;

    // The TransactionEvent the next CALL writes (2.0.1); set before each call, one CALL at a time.
    private TransactionEventType _eventType;
    private string _eventTransaction = "";
    private int _eventSeqNo;
    private string _steadyTransaction = "";
    private int _steadySeqNo;
    private int _transactions;

    public SimulatedStation(RunContext context, int index)
    {
        ArgumentNullException.ThrowIfNull(context);
        _ctx = context;
        _index = index;
        _identity = context.Options.StationIdentity(index);
        _uri = context.Options.StationUri(index);
    }

    public async Task RunAsync(CancellationToken stop)
    {
        var settled = false;
        try
        {
            if (!await ConnectAsync(stop).ConfigureAwait(false))
            {
                return;
            }

            var receive = ReceiveLoopAsync(_ws!);
            try
            {
                if (await BootAsync(stop).ConfigureAwait(false))
                {
                    await CallAsync(StationAction.StatusNotification, stop).ConfigureAwait(false);
                    if (_ctx.Options.IsOcpp201)
                    {
                        _steadyTransaction = OcppFrames201.TransactionId(_ctx.RunId, _transactions++);
                        await EventAsync(TransactionEventType.Started, _steadyTransaction, _steadySeqNo++, stop).ConfigureAwait(false);
                    }

                    settled = true;
                    _ctx.Settled();
                    await SteadyAsync(stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (WebSocketException)
            {
                // The connection went away; the receive loop has counted it.
            }
            finally
            {
                _stopping = true;
                await CloseAsync(receive).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            if (!settled)
            {
                _ctx.Settled();
            }
        }
    }

    private async Task<bool> ConnectAsync(CancellationToken stop)
    {
        var ws = new ClientWebSocket();
        ws.Options.AddSubProtocol(_ctx.Options.Protocol);
        ws.Options.CollectHttpResponseDetails = true;

        // The server pings (ocpp-rpc every 30 s); our own keep-alive would add a timer per station.
        ws.Options.KeepAliveInterval = TimeSpan.Zero;
        if (_ctx.Options.Password is { } password)
        {
            ws.Options.SetRequestHeader("Authorization", BasicAuth.HeaderValue(_identity, password));
        }

        var gate = _ctx.InFlight;
        if (gate is not null)
        {
            await gate.WaitAsync(stop).ConfigureAwait(false);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(_ctx.ConnectTimeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await ws.ConnectAsync(_uri, _ctx.Connector.ForStation(_index), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stop.IsCancellationRequested)
        {
            _ctx.Metrics.ConnectFailed(StationConnector.ClassifyFailure(ex, ws.HttpStatusCode, timeout.IsCancellationRequested));
            ws.Dispose();
            return false;
        }
        catch
        {
            ws.Dispose();
            throw;
        }
        finally
        {
            gate?.Release();
        }

        if (ws.SubProtocol != _ctx.Options.Protocol)
        {
            _ctx.Metrics.ConnectFailed("no " + _ctx.Options.Protocol + " subprotocol in answer");
            ws.Abort();
            ws.Dispose();
            return false;
        }

        ws.HttpResponseHeaders = null;   // only wanted for failures; frees the dictionary
        _ctx.Metrics.HandshakeSucceeded(ElapsedMicros(started));
        _ctx.HandshakeDone();
        _ws = ws;
        return true;
    }

    private async Task<bool> BootAsync(CancellationToken stop)
    {
        while (true)
        {
            var reply = await CallAsync(StationAction.BootNotification, stop).ConfigureAwait(false);
            if (reply is null || reply.Value.ErrorCode is not null)
            {
                return false;
            }

            if (reply.Value.Number > 0)
            {
                _bootInterval = reply.Value.Number;
            }

            if (reply.Value.Status == "Accepted")
            {
                return true;
            }

            // Pending/Rejected: the station may only retry after the interval the server gave.
            _ctx.Metrics.BootNotAccepted();
            await Task.Delay(TimeSpan.FromSeconds(Math.Clamp(_bootInterval, 1, 60)), stop).ConfigureAwait(false);
        }
    }

    private async Task SteadyAsync(CancellationToken stop)
    {
        var o = _ctx.Options;
        var heartbeat = o.HeartbeatIntervalSeconds > 0 ? o.HeartbeatIntervalSeconds : Math.Max(1, _bootInterval);
        var meter = o.MeterIntervalSeconds;
        var transactionEvery = o.TransactionsPerSecond > 0 ? o.Stations / o.TransactionsPerSecond : 0;

        // Random phases spread every kind of traffic evenly over its interval.
        var now = _ctx.Now;
        var nextHeartbeat = now + (heartbeat * Random.Shared.NextDouble());
        var nextMeter = meter > 0 ? now + (meter * Random.Shared.NextDouble()) : double.PositiveInfinity;
        var nextTransaction = transactionEvery > 0 ? now + (transactionEvery * Random.Shared.NextDouble()) : double.PositiveInfinity;

        while (!stop.IsCancellationRequested && !_lost)
        {
            var trigger = (StationTrigger)Interlocked.Exchange(ref _trigger, 0);
            if (trigger != StationTrigger.None)
            {
                await RunTriggerAsync(trigger, stop).ConfigureAwait(false);
                continue;
            }

            var due = Math.Min(nextHeartbeat, Math.Min(nextMeter, nextTransaction));
            // Timers tick in whole milliseconds: a shorter wait would return at once and spin on the clock until due,
            // so anything due within a millisecond is sent now.
            var waitMs = Math.Ceiling((due - _ctx.Now) * 1000);
            if (waitMs > 1)
            {
                await _wake.WaitAsync(TimeSpan.FromMilliseconds(waitMs), stop).ConfigureAwait(false);
                continue;
            }

            if (due == nextHeartbeat)
            {
                await CallAsync(StationAction.Heartbeat, stop).ConfigureAwait(false);
                nextHeartbeat = Next(nextHeartbeat, heartbeat);
            }
            else if (due == nextMeter)
            {
                _energyWh += 10;
                await MeterAsync(stop).ConfigureAwait(false);
                nextMeter = Next(nextMeter, meter);
            }
            else
            {
                await TransactionAsync(stop).ConfigureAwait(false);
                nextTransaction = Next(nextTransaction, transactionEvery);
            }
        }
    }

    /// <summary>Keeps the schedule, but a station that fell behind (slow server) does not burst to catch up.</summary>
    private double Next(double due, double interval)
    {
        var next = due + interval;
        var now = _ctx.Now;
        return next < now ? now + interval : next;
    }

    private async Task RunTriggerAsync(StationTrigger trigger, CancellationToken stop)
    {
        switch (trigger)
        {
            case StationTrigger.BootNotification:
                await CallAsync(StationAction.BootNotification, stop).ConfigureAwait(false);
                break;
            case StationTrigger.Heartbeat:
                await CallAsync(StationAction.Heartbeat, stop).ConfigureAwait(false);
                break;
            case StationTrigger.StatusNotification:
                await CallAsync(StationAction.StatusNotification, stop).ConfigureAwait(false);
                break;
            case StationTrigger.MeterValues:
                await MeterAsync(stop).ConfigureAwait(false);
                break;
            case StationTrigger.Transaction:
                await TransactionAsync(stop).ConfigureAwait(false);
                break;
            default:
                break;
        }
    }

    // A meter tick: MeterValues (1.6), or an Updated of the station's open transaction (2.0.1).
    private Task<CallReply?> MeterAsync(CancellationToken stop) =>
        _ctx.Options.IsOcpp201
            ? EventAsync(TransactionEventType.Updated, _steadyTransaction, _steadySeqNo++, stop)
            : CallAsync(StationAction.MeterValues, stop);

    private Task<CallReply?> EventAsync(TransactionEventType type, string transactionId, int seqNo, CancellationToken stop)
    {
        (_eventType, _eventTransaction, _eventSeqNo) = (type, transactionId, seqNo);
        return CallAsync(StationAction.TransactionEvent, stop);
    }

    private async Task TransactionAsync(CancellationToken stop)
    {
        if (_ctx.Options.IsOcpp201)
        {
            await Transaction201Async(stop).ConfigureAwait(false);
            return;
        }

        var start = await CallAsync(StationAction.StartTransaction, stop).ConfigureAwait(false);
        if (start is not { ErrorCode: null, Number: > 0 } started)
        {
            return;
        }

        _energyWh += 1500;
        await CallAsync(StationAction.MeterValues, stop, started.Number).ConfigureAwait(false);
        _energyWh += 1500;
        var stopped = await CallAsync(StationAction.StopTransaction, stop, started.Number).ConfigureAwait(false);
        if (stopped is { ErrorCode: null })
        {
            _ctx.Metrics.TransactionCompleted();
        }
    }

    // A whole 2.0.1 transaction (the EVSE 2 beside the steady one on EVSE 1): Started, Updated, Ended.
    private async Task Transaction201Async(CancellationToken stop)
    {
        var transactionId = OcppFrames201.TransactionId(_ctx.RunId, _transactions++);
        if (await EventAsync(TransactionEventType.Started, transactionId, 0, stop).ConfigureAwait(false) is not { ErrorCode: null })
        {
            return;
        }

        _energyWh += 1500;
        await EventAsync(TransactionEventType.Updated, transactionId, 1, stop).ConfigureAwait(false);
        _energyWh += 1500;
        if (await EventAsync(TransactionEventType.Ended, transactionId, 2, stop).ConfigureAwait(false) is { ErrorCode: null })
        {
            _ctx.Metrics.TransactionCompleted();
        }
    }

    /// <summary>Sends one CALL and waits for its answer; null when it timed out.</summary>
    private async Task<CallReply?> CallAsync(StationAction action, CancellationToken stop, long transactionId = 0)
    {
        var gate = _ctx.InFlight;
        if (gate is not null)
        {
            await gate.WaitAsync(stop).ConfigureAwait(false);
        }

        try
        {
            var id = ++_nextId;
            var answer = new TaskCompletionSource<CallReply>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (var frame = new PooledBufferWriter())
            {
                Write(action, id, transactionId, frame);
                lock (_sync)
                {
                    _pendingId = id;
                    _pendingAction = action;
                    _pending = answer;
                    _pendingStarted = Stopwatch.GetTimestamp();
                }

                await SendAsync(frame.WrittenMemory, stop).ConfigureAwait(false);
            }

            if (_lost)
            {
                // The receive loop may have ended between our check and the registration above.
                FailPending();
            }

            try
            {
                return await answer.Task.WaitAsync(_ctx.CallTimeout, stop).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                lock (_sync)
                {
                    if (_pendingId == id)
                    {
                        _pendingId = -1;
                        _pending = null;
                        _ctx.Metrics.Timeout(action);
                        return null;
                    }
                }

                // The answer won the race against the timeout; it is already recorded.
                return await answer.Task.ConfigureAwait(false);
            }
        }
        finally
        {
            gate?.Release();
        }
    }

    private void Write(StationAction action, long id, long transactionId, PooledBufferWriter frame)
    {
        if (_ctx.Options.IsOcpp201)
        {
            Write201(action, id, frame);
            return;
        }

        switch (action)
        {
            case StationAction.BootNotification:
                OcppFrames.BootNotification(frame, id, "Voltgate", "LoadGen", _identity);
                break;
            case StationAction.StatusNotification:
                OcppFrames.StatusNotification(frame, id, 1, "Available", DateTime.UtcNow);
                break;
            case StationAction.Heartbeat:
                OcppFrames.Heartbeat(frame, id);
                break;
            case StationAction.MeterValues:
                OcppFrames.MeterValues(frame, id, 1, transactionId > 0 ? transactionId : null, _energyWh, DateTime.UtcNow);
                break;
            case StationAction.StartTransaction:
                OcppFrames.StartTransaction(frame, id, 1, "LOADGEN-TAG", _energyWh, DateTime.UtcNow);
                break;
            case StationAction.StopTransaction:
                OcppFrames.StopTransaction(frame, id, transactionId, _energyWh, DateTime.UtcNow);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action));
        }
    }

    private void Write201(StationAction action, long id, PooledBufferWriter frame)
    {
        switch (action)
        {
            case StationAction.BootNotification:
                OcppFrames201.BootNotification(frame, id, "Voltgate", "LoadGen", _identity);
                break;
            case StationAction.StatusNotification:
                OcppFrames201.StatusNotification(frame, id, 1, "Available", DateTime.UtcNow);
                break;
            case StationAction.Heartbeat:
                OcppFrames.Heartbeat(frame, id);
                break;
            case StationAction.TransactionEvent:
                var evse = _eventTransaction == _steadyTransaction ? 1 : 2;
                OcppFrames201.TransactionEvent(frame, id, _eventType, _eventTransaction, _eventSeqNo, evse,
                    _eventType == TransactionEventType.Started ? "LOADGEN-TAG" : null, _energyWh, DateTime.UtcNow);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action));
        }
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _ws!.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, ct).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync(ClientWebSocket ws)
    {
        const int MaxFrame = 1 << 20;
        try
        {
            while (true)
            {
                // Zero-byte read: wait for data without holding a buffer, so idle stations cost no buffer memory.
                var first = await ws.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
                if (first.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                if (first.EndOfMessage)
                {
                    _ctx.Metrics.MalformedFrame();   // an empty message
                    continue;
                }

                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(4096);
                try
                {
                    var count = 0;
                    ValueWebSocketReceiveResult result;
                    do
                    {
                        if (count == buffer.Length)
                        {
                            if (buffer.Length >= MaxFrame)
                            {
                                throw new WebSocketException(WebSocketError.Faulted, "frame larger than 1 MiB");
                            }

                            var bigger = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                            buffer.AsSpan(0, count).CopyTo(bigger);
                            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                            buffer = bigger;
                        }

                        result = await ws.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None).ConfigureAwait(false);
                        count += result.Count;
                    }
                    while (!result.EndOfMessage);

                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    await HandleFrameAsync(buffer, count).ConfigureAwait(false);
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (WebSocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _lost = true;
            _ctx.Metrics.Closed(unexpected: !_stopping);
            FailPending();
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
    }

    private void FailPending()
    {
        TaskCompletionSource<CallReply>? pending;
        lock (_sync)
        {
            pending = _pending;
            _pending = null;
            _pendingId = -1;
        }

        pending?.TrySetException(new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "connection closed"));
    }

    private ValueTask HandleFrameAsync(byte[] buffer, int count)
    {
        var span = buffer.AsSpan(0, count);
        if (!OcppFrameReader.TryParse(span, out var frame))
        {
            _ctx.Metrics.MalformedFrame();
            return ValueTask.CompletedTask;
        }

        var payload = span.Slice(frame.PayloadStart, frame.PayloadLength);
        if (frame.MessageType == 2)
        {
            _ctx.Metrics.ServerCall(frame.Action!);
            return AnswerServerCallAsync(frame.MessageId!, ServerCallResponder.Answer(frame.Action!, payload));
        }

        TaskCompletionSource<CallReply>? pending = null;
        StationAction action = default;
        long started = 0;
        lock (_sync)
        {
            if (frame.NumericId == _pendingId && _pending is not null)
            {
                pending = _pending;
                action = _pendingAction;
                started = _pendingStarted;
                _pending = null;
                _pendingId = -1;
            }
        }

        if (pending is null)
        {
            _ctx.Metrics.LateReply();
            return ValueTask.CompletedTask;
        }

        var latency = ElapsedMicros(started);
        var reply = frame.MessageType == 4
            ? new CallReply(frame.ErrorCode ?? "", null, 0)
            : action switch
            {
                StationAction.BootNotification => new CallReply(
                    null,
                    OcppFrameReader.GetString(payload, "status"u8),
                    OcppFrameReader.GetInt64(payload, "interval"u8) ?? 0),
                StationAction.StartTransaction => new CallReply(null, null, OcppFrameReader.GetInt64(payload, "transactionId"u8) ?? 0),
                _ => new CallReply(null, null, 0),
            };
        _ctx.Metrics.Answer(action, latency, reply.ErrorCode);
        pending.TrySetResult(reply);
        return ValueTask.CompletedTask;
    }

    private async ValueTask AnswerServerCallAsync(string messageId, ServerCallAnswer answer)
    {
        using var frame = new PooledBufferWriter();
        if (answer.Payload is null)
        {
            OcppFrames.CallError(frame, messageId, "NotImplemented", "");
        }
        else
        {
            OcppFrames.CallResult(frame, messageId, answer.Payload);
        }

        await SendAsync(frame.WrittenMemory, CancellationToken.None).ConfigureAwait(false);
        if (answer.Trigger != StationTrigger.None)
        {
            Interlocked.Exchange(ref _trigger, (int)answer.Trigger);
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
    }

    private async Task CloseAsync(Task receive)
    {
        var ws = _ws!;
        try
        {
            if (ws.State == WebSocketState.Open && await _sendLock.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false))
            {
                try
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "load test over", cts.Token).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }
            }

            await receive.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
        }
        finally
        {
            ws.Abort();
            ws.Dispose();
        }
    }

    private static long ElapsedMicros(long startedTimestamp) =>
        (long)Stopwatch.GetElapsedTime(startedTimestamp).TotalMicroseconds;
}
