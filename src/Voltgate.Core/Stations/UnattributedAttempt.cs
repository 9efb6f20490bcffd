namespace Voltgate.Core.Stations;

/// <summary>Why a handshake was refused before any tenant's station could be named.</summary>
public enum UnattributedReason
{
    /// <summary>The source address is outside the listener's AllowedNetworks.</summary>
    NetworkNotAllowed = 1,

    /// <summary>An HTTP request that is no WebSocket upgrade (a browser, a scanner, a health check on the wrong port).</summary>
    NotAnUpgrade = 2,

    /// <summary>Not /ocpp/[tenant/]identity, or an identity no station may have.</summary>
    BadPath = 3,

    /// <summary>The URL names a tenant slug that does not exist.</summary>
    UnknownTenant = 4,

    /// <summary>Bytes arrived on a TLS listener but the TLS handshake did not complete (wrong protocol, no common cipher, untrusted certificate).</summary>
    TlsHandshakeFailed = 5,
}

/// <summary>
/// A refusal before a station is known, shown to instance administrators (they belong to no tenant's station).
/// Aggregated like refused <see cref="ConnectionAttempt"/>s: one row per source, endpoint, reason and minute, with
/// <see cref="Count"/> and <see cref="LastAt"/>; the table holds at most a configured number of rows, oldest deleted
/// first, so a flood cannot fill the disk.
/// </summary>
public sealed class UnattributedAttempt
{
    public const int MaxDetailLength = 100;
    public const int MaxAddressLength = 45;
    public const int MaxEndpointLength = 64;

    public long Id { get; init; }

    /// <summary>The first attempt of the row's minute.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>The last attempt of the row's minute; equal to <see cref="At"/> for one.</summary>
    public DateTimeOffset LastAt { get; set; }

    public int Count { get; set; } = 1;
    public required string SourceAddress { get; init; }
    public required string Endpoint { get; init; }
    public UnattributedReason Reason { get; init; }

    /// <summary>What helps tell the cause: the unknown tenant slug or the path tried (printable ASCII, truncated).</summary>
    public string? Detail { get; init; }
}
