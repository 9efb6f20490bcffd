namespace Voltgate.Core.Cluster;

/// <summary>
/// A node of a cluster and its heartbeat. A node whose heartbeat is older than the claim TTL is dead: its
/// <see cref="ConnectionPresence"/> rows no longer count (docs/scale-out.md).
/// </summary>
public sealed class ClusterNodeRecord
{
    public const int MaxNodeIdLength = 64;

    public required string NodeId { get; init; }
    public string Address { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset HeartbeatAt { get; set; }
}

/// <summary>
/// One live station socket on one node, so that every node can list, filter and count the whole network's online
/// stations from the database. Keyed by the connection: a station that reconnects elsewhere has a second row until
/// its old node closes the old socket, and the close of an old socket never removes the newer row.
/// </summary>
public sealed class ConnectionPresence
{
    public Guid ConnectionId { get; init; }
    public Guid TenantId { get; init; }
    public required string Identity { get; init; }
    public required string NodeId { get; init; }
    public DateTimeOffset Since { get; init; }
    public required string Protocol { get; init; }
    public required string Variant { get; init; }
}
