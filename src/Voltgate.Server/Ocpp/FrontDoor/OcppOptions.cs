using Voltgate.Server.Ocpp;

namespace Voltgate.Server.Ocpp.FrontDoor;

/// <summary>One OCPP listener (Voltgate:Ocpp:Endpoints:{name}).</summary>
internal sealed class OcppEndpointOptions
{
    public string? Variant { get; set; }
    public string? Url { get; set; }
    public CertificateOptions Certificate { get; set; } = new();
    public List<string> AllowedNetworks { get; set; } = [];
    public bool AllowInsecureTransport { get; set; }
}

internal sealed class CertificateOptions
{
    /// <summary>A PFX file, or a PEM certificate (then <see cref="KeyPath"/> names the PEM key).</summary>
    public string? Path { get; set; }
    public string? Password { get; set; }
    public string? KeyPath { get; set; }
}

/// <summary>
/// Voltgate:Ocpp — the station front door; what each admitted connection then runs with is inherited from
/// <see cref="StationConnectionOptions"/>, so the sessions do not depend on the front door.
/// </summary>
internal sealed class OcppOptions : StationConnectionOptions
{
    public Dictionary<string, OcppEndpointOptions> Endpoints { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>0 = derive from the process's open-file limit (minus <see cref="FileDescriptorReserve"/>).</summary>
    public int MaxConnections { get; set; }
    public int FileDescriptorReserve { get; set; } = 1_000;

    /// <summary>
    /// Pending connections the listening sockets queue before the kernel drops new SYNs (capped by the kernel's
    /// net.core.somaxconn). After an outage every station reconnects at once; a dropped SYN costs the station a
    /// one-second retransmit.
    /// </summary>
    public int ListenBacklog { get; set; } = 4_096;

    /// <summary>A socket that has sent no byte within this time is aborted (an idle socket held a slot for 130 s before).</summary>
    public int FirstBytesTimeoutSeconds { get; set; } = 3;

    /// <summary>From accept to an admitted WebSocket (TLS, request headers, authentication); slower sockets are aborted.</summary>
    public int HandshakeTimeoutSeconds { get; set; } = 10;

    /// <summary>Sockets not yet authenticated, in all; at most half of the connection cap, the rest is reserved for stations.</summary>
    public int MaxPendingConnections { get; set; } = 1_000;

    /// <summary>
    /// Sockets not yet authenticated per source address; more are closed at once. Generous, because a whole site
    /// behind one NAT (or every station behind a reverse proxy) reconnects at once after an outage.
    /// </summary>
    public int MaxPendingPerSource { get; set; } = 256;

    public AuthThrottleOptions Throttle { get; set; } = new();
}
