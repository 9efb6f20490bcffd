namespace Voltgate.Server.UserAuth;

/// <summary>Settings of the user login (<c>Voltgate:Login</c>), read once at start.</summary>
public sealed class LoginOptions
{
    /// <summary>Wrong passwords (or second factors) of one account, in a row, before the account is locked. Default 5.</summary>
    public int AccountFailuresBeforeLockout { get; set; } = 5;

    /// <summary>How long a locked account stays locked. Default 5 minutes.</summary>
    public TimeSpan LockoutTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The first setting that is out of range, as a one-line reason; null when all are usable.</summary>
    public string? Problem() =>
        AccountFailuresBeforeLockout < 1 ? $"Voltgate:Login:AccountFailuresBeforeLockout must be at least 1 (was {AccountFailuresBeforeLockout})."
        : LockoutTime <= TimeSpan.Zero ? $"Voltgate:Login:LockoutTime must be longer than zero (was {LockoutTime})."
        : null;
}
