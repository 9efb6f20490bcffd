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
public sealed class PasswordLogin(
    VoltgateDbContext db,
    TenantContext tenantContext,
    ActorContext actor,
    UserManager<VoltgateUser> users,
    AuditLog audit)
{
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
        var normalized = users.NormalizeName(username);
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, ct);
        if (user is null || !user.Active || await users.IsLockedOutAsync(user))
        {
            var reason = user is null ? "unknown" : !user.Active ? "deactivated" : "lockedOut";
            return await FailAsync(username, channel, reason, reason == "lockedOut" ? LoginFailure.LockedOut : LoginFailure.Failed, ct);
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            await users.AccessFailedAsync(user);
            var locked = await users.IsLockedOutAsync(user);
            return await FailAsync(user.UserName!, channel, "password", locked ? LoginFailure.LockedOut : LoginFailure.Failed, ct);
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
                await users.AccessFailedAsync(user);
                var locked = await users.IsLockedOutAsync(user);
                return await FailAsync(user.UserName!, channel, "totp", locked ? LoginFailure.LockedOut : LoginFailure.TotpWrong, ct);
            }
        }

        await users.ResetAccessFailedCountAsync(user);
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

    private async Task<LoginOutcome> FailAsync(string username, string channel, string reason, LoginFailure failure, CancellationToken ct)
    {
        audit.Add("Auth.LoginFailed", username, new { channel, reason });
        await db.SaveChangesAsync(ct);
        return new(failure);
    }
}
