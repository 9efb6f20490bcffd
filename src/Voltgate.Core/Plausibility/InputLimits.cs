namespace Voltgate.Core.Plausibility;

/// <summary>
/// Voltgate:Limits — how much a station may make Voltgate store, and what it may plausibly report
/// (docs/reliability.md, "Bounded growth and plausibility"). The same rules serve every protocol version.
/// </summary>
public sealed class InputLimits
{
    /// <summary>Sampled values in one MeterValues message, or in one StopTransaction's transactionData.</summary>
    public int MaxSamplesPerMessage { get; set; } = 1_000;

    /// <summary>Sampled values stored for one transaction (a day at one 10-value reading a minute is 14,400).</summary>
    public int MaxSamplesPerTransaction { get; set; } = 100_000;

    /// <summary>Sampled values one station may have stored per minute (a rolling budget, refilled continuously).</summary>
    public int MaxSamplesPerStationPerMinute { get; set; } = 6_000;

    /// <summary>
    /// The highest connector id accepted. OCPP 1.6 only tells the station's connector count through
    /// GetConfiguration, so the bound is configured; 0 is the station itself.
    /// </summary>
    public int MaxConnectorId { get; set; } = 100;

    /// <summary>How far ahead of the server's clock a reported time may be.</summary>
    public TimeSpan MaxTimestampAhead { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How far behind the server's clock a reported time may be (a station replaying an offline queue).</summary>
    public TimeSpan MaxTimestampBehind { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Refused handshakes with the same source, identity and reason within one bucket share one row.</summary>
    public TimeSpan RefusedHandshakeBucket { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The first setting out of its range, or null.</summary>
    public string? Problem() =>
        MaxSamplesPerMessage < 1 ? $"Voltgate:Limits:MaxSamplesPerMessage must be at least 1 (was {MaxSamplesPerMessage})."
        : MaxSamplesPerTransaction < MaxSamplesPerMessage ? $"Voltgate:Limits:MaxSamplesPerTransaction must be at least MaxSamplesPerMessage (was {MaxSamplesPerTransaction})."
        : MaxSamplesPerStationPerMinute < MaxSamplesPerMessage ? $"Voltgate:Limits:MaxSamplesPerStationPerMinute must be at least MaxSamplesPerMessage (was {MaxSamplesPerStationPerMinute})."
        : MaxConnectorId < 1 ? $"Voltgate:Limits:MaxConnectorId must be at least 1 (was {MaxConnectorId})."
        : MaxTimestampAhead < TimeSpan.Zero || MaxTimestampBehind < TimeSpan.Zero ? "Voltgate:Limits:MaxTimestampAhead and MaxTimestampBehind must not be negative."
        : RefusedHandshakeBucket < TimeSpan.FromSeconds(1) || RefusedHandshakeBucket > TimeSpan.FromDays(1) ? "Voltgate:Limits:RefusedHandshakeBucket must be between 1 second and 1 day."
        : null;
}
