namespace Voltgate.Core.Stations;

public enum StationEventKind
{
    /// <summary>A socket was registered (the station is online on some node).</summary>
    Connected,

    /// <summary>The socket closed (the station is offline unless a newer connection replaced it).</summary>
    Disconnected,

    /// <summary>A StatusNotification changed a connector's status.</summary>
    ConnectorStatus,

    /// <summary>A handshake was recorded (accepted or refused); connection diagnostics changed.</summary>
    ConnectionAttempt,

    /// <summary>A transaction started, stopped or got meter values.</summary>
    Transaction,
}

/// <summary>Something the operator's live views may want to show at once. Carries no secrets.</summary>
public sealed record StationEvent(Guid TenantId, string Identity, StationEventKind Kind, DateTimeOffset At, int? ConnectorId = null, string? Status = null);

/// <summary>
/// Live station events for UI components (stations page, station detail, dashboard). In-process on a single node;
/// a cluster backplane implements the same interface and re-publishes events from the other nodes.
/// Subscribers are called synchronously on the publisher's thread: they must only schedule work, never block.
/// </summary>
public interface IStationEvents
{
    void Publish(StationEvent stationEvent);

    /// <summary>Subscribes to the events of one tenant; dispose the result to stop.</summary>
    IDisposable Subscribe(Guid tenantId, Action<StationEvent> handler);
}

public sealed class InProcessStationEvents : IStationEvents
{
    private readonly Lock _gate = new();
    private Subscription[] _subscriptions = [];

    public void Publish(StationEvent stationEvent)
    {
        foreach (var s in Volatile.Read(ref _subscriptions))
        {
            if (s.TenantId != stationEvent.TenantId)
            {
                continue;
            }

            try
            {
                s.Handler(stationEvent);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
            {
                // A component being torn down must not break the publisher (a socket loop or a handler).
            }
        }
    }

    public IDisposable Subscribe(Guid tenantId, Action<StationEvent> handler)
    {
        var subscription = new Subscription(this, tenantId, handler);
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }

        return subscription;
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = _subscriptions.Where(s => s != subscription).ToArray();
        }
    }

    private sealed class Subscription(InProcessStationEvents owner, Guid tenantId, Action<StationEvent> handler) : IDisposable
    {
        public Guid TenantId { get; } = tenantId;
        public Action<StationEvent> Handler { get; } = handler;

        public void Dispose() => owner.Remove(this);
    }
}
