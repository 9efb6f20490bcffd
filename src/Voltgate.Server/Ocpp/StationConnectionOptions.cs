namespace Voltgate.Server.Ocpp;

/// <summary>The Voltgate:Ocpp settings a station's connection runs with once the front door has admitted it.</summary>
internal class StationConnectionOptions
{
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

    /// <summary>How many frames per station the message log keeps (0 = off).</summary>
    public int MessageLogFrames { get; set; } = 200;

    /// <summary>How many bytes of frames per station the message log keeps at most (the oldest frames make room).</summary>
    public int MessageLogBytes { get; set; } = 16_384;
}
