using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using StackExchange.Redis;
using Voltgate.Core.Telemetry;
using Voltgate.Ocpp.Rpc;
using Voltgate.Server.Ocpp;

namespace Voltgate.Server.Cluster;

/// <summary>
/// Routes a CALL to the node holding the station's socket. Local socket: a local call. Otherwise the owner from the
/// registry gets a "call" message on its node channel (correlation id, reply channel = ours) and publishes the
/// station's outcome back; the caller sees exactly what it would see on one node. Owner unknown or gone: Closed
/// (the API answers 409 offline). Redis away: <see cref="ClusterUnavailableException"/> (503).
/// </summary>
internal sealed partial class RedisStationCommandRouter(
    ClusterNode node,
    StationSessions sessions,
    RedisStationRegistry registry,
    ILogger<RedisStationCommandRouter> logger) : IStationCommandRouter
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<CallOutcome>> _pending = new();

    public async Task<CallOutcome> CallAsync(Guid tenantId, string identity, string action, byte[] payloadJson, CancellationToken ct)
    {
        if (sessions.Find(tenantId, identity) is { } local)
        {
            var outcome = await local.CallAsync(action, payloadJson, ct);
            if (outcome.Kind != CallOutcomeKind.Closed || !node.IsConnected)
            {
                return outcome;
            }

            // The socket here was closing: the station may have reconnected to another node already.
        }

        if (!node.IsConnected)
        {
            throw new ClusterUnavailableException("The Redis backplane is not connected.");
        }

        var owner = await registry.FindOwnerAsync(tenantId, identity);
        if (owner is null || owner.Node == node.NodeId)
        {
            // Nobody claims it, or a stale claim of ours (the socket is gone here): the station is offline.
            return CallOutcome.Closed;
        }

        var callId = Guid.NewGuid();
        var answer = new TaskCompletionSource<CallOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[callId] = answer;
        using var activity = VoltgateTelemetry.Source.StartActivity("cluster.forward " + action, ActivityKind.Producer);
        activity?.SetTag(VoltgateTelemetry.NodeTag, node.NodeId);
        activity?.SetTag("voltgate.owner", owner.Node);
        activity?.SetTag("ocpp.action", action);
        // The caller's context travels even when nothing records spans here: the owner's log lines then still
        // carry the API call's trace id.
        var context = Activity.Current;
        try
        {
            var receivers = await node.PublishAsync(node.NodeChannel(owner.Node), new ClusterMessage(ClusterMessage.Call, node.NodeId)
            {
                CallId = callId,
                Tenant = tenantId,
                Identity = identity,
                Action = action,
                Payload = JsonSerializer.Deserialize<JsonElement>(payloadJson),
                TraceParent = context?.Id,
                TraceState = context?.TraceStateString,
            });
            if (receivers == 0)
            {
                // The claim outlived its node (killed, TTL not run out yet): nobody holds the socket.
                return CallOutcome.Closed;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(node.Settings.ForwardTimeout);
            try
            {
                return await answer.Task.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                LogForwardTimedOut(logger, action, identity, owner.Node);
                return CallOutcome.Timeout;
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new ClusterUnavailableException("The Redis backplane does not answer.", ex);
        }
        finally
        {
            _pending.TryRemove(callId, out _);
        }
    }

    /// <summary>The owner's side: run the forwarded call on the local socket and publish the outcome back.</summary>
    public async Task OnCallAsync(ClusterMessage message)
    {
        if (message is not { CallId: { } callId, Tenant: { } tenant, Identity: { } identity, Action: { } action })
        {
            return;
        }

        using var activity = StartOwnerActivity(message, action);
        CallOutcome outcome;
        if (sessions.Find(tenant, identity) is not { } connection)
        {
            outcome = CallOutcome.Closed;
        }
        else
        {
            using var timeout = new CancellationTokenSource(node.Settings.ForwardTimeout);
            try
            {
                var payload = message.Payload is { } p ? JsonSerializer.SerializeToUtf8Bytes(p) : "{}"u8.ToArray();
                outcome = await connection.CallAsync(action, payload, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                outcome = CallOutcome.Timeout;
            }
        }

        try
        {
            await node.PublishAsync(node.NodeChannel(message.From), new ClusterMessage(ClusterMessage.Reply, node.NodeId)
            {
                CallId = callId,
                Outcome = outcome.Kind,
                Payload = outcome.Payload.ValueKind == JsonValueKind.Undefined ? null : outcome.Payload,
                ErrorCode = outcome.ErrorCode,
                ErrorDescription = outcome.ErrorDescription,
            });
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogReplyFailed(logger, action, identity, message.From, ex.GetType().Name);
        }
    }

    /// <summary>
    /// The owner's span, a child of the caller's (from the message). Without a listener on this node a bare activity
    /// still carries the caller's trace id into this node's log lines.
    /// </summary>
    private Activity? StartOwnerActivity(ClusterMessage message, string action)
    {
        if (!ActivityContext.TryParse(message.TraceParent, message.TraceState, isRemote: true, out var parent))
        {
            parent = default;
        }

        var name = "cluster.call " + action;
        var activity = VoltgateTelemetry.Source.StartActivity(name, ActivityKind.Consumer, parent);
        if (activity is null && parent != default)
        {
            activity = new Activity(name).SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags).Start();
        }

        activity?.SetTag(VoltgateTelemetry.NodeTag, node.NodeId);
        activity?.SetTag("voltgate.caller", message.From);
        activity?.SetTag("ocpp.action", action);
        return activity;
    }

    public void OnReply(ClusterMessage message)
    {
        if (message is { CallId: { } callId, Outcome: { } kind } && _pending.TryRemove(callId, out var answer))
        {
            answer.TrySetResult(new CallOutcome(kind, message.Payload ?? default, message.ErrorCode, message.ErrorDescription));
        }
    }

    /// <summary>The backplane connection broke: replies to forwarded calls may never come.</summary>
    public void FailPending()
    {
        foreach (var callId in _pending.Keys)
        {
            if (_pending.TryRemove(callId, out var answer))
            {
                answer.TrySetException(new ClusterUnavailableException("The Redis backplane connection broke while waiting for the answer."));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarded {Action} for station {Identity} got no answer from node {Node} in time")]
    private static partial void LogForwardTimedOut(ILogger logger, string action, string identity, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not return the outcome of {Action} for station {Identity} to node {Node} ({Error})")]
    private static partial void LogReplyFailed(ILogger logger, string action, string identity, string node, string error);
}
