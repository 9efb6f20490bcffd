namespace Voltgate.Core.Stations;

/// <summary>A live connection of a station as the read side shows it: since when, last frame, protocol and endpoint variant.</summary>
/// <param name="LastSeen">The last frame on the socket; null when only a claim of another node is known (then the stored last-seen applies).</param>
public sealed record LivePresence(DateTimeOffset Since, DateTimeOffset? LastSeen, string Protocol, string Variant);

/// <summary>
/// Which stations are connected right now. The sockets and the cluster registry live in the host, so Core asks
/// through this interface and never depends on the host.
/// </summary>
public interface IStationPresence
{
    /// <summary>The station's socket on this node, if any.</summary>
    LivePresence? OnThisNode(Guid tenantId, string identity);

    /// <summary>Claims of other nodes for these stations; empty on a single node. Never throws.</summary>
    Task<IReadOnlyDictionary<(Guid Tenant, string Identity), LivePresence>> ElsewhereAsync(
        IReadOnlyCollection<(Guid Tenant, string Identity)> stations, CancellationToken ct);

    /// <summary>
    /// One snapshot of which of the tenant's stations are online on any node, for a filtered list or a count; on a
    /// single node this node's sockets. Never throws for the backplane (the database may).
    /// </summary>
    Task<Func<string, bool>> OnlineNowAsync(Guid tenantId, CancellationToken ct);
}
