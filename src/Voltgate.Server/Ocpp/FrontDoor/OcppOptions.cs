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

    public AuthThrottleOptions Throttle { get; set; } = new();
}
