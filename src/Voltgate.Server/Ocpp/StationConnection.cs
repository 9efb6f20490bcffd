using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Voltgate.Core.OcppHandlers;
using Voltgate.Core.Telemetry;
using Voltgate.Ocpp;
using Voltgate.Ocpp.Rpc;
using Voltgate.Ocpp.V16;
using Voltgate.Ocpp.V201;

namespace Voltgate.Server.Ocpp;

/// <summary>
/// One station's WebSocket: the receive loop (size cap, bad-frame budget), serialised sends, inbound CALLs handed to
/// the dispatcher, and the outbound CALL queue. Knows nothing about what a message means.
/// </summary>
internal sealed partial class StationConnection(
    WebSocket socket,
    OcppStationContext context,
    StationConnectionOptions options,
    IOcppDispatcher dispatcher,
    MessageLog messageLog,
    TimeProvider time,
    ILogger logger,
    VoltgateMetrics metrics) : IDisposable
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private OutboundCalls? _outbound;

    public OcppStationContext Context { get; } = context;
    public Guid ConnectionId { get; } = Guid.CreateVersion7();
    public DateTimeOffset ConnectedAt { get; } = time.GetUtcNow();
    public DateTimeOffset LastSeen { get; private set; } = time.GetUtcNow();

    public void Dispose()
    {
        _closing.Dispose();
        _sendLock.Dispose();
    }

    private OutboundCalls Outbound => _outbound ??= new OutboundCalls(SendAsync, time, TimeSpan.FromSeconds(options.CallTimeoutSeconds), options.MaxQueuedCalls);

    /// <summary>Sends a CALL to the station and waits for its answer (queued behind any call in flight).</summary>
    /// <remarks>The span "ocpp.call" is the station's part of a command's trace; its parent is the API call's span or,
    /// forwarded from another node, the backplane's (see Cluster/RedisStationCommandRouter).</remarks>
    public async Task<CallOutcome> CallAsync(string action, byte[] payloadJson, CancellationToken ct)
    {
        using var activity = VoltgateTelemetry.Source.StartActivity("ocpp.call " + action, ActivityKind.Client);
        activity?.SetTag("ocpp.action", action);
        activity?.SetTag("ocpp.station", Context.Identity);
        activity?.SetTag("ocpp.protocol", Context.Protocol);
        var started = Stopwatch.GetTimestamp();
        var outcome = await Outbound.CallAsync(action, payloadJson, ct);
        var kind = outcome.Kind.ToString();
        metrics.Command(BoundedAction(action), kind, started);
        // Commands are rare and operators follow them; the line carries the command's trace id (docs/operations.md).
        LogCommandEnded(logger, action, Context.Identity, kind);
        if (activity is not null)
        {
            activity.SetTag("ocpp.outcome", kind);
            if (outcome.Kind != CallOutcomeKind.Result)
            {
                activity.SetStatus(ActivityStatusCode.Error, outcome.ErrorCode ?? kind);
            }
        }

        return outcome;
    }

    /// <summary>Closes the socket from our side (superseded, shutting down).</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        Outbound.Close();
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _sendLock.WaitAsync(timeout.Token);
                try
                {
                    await socket.CloseOutputAsync(status, reason, timeout.Token);
                }
                finally
                {
                    _sendLock.Release();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The peer is gone already; nothing more to say to it.
        }
        finally
        {
            try
            {
                // Give the station a moment to answer the close frame (the receive loop then ends by itself);
                // cancelling at once would abort the socket before our close frame reaches it.
                _closing.CancelAfter(TimeSpan.FromSeconds(5));
            }
            catch (ObjectDisposedException)
            {
                // The receive loop has ended and released the connection already.
            }
        }
    }

    /// <summary>Runs until the station disconnects or is closed.</summary>
    public async Task RunAsync(CancellationToken appStopping)
    {
        // One registration per connection instead of one per receive (and no linked source): stopping the app
        // or closing the connection aborts the socket, which ends any pending receive. An idle station then holds
        // no cancellation bookkeeping beyond these two callbacks.
        using var stopping = appStopping.UnsafeRegister(static s => CancelQuietly((CancellationTokenSource)s!), _closing);
        using var abort = _closing.Token.UnsafeRegister(static s => ((WebSocket)s!).Abort(), socket);
        var ct = _closing.Token;
        var badFrames = 0;
        try
        {
            while (socket.State == WebSocketState.Open && !ct.IsCancellationRequested)
            {
                // A zero-byte read parks the connection without a buffer while the station is idle.
                var idle = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                if (idle.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var (result, frame) = await ReadFrameAsync();
                if (frame is null)
                {
                    await RefuseUnreadableAsync(result);
                    break;
                }

                var handled = await HandleFrameAsync(frame, ct);
                badFrames = handled ? 0 : badFrames + 1;
                if (badFrames >= options.MaxConsecutiveBadFrames)
                {
                    await CloseAsync(WebSocketCloseStatus.PolicyViolation, "Too many invalid frames.");
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Abrupt disconnects are normal for stations on mobile networks.
        }
        finally
        {
            Outbound.Close();
        }
    }

    /// <summary>Reads one message and parses it; no frame when the message was a close, binary or too big.</summary>
    /// <remarks>
    /// The buffer is rented for the read only: held across the idle wait or while the message is handled it costs
    /// memory per idle station and runs the pool dry under load (docs/performance.md, "What changed"). The parsed
    /// frame owns its payload. <c>buffer</c> always names the one array this method owns, also while it grows, so a
    /// disconnect in the middle of a long frame returns it exactly once (an array returned twice would be handed to
    /// two stations at once).
    /// </remarks>
    private async ValueTask<(ReceiveResult Result, OcppFrame? Frame)> ReadFrameAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var length = 0;
            ValueWebSocketReceiveResult read;
            do
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= options.MaxFrameBytes + 1)
                    {
                        return (ReceiveResult.TooBig, null);
                    }

                    var smaller = buffer;
                    buffer = ArrayPool<byte>.Shared.Rent(Math.Min(smaller.Length * 2, options.MaxFrameBytes + 1));
                    smaller.AsSpan(0, length).CopyTo(buffer);
                    ArrayPool<byte>.Shared.Return(smaller);
                }

                // No token: closing aborts the socket (see RunAsync), which ends this read too.
                read = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                if (read.MessageType == WebSocketMessageType.Close)
                {
                    return (ReceiveResult.Closed, null);
                }

                length += read.Count;
                if (length > options.MaxFrameBytes)
                {
                    return (ReceiveResult.TooBig, null);
                }
            }
            while (!read.EndOfMessage);

            if (read.MessageType == WebSocketMessageType.Binary)
            {
                return (ReceiveResult.Binary, null);
            }

            LastSeen = time.GetUtcNow();
            var frame = buffer.AsMemory(0, length);
            messageLog.Add(Context, MessageDirection.In, frame.Span, LastSeen);
            return (ReceiveResult.Text, OcppFrameCodec.Parse(frame));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task RefuseUnreadableAsync(ReceiveResult result)
    {
        if (result == ReceiveResult.TooBig)
        {
            LogFrameTooBig(logger, Context.Identity, options.MaxFrameBytes);
            await CloseAsync(WebSocketCloseStatus.MessageTooBig, $"Frames are limited to {options.MaxFrameBytes} bytes.");
        }
        else if (result == ReceiveResult.Binary)
        {
            await CloseAsync(WebSocketCloseStatus.InvalidMessageType, "OCPP-J uses text frames.");
        }
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection has ended and released its source already.
        }
    }

    private enum ReceiveResult
    {
        Text,
        Binary,
        TooBig,
        Closed,
    }

    /// <summary>Returns false for a frame that counts against the bad-frame budget.</summary>
    private async Task<bool> HandleFrameAsync(OcppFrame frame, CancellationToken ct)
    {
        switch (frame.Kind)
        {
            case FrameKind.Ignore:
                return true;
            case FrameKind.Invalid:
                LogInvalidFrame(logger, Context.Identity, frame.ErrorCode!);
                await SendAsync(OcppFrameCodec.WriteCallError(frame.MessageId ?? "-1", ErrorCodeFor(frame.ErrorCode!), frame.ErrorDescription ?? ""), ct);
                return false;
            case FrameKind.CallResult or FrameKind.CallError:
                if (!Outbound.TryComplete(frame))
                {
                    LogUnmatchedResponse(logger, Context.Identity, frame.Kind == FrameKind.CallResult ? "CALLRESULT" : "CALLERROR");
                }

                return true;
            case FrameKind.Call:
                var answer = await DispatchAsync(frame, ct);
                await SendAsync(answer, ct);
                return true;
            default:
                return false;
        }
    }

    private async ValueTask<byte[]> DispatchAsync(OcppFrame call, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await dispatcher.DispatchAsync(Context, call.Action!, call.Payload, ct);
            metrics.Call(BoundedAction(call.Action!), result.Payload is not null, started);
            return result.Payload is { } payload
                ? OcppFrameCodec.WriteCallResult(call.MessageId!, payload)
                : OcppFrameCodec.WriteCallError(call.MessageId!, result.ErrorCode!, result.ErrorDescription ?? "");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Never put exception text on the wire: it can carry internals.
            LogHandlerFailed(logger, ex, Context.Identity, call.Action!);
            metrics.Call(BoundedAction(call.Action!), answeredWithResult: false, started);
            return OcppFrameCodec.WriteCallError(call.MessageId!, OcppErrorCodes.InternalError, "The server could not process this message.");
        }
    }

    /// <summary>
    /// The action as a metric tag: the catalog's own string for an action of the connection's version, "Unknown"
    /// for anything else, so a station sending made-up action names cannot create new series.
    /// </summary>
    private string BoundedAction(string action) => OcppCatalogs.Find(Context.Protocol, action)?.Name ?? "Unknown";

    /// <summary>The codec speaks 1.6 spellings; a 2.0.1 station gets its version's (FormatViolation, …).</summary>
    private string ErrorCodeFor(string code) => Context.Protocol == OcppProtocols.Ocpp201 ? V201ErrorCodes.From16(code) : code;

    private async Task SendAsync(byte[] frame, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        finally
        {
            _sendLock.Release();
        }

        messageLog.Add(Context, MessageDirection.Out, frame, time.GetUtcNow());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {Action} to station {Identity} ended: {Outcome}")]
    private static partial void LogCommandEnded(ILogger logger, string action, string identity, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Station {Identity} sent a frame over {Limit} bytes; closing with 1009")]
    private static partial void LogFrameTooBig(ILogger logger, string identity, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Station {Identity} sent an invalid frame ({ErrorCode})")]
    private static partial void LogInvalidFrame(ILogger logger, string identity, string errorCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Station {Identity} sent a {Kind} nobody waits for (late or unknown); dropped")]
    private static partial void LogUnmatchedResponse(ILogger logger, string identity, string kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling {Action} from station {Identity} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string identity, string action);
}
