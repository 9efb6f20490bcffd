using System.Collections.Concurrent;
using Voltgate.Core.Stations;

namespace Voltgate.Server.Ocpp;

/// <summary>
/// The live connections of this node, one per (tenant, identity). A newly authenticated connection supersedes the
/// old one; bookkeeping is keyed by the connection object so the old socket's close cannot remove its successor.
/// </summary>
internal sealed class StationSessions(IStationEvents? events = null, TimeProvider? time = null)
{
    private readonly ConcurrentDictionary<(Guid Tenant, string Identity), StationConnection> _live = new();

    public int Count => _live.Count;

    public StationConnection? Find(Guid tenantId, string identity) => _live.GetValueOrDefault((tenantId, identity));

    /// <summary>Registers the connection and returns the one it replaced, if any.</summary>
    public StationConnection? Register(StationConnection connection)
    {
        StationConnection? previous = null;
        _live.AddOrUpdate((connection.Context.TenantId, connection.Context.Identity), connection, (_, old) =>
        {
            previous = old;
            return connection;
        });
        Publish(connection, StationEventKind.Connected);
        return previous;
    }

    /// <summary>Removes the connection if it is still the station's live one; false when a successor has replaced it.</summary>
    public bool Unregister(StationConnection connection)
    {
        if (_live.TryRemove(new KeyValuePair<(Guid, string), StationConnection>((connection.Context.TenantId, connection.Context.Identity), connection)))
        {
            Publish(connection, StationEventKind.Disconnected);
            return true;
        }

        return false;
    }

    private void Publish(StationConnection connection, StationEventKind kind) =>
        events?.Publish(new StationEvent(connection.Context.TenantId, connection.Context.Identity, kind, (time ?? TimeProvider.System).GetUtcNow()));

    public IEnumerable<StationConnection> All => _live.Values;
}
