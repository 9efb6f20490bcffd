namespace Voltgate.Server.Ocpp;

/// <summary>Which node holds a station's socket, as the registry records it.</summary>
internal sealed record StationClaim(string Node, Guid ConnectionId, DateTimeOffset Since, string Protocol, string Variant);

/// <summary>
/// The station → node registry. One node: the live sockets are the registry, nothing to record. Several nodes: a
/// claim per connected station, with a TTL the holding node refreshes.
/// </summary>
internal interface IStationRegistry
{
    /// <summary>Records that this node holds the connection (and tells a previous holder to close its socket). Never throws.</summary>
    Task ClaimAsync(StationConnection connection, CancellationToken ct);

    /// <summary>Removes the claim if it is still this connection's. Never throws.</summary>
    Task ReleaseAsync(StationConnection connection);

    /// <summary>Claims held by other nodes for the given stations (empty when unknown or the backplane is down).</summary>
    Task<IReadOnlyDictionary<(Guid Tenant, string Identity), StationClaim>> FindElsewhereAsync(IReadOnlyCollection<(Guid Tenant, string Identity)> stations, CancellationToken ct);
}

/// <summary>Single node: the live sockets of this process are all there is.</summary>
internal sealed class LocalStationRegistry : IStationRegistry
{
    private static readonly IReadOnlyDictionary<(Guid, string), StationClaim> None = new Dictionary<(Guid, string), StationClaim>();

    public Task ClaimAsync(StationConnection connection, CancellationToken ct) => Task.CompletedTask;

    public Task ReleaseAsync(StationConnection connection) => Task.CompletedTask;

    public Task<IReadOnlyDictionary<(Guid Tenant, string Identity), StationClaim>> FindElsewhereAsync(IReadOnlyCollection<(Guid Tenant, string Identity)> stations, CancellationToken ct) =>
        Task.FromResult(None);
}
