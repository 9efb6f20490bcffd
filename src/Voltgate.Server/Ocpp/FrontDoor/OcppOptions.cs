namespace Voltgate.Server.Ocpp.FrontDoor;

/// <summary>One OCPP listener (Voltgate:Ocpp:Endpoints:{name}).</summary>
public sealed class OcppEndpointOptions
{
    public string? Variant { get; set; }
    public string? Url { get; set; }
    public CertificateOptions Certificate { get; set; } = new();
    public List<string> AllowedNetworks { get; set; } = [];
    public bool AllowInsecureTransport { get; set; }
}

public sealed class CertificateOptions
{
    /// <summary>A PFX file, or a PEM certificate (then <see cref="KeyPath"/> names the PEM key).</summary>
    public string? Path { get; set; }
    public string? Password { get; set; }
    public string? KeyPath { get; set; }
}

/// <summary>Voltgate:Ocpp — the station front door.</summary>
public sealed class OcppOptions
{
    public Dictionary<string, OcppEndpointOptions> Endpoints { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Largest accepted frame; a bigger one closes the connection with 1009.</summary>
    public int MaxFrameBytes { get; set; } = 64 * 1024;

    /// <summary>Server pings at this interval; a station silent for <see cref="IdleTimeoutSeconds"/> is dropped.</summary>
    public int PingIntervalSeconds { get; set; } = 60;
    public int IdleTimeoutSeconds { get; set; } = 600;

    /// <summary>How long a server-to-station CALL waits for its answer.</summary>
    public int CallTimeoutSeconds { get; set; } = 30;

    /// <summary>How many server-to-station CALLs may wait per station behind the one in flight.</summary>
    public int MaxQueuedCalls { get; set; } = 32;

    /// <summary>Consecutive unreadable frames after which the station is disconnected.</summary>
    public int MaxConsecutiveBadFrames { get; set; } = 10;

    /// <summary>0 = derive from the process's open-file limit (minus <see cref="FileDescriptorReserve"/>).</summary>
    public int MaxConnections { get; set; }
    public int FileDescriptorReserve { get; set; } = 1_000;

    /// <summary>How many frames per station the message log keeps (0 = off).</summary>
    public int MessageLogFrames { get; set; } = 200;

    /// <summary>How many bytes of frames per station the message log keeps at most (the oldest frames make room).</summary>
    public int MessageLogBytes { get; set; } = 16_384;

    /// <summary>
    /// Pending connections the listening sockets queue before the kernel drops new SYNs (capped by the kernel's
    /// net.core.somaxconn). After an outage every station reconnects at once; a dropped SYN costs the station a
    /// one-second retransmit.
    /// </summary>
    public int ListenBacklog { get; set; } = 4_096;

    public AuthThrottleOptions Throttle { get; set; } = new();
}
