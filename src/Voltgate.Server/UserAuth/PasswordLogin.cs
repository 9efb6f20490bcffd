using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Access;
using Voltgate.Core.Audit;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;

namespace Voltgate.Server.UserAuth;

public enum LoginFailure
{
    None,
    Missing,
    Failed,
    LockedOut,
    TotpRequired,
    TotpWrong,
}

public sealed record LoginOutcome(LoginFailure Failure, VoltgateUser? User = null, Tenant? Tenant = null);

/// <summary>
/// The one credential check for every way in (API token, UI form): tenant, login name, lockout, password,
/// the second factor when the user has one, and the audit trail of each success and failure.
/// </summary>
/// <remarks>
/// Attempts for one account run one at a time in this process (<see cref="AccountLocks"/>), so no more passwords
/// are checked than the lockout allows. Across nodes the failure count is still exact: a concurrent change of the
/// user (another node's attempt, an admin's unlock) makes Identity's update fail on the concurrency stamp, and the
/// change is applied again to what is stored.
/// </remarks>
public sealed partial class PasswordLogin(
    VoltgateDbContext db,
    TenantContext tenantContext,
    ActorContext actor,
    UserManager<VoltgateUser> users,
    AuditLog audit,
    AccountLocks locks,
    ILogger<PasswordLogin> logger)
{
    /// <summary>Tries of one lockout change against concurrent updates of the same user before giving up.</summary>
    private const int LockoutWriteTries = 10;

    public async Task<LoginOutcome> CheckAsync(string? tenantSlug, string? username, string? password, string? totpCode, string channel, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
        {
            return new(LoginFailure.Missing);
        }

        var slug = string.IsNullOrWhiteSpace(tenantSlug) ? Tenant.DefaultSlug : tenantSlug.Trim();
        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == slug, ct);
        if (tenant is null)
        {
            return new(LoginFailure.Failed);
        }

        tenantContext.Set(tenant.Id);
        actor.Actor = username.Length > 64 ? username[..64] : username;
        var normalized = users.NormalizeName(username) ?? username;
        using var _ = await locks.AcquireAsync(tenant.Id, normalized, ct);
        return await CheckAccountAsync(tenant, normalized, username, password, totpCode, channel, ct);
    }

    /// <summary>The part of <see cref="CheckAsync"/> that runs under the account's lock: read, lockout, password, second factor.</summary>
    private async Task<LoginOutcome> CheckAccountAsync(Tenant tenant, string normalized, string username, string password, string? totpCode, string channel, CancellationToken ct)
    {
        // Read under the lock: the lockout state must include the failures of the attempt that held it before.
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, ct);
        if (user is null || !user.Active || await users.IsLockedOutAsync(user))
        {
            var reason = user is null ? "unknown" : !user.Active ? "deactivated" : "lockedOut";
            return await FailAsync(username, channel, reason, reason == "lockedOut" ? LoginFailure.LockedOut : LoginFailure.Failed, ct);
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            return await CountFailureAsync(user, channel, "password", LoginFailure.Failed, ct);
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
                return await CountFailureAsync(user, channel, "totp", LoginFailure.TotpWrong, ct);
            }
        }

        await ChangeLockoutAsync(user, users.ResetAccessFailedCountAsync, ct);
        actor.ActorId = user.Id;
        actor.Actor = user.UserName!;
        int? recoveryCodesLeft = secondFactor == "recoveryCode" ? await users.CountRecoveryCodesAsync(user) : null;
        audit.Add("Auth.LoggedIn", user.UserName, new { channel, totp = user.TwoFactorEnabled, secondFactor, recoveryCodesLeft });
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
    private async Task<LoginOutcome> CountFailureAsync(VoltgateUser user, string channel, string reason, LoginFailure failure, CancellationToken ct)
    {
        await ChangeLockoutAsync(user, users.AccessFailedAsync, ct);
        var locked = await users.IsLockedOutAsync(user);
        return await FailAsync(user.UserName!, channel, reason, locked ? LoginFailure.LockedOut : failure, ct);
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

    private async Task<LoginOutcome> FailAsync(string username, string channel, string reason, LoginFailure failure, CancellationToken ct)
    {
        audit.Add("Auth.LoginFailed", username, new { channel, reason });
        await db.SaveChangesAsync(ct);
        return new(failure);
    }
}
