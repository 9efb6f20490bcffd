using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Access;
using Voltgate.Core.Audit;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;

namespace Voltgate.Server.UserAuth;

internal enum LoginFailure
{
    None,
    Missing,
    Failed,
    LockedOut,
    TotpRequired,
    TotpWrong,
}

internal sealed record LoginOutcome(LoginFailure Failure, VoltgateUser? User = null, Tenant? Tenant = null);

/// <summary>
/// The one credential check for every way in (API token, UI form): tenant, login name, lockout, password,
/// the second factor when the user has one, and the audit trail of each success and failure.
/// </summary>
/// <remarks>
/// <para>Who can lock whom out (docs/security.md): failures count per (source address, account) and per source
/// address (<see cref="LoginThrottle"/>), so guessing from one address blocks only that address; the account itself
/// is locked (Identity's lockout) only past a much higher ceiling of failures from all addresses together.</para>
/// <para>Attempts for one account run one at a time in this process (<see cref="AccountLocks"/>), so no more
/// passwords are checked than the budgets allow. Across nodes the account's failure count is still exact: a
/// concurrent change of the user (another node's attempt, an admin's unlock) makes Identity's update fail on the
/// concurrency stamp, and the change is applied again to what is stored.</para>
/// <para>An unknown or deactivated login name costs a password hash like a known one (against a dummy hash), so
/// the answer's time does not tell which names exist.</para>
/// </remarks>
internal sealed partial class PasswordLogin(
    VoltgateDbContext db,
    TenantContext tenantContext,
    ActorContext actor,
    UserManager<VoltgateUser> users,
    AuditLog audit,
    AccountLocks locks,
    LoginThrottle throttle,
    ILogger<PasswordLogin> logger)
{
    /// <summary>Tries of one lockout change against concurrent updates of the same user before giving up.</summary>
    private const int LockoutWriteTries = 10;

    /// <summary>A hash of a random password, made once with the configured hasher; unknown names are checked against it.</summary>
    private static string? s_dummyHash;

    /// <summary>Where a login attempt comes from and which account (tenant, normalized name) it is for.</summary>
    private sealed record Attempt(IPAddress Source, Guid TenantId, string Name, string Channel);

    public async Task<LoginOutcome> CheckAsync(string? tenantSlug, string? username, string? password, string? totpCode, string channel, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
        {
            return new(LoginFailure.Missing);
        }

        var source = IPAddress.TryParse(actor.SourceAddress, out var address) ? address : IPAddress.None;
        var normalized = users.NormalizeName(username) ?? username;
        var slug = string.IsNullOrWhiteSpace(tenantSlug) ? Tenant.DefaultSlug : tenantSlug.Trim();
        // A deactivated tenant is as unknown as a missing one: its users cannot sign in (docs/operations.md, "Tenants").
        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == slug && t.DeactivatedAt == null, ct);
        if (tenant is null)
        {
            // No tenant to audit in; the address still pays for the guess, and it takes as long as a known tenant's.
            if (!throttle.IsBlocked(source, null, normalized))
            {
                CheckDummyPassword(password);
                throttle.RecordFailure(source, null, normalized);
            }

            return new(LoginFailure.Failed);
        }

        tenantContext.Set(tenant.Id);
        actor.Actor = username.Length > 64 ? username[..64] : username;
        var attempt = new Attempt(source, tenant.Id, normalized, channel);
        using var _ = await locks.AcquireAsync(tenant.Id, normalized, ct);
        return await CheckAccountAsync(tenant, attempt, username, password, totpCode, ct);
    }

    /// <summary>The part of <see cref="CheckAsync"/> that runs under the account's lock: budgets, read, lockout, password, second factor.</summary>
    private async Task<LoginOutcome> CheckAccountAsync(Tenant tenant, Attempt attempt, string username, string password, string? totpCode, CancellationToken ct)
    {
        if (throttle.IsBlocked(attempt.Source, attempt.TenantId, attempt.Name))
        {
            // Not counted again: the block ends with its window however often the address keeps trying.
            return await FailAsync(attempt, username, "addressBlocked", LoginFailure.LockedOut, ct, counted: false);
        }

        // Read under the lock: the lockout state must include the failures of the attempt that held it before.
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == attempt.Name, ct);
        if (user is null || !user.Active)
        {
            CheckDummyPassword(password);
            return await FailAsync(attempt, username, user is null ? "unknown" : "deactivated", LoginFailure.Failed, ct);
        }

        if (await users.IsLockedOutAsync(user))
        {
            return await FailAsync(attempt, username, "lockedOut", LoginFailure.LockedOut, ct);
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            return await CountFailureAsync(user, attempt, "password", LoginFailure.Failed, ct);
        }

        string? secondFactor = null;
        if (user.TwoFactorEnabled)
        {
            if (string.IsNullOrWhiteSpace(totpCode))
            {
                return new(LoginFailure.TotpRequired);
            }

            secondFactor = await CheckSecondFactorAsync(user, totpCode);
            if (secondFactor is null)
            {
                return await CountFailureAsync(user, attempt, "totp", LoginFailure.TotpWrong, ct);
            }
        }

        await ChangeLockoutAsync(user, users.ResetAccessFailedCountAsync, ct);
        actor.ActorId = user.Id;
        actor.Actor = user.UserName!;
        int? recoveryCodesLeft = secondFactor == "recoveryCode" ? await users.CountRecoveryCodesAsync(user) : null;
        audit.Add("Auth.LoggedIn", user.UserName, new { channel = attempt.Channel, totp = user.TwoFactorEnabled, secondFactor, recoveryCodesLeft });
        await db.SaveChangesAsync(ct);
        return new(LoginFailure.None, user, tenant);
    }

    /// <summary>
    /// A current authenticator code, or else one of the user's recovery codes (used up by this login). Returns how
    /// the user proved it ("totp" or "recoveryCode"), null when neither matched.
    /// </summary>
    private async Task<string?> CheckSecondFactorAsync(VoltgateUser user, string code)
    {
        var compact = code.Replace(" ", "", StringComparison.Ordinal).Trim();
        if (compact.Length == 6 && compact.All(char.IsAsciiDigit)
            && await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, compact))
        {
            return "totp";
        }

        var recovery = NormalizeRecoveryCode(compact);
        return recovery is not null && (await users.RedeemTwoFactorRecoveryCodeAsync(user, recovery)).Succeeded ? "recoveryCode" : null;
    }

    /// <summary>Identity's recovery codes look like "ABCDE-FGHIJ"; accept them typed in lower case or without the dash.</summary>
    public static string? NormalizeRecoveryCode(string code)
    {
        var upper = code.Trim().ToUpperInvariant();
        if (upper.Length == 10 && !upper.Contains('-', StringComparison.Ordinal))
        {
            upper = upper[..5] + "-" + upper[5..];
        }

        return upper.Length is > 0 and <= 32 ? upper : null;
    }

    /// <summary>The claims every authentication scheme carries, so RequestIdentityMiddleware treats them alike.</summary>
    public static ClaimsPrincipal Principal(VoltgateUser user, Guid tenantId, string scheme) =>
        new(new ClaimsIdentity(
            [
                new Claim(VoltgateClaims.UserId, user.Id.ToString()),
                new Claim(ClaimTypes.Name, user.UserName!),
                new Claim(VoltgateClaims.TenantId, tenantId.ToString()),
            ],
            scheme));

    /// <summary>Counts a wrong password or second factor (locking the account at the limit) and audits it.</summary>
    private async Task<LoginOutcome> CountFailureAsync(VoltgateUser user, Attempt attempt, string reason, LoginFailure failure, CancellationToken ct)
    {
        await ChangeLockoutAsync(user, users.AccessFailedAsync, ct);
        var locked = await users.IsLockedOutAsync(user);
        return await FailAsync(attempt, user.UserName!, reason, locked ? LoginFailure.LockedOut : failure, ct);
    }

    /// <summary>Spends the time of a real password check, for a name that has no usable password.</summary>
    private void CheckDummyPassword(string password)
    {
        var dummy = new VoltgateUser();
        s_dummyHash ??= users.PasswordHasher.HashPassword(dummy, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
        users.PasswordHasher.VerifyHashedPassword(dummy, s_dummyHash, password);
    }

    /// <summary>
    /// Applies a change of the user's lockout fields. When another node or an admin saved the user in between,
    /// Identity reports a concurrency failure: the user is read again and the change applied to the stored state.
    /// The user is never left modified, so the audit event that follows always saves (a stale user made that save
    /// throw before, and the failure went unanswered and unaudited).
    /// </summary>
    private async Task ChangeLockoutAsync(VoltgateUser user, Func<VoltgateUser, Task<IdentityResult>> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await change(user);
            if (result.Succeeded)
            {
                return;
            }

            await db.Entry(user).ReloadAsync(ct);
            var concurrency = result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure));
            if (!concurrency || attempt == LockoutWriteTries)
            {
                LogLockoutNotSaved(logger, user.Id, attempt, string.Join(",", result.Errors.Select(e => e.Code)));
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The lockout state of user {UserId} was not saved after {Attempts} tries ({Errors}).")]
    private static partial void LogLockoutNotSaved(ILogger logger, Guid userId, int attempts, string errors);

    private async Task<LoginOutcome> FailAsync(Attempt attempt, string username, string reason, LoginFailure failure, CancellationToken ct, bool counted = true)
    {
        if (counted)
        {
            throttle.RecordFailure(attempt.Source, attempt.TenantId, attempt.Name);
        }

        audit.Add("Auth.LoginFailed", username, new { channel = attempt.Channel, reason });
        await db.SaveChangesAsync(ct);
        return new(failure);
    }
}
