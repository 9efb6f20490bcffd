namespace Voltgate.Server.UserAuth;

/// <summary>Settings of the user login (<c>Voltgate:Login</c>), read once at start.</summary>
internal sealed class LoginOptions
{
    /// <summary>
    /// Failed logins of one account from one source address within <see cref="LockoutTime"/> before that address
    /// is blocked for the account. Default 5. Other addresses can still sign in to the account.
    /// </summary>
    public int AddressAccountFailuresBeforeBlock { get; set; } = 5;

    /// <summary>Failed logins from one source address, any account, within <see cref="LockoutTime"/> before the address is blocked. Default 30.</summary>
    public int AddressFailuresBeforeBlock { get; set; } = 30;

    /// <summary>
    /// Wrong passwords (or second factors) of one account in a row, from all addresses together, before the account
    /// is locked for everyone. Default 100: a ceiling against guessing from many addresses, high enough that one
    /// address (at most <see cref="AddressAccountFailuresBeforeBlock"/> per window) cannot reach it quickly.
    /// </summary>
    public int AccountFailuresBeforeLockout { get; set; } = 100;

    /// <summary>How long a locked account stays locked, and the window of the per-address budgets. Default 5 minutes.</summary>
    public TimeSpan LockoutTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The first setting that is out of range, as a one-line reason; null when all are usable.</summary>
    public string? Problem() =>
        AddressAccountFailuresBeforeBlock < 1 ? $"Voltgate:Login:AddressAccountFailuresBeforeBlock must be at least 1 (was {AddressAccountFailuresBeforeBlock})."
        : AddressFailuresBeforeBlock < 1 ? $"Voltgate:Login:AddressFailuresBeforeBlock must be at least 1 (was {AddressFailuresBeforeBlock})."
        : AccountFailuresBeforeLockout < 1 ? $"Voltgate:Login:AccountFailuresBeforeLockout must be at least 1 (was {AccountFailuresBeforeLockout})."
        : LockoutTime <= TimeSpan.Zero ? $"Voltgate:Login:LockoutTime must be longer than zero (was {LockoutTime})."
        : null;
}
