namespace Voltgate.Core.MessageHistory;

/// <summary>Voltgate:MessageHistory — what the persistent message history keeps, and for how long.</summary>
public sealed class MessageHistoryOptions
{
    /// <summary>What is recorded for every station (an operator can record single stations in full while debugging them).</summary>
    public HistoryRecording Recording { get; set; } = HistoryRecording.Metadata;

    /// <summary>How many frames per station are kept at most; older ones are deleted by the cleanup.</summary>
    public int MaxPerStation { get; set; } = 1000;

    /// <summary>How long frames are kept at most.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the cleanup runs.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long frames may wait in memory before they are handed to the database writer.</summary>
    public int FlushIntervalMs { get; set; } = 200;

    /// <summary>Frames waiting for the writer at most; beyond it frames are dropped (and counted) rather than slowing stations down.</summary>
    public int QueueCapacity { get; set; } = 50_000;

    /// <summary>A one-line reason when the settings cannot work, else null.</summary>
    public string? Problem() =>
        MaxPerStation < 1 ? "Voltgate:MessageHistory:MaxPerStation must be at least 1."
        : MaxAge <= TimeSpan.Zero ? "Voltgate:MessageHistory:MaxAge must be positive (e.g. 7.00:00:00)."
        : CleanupInterval < TimeSpan.FromSeconds(1) ? "Voltgate:MessageHistory:CleanupInterval must be at least a second."
        : FlushIntervalMs is < 1 or > 10_000 ? "Voltgate:MessageHistory:FlushIntervalMs must be between 1 and 10000."
        : QueueCapacity < 100 ? "Voltgate:MessageHistory:QueueCapacity must be at least 100."
        : null;
}
