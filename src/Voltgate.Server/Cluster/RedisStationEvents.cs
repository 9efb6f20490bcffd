using System.Text.Json;
using System.Threading.Channels;
using StackExchange.Redis;
using Voltgate.Core.Stations;

namespace Voltgate.Server.Cluster;

/// <summary>
/// Live station events for every node's pages: each event goes to this node's subscribers at once and, batched every
/// <see cref="BatchDelay"/>, to the other nodes over <c>{prefix}:events</c>, where it reaches their subscribers as if
/// it had happened there. Connects and disconnects travel only once their presence row is committed
/// (<see cref="ClusterStationRegistry"/>), so a page that refreshes on the event reads the new state.
/// </summary>
/// <remarks>
/// Live views only: nothing is stored, and while Redis is away the events of other nodes are lost (the pages show a
/// banner and refresh when it is back). The outgoing queue is bounded and drops its oldest events when Redis cannot
/// keep up, since a page needs one event to refresh, not every one.
/// </remarks>
internal sealed partial class RedisStationEvents(ClusterNode node, ILogger<RedisStationEvents> logger) : BackgroundService, IStationEvents
{
    public static readonly TimeSpan BatchDelay = TimeSpan.FromMilliseconds(50);
    private const int MaxBatch = 1000;

    private readonly InProcessStationEvents _local = new();
    private readonly Channel<StationEvent> _outgoing = Channel.CreateBounded<StationEvent>(
        new BoundedChannelOptions(20_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Publish(StationEvent stationEvent)
    {
        ArgumentNullException.ThrowIfNull(stationEvent);
        _local.Publish(stationEvent);
        if (stationEvent.Kind is not (StationEventKind.Connected or StationEventKind.Disconnected))
        {
            _outgoing.Writer.TryWrite(stationEvent);
        }
    }

    /// <summary>To the other nodes only (a connect or disconnect whose presence row is committed).</summary>
    public void PublishToOtherNodes(StationEvent stationEvent) => _outgoing.Writer.TryWrite(stationEvent);

    /// <summary>To this node's subscribers only (what this node learnt by itself, e.g. that a node died).</summary>
    public void PublishHere(StationEvent stationEvent) => _local.Publish(stationEvent);

    public IDisposable Subscribe(Guid tenantId, Action<StationEvent> handler) => _local.Subscribe(tenantId, handler);

    /// <summary>A batch from the events channel (called on the subscriber's thread; the handlers only schedule work).</summary>
    public void OnRemote(RedisValue value)
    {
        ClusterEvents? batch;
        try
        {
            batch = JsonSerializer.Deserialize((byte[])value!, ClusterJson.Default.ClusterEvents);
        }
        catch (JsonException)
        {
            return;
        }

        if (batch is null || batch.From == node.NodeId)
        {
            return;
        }

        foreach (var e in batch.Events)
        {
            _local.Publish(e);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<StationEvent>(MaxBatch);
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(stoppingToken))
            {
                // Let a burst gather: one publish for the events of the moment, well within the second a page may take.
                await Task.Delay(BatchDelay, stoppingToken);
                while (batch.Count < MaxBatch && _outgoing.Reader.TryRead(out var e))
                {
                    batch.Add(e);
                }

                await SendAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the other nodes learn about this node's stations from the presence rows.
        }
    }

    private async Task SendAsync(List<StationEvent> batch)
    {
        if (batch.Count == 0 || !node.IsConnected)
        {
            // The other nodes' pages show that their view is local until the backplane is back.
            return;
        }

        try
        {
            await node.Bus.PublishAsync(node.EventsChannel,
                JsonSerializer.SerializeToUtf8Bytes(new ClusterEvents(node.NodeId, batch), ClusterJson.Default.ClusterEvents));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogSendFailed(logger, ex, batch.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} live station event(s) did not reach the other nodes")]
    private static partial void LogSendFailed(ILogger logger, Exception error, int count);
}
