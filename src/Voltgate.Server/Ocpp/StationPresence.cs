using Voltgate.Core.Stations;
using Voltgate.Server.Cluster;

namespace Voltgate.Server.Ocpp;

/// <summary>The read side's view of the live sockets on a single node (a cluster uses ClusterStationPresence).</summary>
internal sealed class StationPresence(StationSessions sessions, IStationRegistry registry) : IStationPresence
{
    public LivePresence? OnThisNode(Guid tenantId, string identity) =>
        sessions.Find(tenantId, identity) is { } l ? new LivePresence(l.ConnectedAt, l.LastSeen, l.Context.Protocol, l.Context.Variant) : null;

    public async Task<IReadOnlyDictionary<(Guid Tenant, string Identity), LivePresence>> ElsewhereAsync(
        IReadOnlyCollection<(Guid Tenant, string Identity)> stations, CancellationToken ct) =>
        (await registry.FindElsewhereAsync(stations, ct)).ToDictionary(c => c.Key, c => new LivePresence(c.Value.Since, null, c.Value.Protocol, c.Value.Variant));

    public Task<Func<string, bool>> OnlineNowAsync(Guid tenantId, CancellationToken ct) =>
        Task.FromResult<Func<string, bool>>(identity => sessions.Find(tenantId, identity) is not null);
}
