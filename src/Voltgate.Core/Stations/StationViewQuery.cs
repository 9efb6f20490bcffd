using Voltgate.Core.Common;

namespace Voltgate.Core.Stations;

/// <summary>A station's connection state: online (here or on another node) or when it was last seen, and the pool entry of its last login.</summary>
public sealed record StationConnectionState(bool Online, DateTimeOffset? Since, DateTimeOffset? LastSeen, string? Protocol, string? Variant, Guid? PasswordId);

/// <summary>A station with its live connection state, as the stations pages and endpoints show it.</summary>
public sealed record StationView(Station Station, StationConnectionState Connection);

/// <summary>
/// The station view shared by the web UI and the REST API: stored station plus live connection state. Data scope
/// applies through <see cref="StationService"/> and <see cref="StationQueries"/>.
/// </summary>
public sealed class StationViewQuery(StationService stations, StationQueries queries, IStationPresence presence)
{
    /// <summary>One station, online as seen cluster-wide.</summary>
    public async Task<Result<StationView>> GetAsync(string identity, CancellationToken ct)
    {
        var result = await stations.GetAsync(identity, ct);
        return result.IsSuccess ? await ClusterWideAsync(result.Value!, ct) : result.Error!;
    }

    /// <summary>
    /// A page of the filtered list. With <paramref name="clusterWide"/> the Online filter, the online sorts and each
    /// row's online flag see every node's stations; without it only this node's sockets.
    /// </summary>
    public async Task<(IReadOnlyList<StationView> Items, int Total)> SearchAsync(StationFilter filter, Guid tenantId, int skip, int take, bool clusterWide, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        Func<string, bool> isOnline = identity => presence.OnThisNode(tenantId, identity) is not null;
        if (clusterWide && (filter.Online is not null || filter.Sort != StationSort.Identity))
        {
            isOnline = await presence.OnlineNowAsync(tenantId, ct);
        }

        var (items, total) = await queries.SearchAsync(filter, isOnline, skip, take, ct);
        var elsewhere = clusterWide
            ? await presence.ElsewhereAsync(items.Select(i => (i.TenantId, i.Identity)).ToList(), ct)
            : new Dictionary<(Guid, string), LivePresence>();
        return (items.Select(i => View(i, elsewhere.GetValueOrDefault((i.TenantId, i.Identity)))).ToList(), total);
    }

    /// <summary>The station with online as seen cluster-wide: a socket on this node, else a claim of another node.</summary>
    public async Task<StationView> ClusterWideAsync(Station station, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(station);
        var elsewhere = await presence.ElsewhereAsync([(station.TenantId, station.Identity)], ct);
        return View(station, elsewhere.GetValueOrDefault((station.TenantId, station.Identity)));
    }

    /// <summary>The station with online as seen by this node's sockets, plus <paramref name="elsewhere"/> when given.</summary>
    public StationView View(Station station, LivePresence? elsewhere = null)
    {
        ArgumentNullException.ThrowIfNull(station);
        var connection = (presence.OnThisNode(station.TenantId, station.Identity), elsewhere) switch
        {
            ({ } l, _) => new StationConnectionState(true, l.Since, l.LastSeen, l.Protocol, l.Variant, station.LastPasswordId),
            (null, { } e) => new StationConnectionState(true, e.Since, station.LastSeenAt, e.Protocol, e.Variant, station.LastPasswordId),
            // Offline: the protocol of its last connection (null when it never connected).
            _ => new StationConnectionState(false, null, station.LastSeenAt, station.LastProtocol, null, station.LastPasswordId),
        };
        return new StationView(station, connection);
    }
}
