namespace Voltgate.Core.Plausibility;

/// <summary>
/// Voltgate:Limits for what a station's reports keep per station: its device model and its notification history
/// (bound from the same section as <see cref="InputLimits"/>; a separate type so each feature owns its keys).
/// </summary>
public sealed class StationRecordLimits
{
    /// <summary>Variables of one station's device model (a real full inventory has a few hundred to a few thousand).</summary>
    public int MaxDeviceModelVariables { get; set; } = 10_000;

    /// <summary>Notifications kept per station and kind (security events, events, firmware status, log status); the oldest go first.</summary>
    public int MaxNoticesPerKind { get; set; } = 500;

    public string? Problem() =>
        MaxDeviceModelVariables < 1 ? $"Voltgate:Limits:MaxDeviceModelVariables must be at least 1 (was {MaxDeviceModelVariables})."
        : MaxNoticesPerKind < 1 ? $"Voltgate:Limits:MaxNoticesPerKind must be at least 1 (was {MaxNoticesPerKind})."
        : null;
}
