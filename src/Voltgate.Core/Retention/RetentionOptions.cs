namespace Voltgate.Core.Retention;

/// <summary>Voltgate:Retention — the background cleanup and the legal floor for audit events (docs/operations.md).</summary>
public sealed class RetentionOptions
{
    /// <summary>No tenant may keep audit events for fewer days than this (a legal minimum the installation's operator sets).</summary>
    public int AuditMinimumDays { get; set; } = 180;

    /// <summary>Minutes between cleanup runs; 0 switches the background cleanup off (the API and settings still work).</summary>
    public int IntervalMinutes { get; set; } = 60;

    /// <summary>Rows deleted per statement: small, so that each delete holds the database's write lock only briefly.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Pause after each batch, so that the station-message writer gets the write lock between batches.</summary>
    public int BatchPauseMilliseconds { get; set; } = 20;

    public const int MaxDays = 36_500;

    public string? Problem() =>
        AuditMinimumDays is < 0 or > MaxDays ? $"Voltgate:Retention:AuditMinimumDays must be between 0 and {MaxDays}."
        : IntervalMinutes is < 0 or > 10_080 ? "Voltgate:Retention:IntervalMinutes must be between 0 (off) and 10080 (a week)."
        : BatchSize is < 1 or > 100_000 ? "Voltgate:Retention:BatchSize must be between 1 and 100000."
        : BatchPauseMilliseconds is < 0 or > 60_000 ? "Voltgate:Retention:BatchPauseMilliseconds must be between 0 and 60000."
        : null;
}
