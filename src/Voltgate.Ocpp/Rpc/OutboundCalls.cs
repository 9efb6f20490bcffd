using System.Text.Json;

namespace Voltgate.Ocpp.Rpc;

public enum CallOutcomeKind
{
    Result,
    Error,
    Timeout,
    Closed,
    QueueFull,

    /// <summary>The station answered with a CALLRESULT that violates the action's response schema; nothing is used from it.</summary>
    InvalidResponse,

    /// <summary>
    /// The CALL was sent, then the connection closed before an answer came (a station's Hard Reset, typically): the
    /// station may well have acted on it. <see cref="Closed"/>, by contrast, means nothing was sent.
    /// </summary>
    ClosedBeforeAnswer,
}

/// <summary>How a server-to-station CALL ended.</summary>
public sealed record CallOutcome(CallOutcomeKind Kind, JsonElement Payload = default, string? ErrorCode = null, string? ErrorDescription = null)
{
    public static CallOutcome Closed { get; } = new(CallOutcomeKind.Closed);
    public static CallOutcome Timeout { get; } = new(CallOutcomeKind.Timeout);
    public static CallOutcome QueueFull { get; } = new(CallOutcomeKind.QueueFull);
    public static CallOutcome ClosedBeforeAnswer { get; } = new(CallOutcomeKind.ClosedBeforeAnswer);
}

/// <summary>
/// Server-to-station CALLs of one connection: one in flight at a time (OCPP-J §4.1.1), the rest queued (bounded),
/// each with a timeout. Responses are correlated by message id; a late or unknown response is reported to the
/// caller and dropped. Transport-agnostic: the connection supplies <c>send</c>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "SemaphoreSlim never allocates its wait handle here; disposing it would race with late releases.")]
public sealed class OutboundCalls(Func<byte[], CancellationToken, Task> send, TimeProvider time, TimeSpan timeout, int maxQueued)
{
    private readonly SemaphoreSlim _inFlight = new(1, 1);
    private readonly Lock _gate = new();
    private int _waiting;
    private bool _closed;
    private string? _pendingId;
    private TaskCompletionSource<CallOutcome>? _pending;

    public async Task<CallOutcome> CallAsync(string action, byte[] payloadJson, CancellationToken ct)
    {
        if (Interlocked.Increment(ref _waiting) > maxQueued + 1)
        {
            Interlocked.Decrement(ref _waiting);
            return CallOutcome.QueueFull;
        }

        try
        {
            await _inFlight.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Decrement(ref _waiting);
            throw;
        }

        try
        {
            var tcs = new TaskCompletionSource<CallOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            var id = Guid.NewGuid().ToString();
            lock (_gate)
            {
                if (_closed)
                {
                    return CallOutcome.Closed;
                }

                _pendingId = id;
                _pending = tcs;
            }

            try
            {
                await send(OcppFrameCodec.WriteCall(id, action, payloadJson), ct);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
            {
                // The frame did not go out: as offline as a station can be.
                return CallOutcome.Closed;
            }

            using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var delay = Task.Delay(timeout, time, timeoutCts.Token);
            var winner = await Task.WhenAny(tcs.Task, delay);
            await timeoutCts.CancelAsync();
            if (winner == tcs.Task)
            {
                return await tcs.Task;
            }

            ct.ThrowIfCancellationRequested();
            return CallOutcome.Timeout;
        }
        finally
        {
            lock (_gate)
            {
                _pendingId = null;
                _pending = null;
            }

            Interlocked.Decrement(ref _waiting);
            _inFlight.Release();
        }
    }

    /// <summary>Completes the pending call with a CALLRESULT or CALLERROR; false when nobody waits for this id.</summary>
    public bool TryComplete(OcppFrame response)
    {
        TaskCompletionSource<CallOutcome>? pending;
        lock (_gate)
        {
            if (_pending is null || !string.Equals(_pendingId, response.MessageId, StringComparison.Ordinal))
            {
                return false;
            }

            pending = _pending;
            _pending = null;
            _pendingId = null;
        }

        return pending.TrySetResult(response.Kind == FrameKind.CallResult
            ? new CallOutcome(CallOutcomeKind.Result, response.Payload)
            : new CallOutcome(CallOutcomeKind.Error, response.Payload, response.ErrorCode, response.ErrorDescription));
    }

    /// <summary>Fails the pending call and every later one (the socket is gone).</summary>
    public void Close()
    {
        TaskCompletionSource<CallOutcome>? pending;
        lock (_gate)
        {
            _closed = true;
            pending = _pending;
            _pending = null;
        }

        // A pending call was sent (or is being sent): the station may have received it.
        pending?.TrySetResult(CallOutcome.ClosedBeforeAnswer);
    }
}
