namespace Voltgate.Server.Diagnostics;

/// <summary>Voltgate:Diagnostics — how refusals before a station is known are kept, and how often last-seen times are written.</summary>
internal sealed class DiagnosticsOptions
{
    /// <summary>The most unattributed-attempt rows kept; beyond it the oldest are deleted (a flood cannot fill the disk).</summary>
    public int MaxUnattributedAttempts { get; set; } = 10_000;

    /// <summary>The most distinct (source, endpoint, reason, minute) aggregates held in memory between two writes; beyond it attempts are only counted.</summary>
    public int MaxPendingAggregates { get; set; } = 5_000;

    /// <summary>Seconds between two writes of the aggregates (and of stations' last-seen times).</summary>
    public double FlushSeconds { get; set; } = 5;

    public TimeSpan FlushInterval => TimeSpan.FromSeconds(Math.Clamp(FlushSeconds, 0.1, 300));

    public string? Problem() =>
        MaxUnattributedAttempts < 100 ? "Voltgate:Diagnostics:MaxUnattributedAttempts must be at least 100."
        : MaxPendingAggregates < 10 ? "Voltgate:Diagnostics:MaxPendingAggregates must be at least 10."
        : null;
}
