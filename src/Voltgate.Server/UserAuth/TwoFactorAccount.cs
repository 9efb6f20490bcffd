using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Access;
using Voltgate.Core.Audit;
using Voltgate.Core.Common;
using Voltgate.Core.Data;

namespace Voltgate.Server.UserAuth;

internal sealed record TwoFactorStatusDto(bool Enabled, int RecoveryCodesLeft);

internal sealed record TwoFactorSetupDto(string SharedKey, string AuthenticatorUri);

/// <summary>
/// Enrolment, use and removal of a user's TOTP second factor, shared by the API and the My account page. The
/// authenticator key and the recovery codes are returned to the user once and never written to the audit trail or
/// logs. Every change is audited. Construct it per unit of work (it uses that scope's DbContext).
/// </summary>
internal sealed class TwoFactorAccount(UserManager<VoltgateUser> users, VoltgateDbContext db, AuditLog audit)
{
    public const string Issuer = "Voltgate";
    public const int RecoveryCodeCount = 10;

    public async Task<TwoFactorStatusDto> StatusAsync(Guid userId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == userId, ct);
        return new(user.TwoFactorEnabled, user.TwoFactorEnabled ? await users.CountRecoveryCodesAsync(user) : 0);
    }

    /// <summary>A new authenticator key replaces any earlier, unconfirmed one.</summary>
    public async Task<Result<TwoFactorSetupDto>> SetupAsync(Guid userId, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return Error.NotFound("The user");
        }

        if (user.TwoFactorEnabled)
        {
            return new Error(ErrorKind.Conflict, "TwoFactorAlreadyEnabled", "The second factor is already enabled; disable it before setting up a new authenticator.");
        }

        await users.ResetAuthenticatorKeyAsync(user);
        var key = await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("Identity stored no authenticator key.");
        var tenant = await db.Tenants.AsNoTracking().Where(t => t.Id == user.TenantId).Select(t => t.Slug).FirstAsync(ct);
        audit.Add("User.TwoFactorSetupStarted", user.UserName);
        await db.SaveChangesAsync(ct);
        return new TwoFactorSetupDto(key, AuthenticatorUri(tenant, user.UserName!, key));
    }

    /// <summary>Enables the second factor only when <paramref name="code"/> proves the authenticator holds the key.</summary>
    public async Task<Result<IReadOnlyList<string>>> EnableAsync(Guid userId, string? code, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return Error.NotFound("The user");
        }

        if (user.TwoFactorEnabled)
        {
            return new Error(ErrorKind.Conflict, "TwoFactorAlreadyEnabled", "The second factor is already enabled.");
        }

        if (string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(user)))
        {
            return Error.Validation("code", "SetupRequired", "Start the setup first: it creates the key for your authenticator app.");
        }

        if (!await VerifyCodeAsync(user, code))
        {
            audit.Add("User.TwoFactorEnableFailed", user.UserName, new { reason = "code" });
            await db.SaveChangesAsync(ct);
            return Error.Validation("code", "WrongCode", "The authenticator code is not correct.");
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
        audit.Add("User.TwoFactorEnabled", user.UserName, new { recoveryCodes = codes.Count });
        await db.SaveChangesAsync(ct);
        return codes;
    }

    /// <summary>The user disables their own second factor, proving it with the current password or a current code.</summary>
    public async Task<Result<TwoFactorStatusDto>> DisableAsync(Guid userId, string? password, string? code, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return Error.NotFound("The user");
        }

        if (!user.TwoFactorEnabled)
        {
            return new Error(ErrorKind.Conflict, "TwoFactorNotEnabled", "The second factor is not enabled.");
        }

        // A stolen session must not become a password oracle: wrong proofs count towards the lockout, which also stops them here.
        if (await users.IsLockedOutAsync(user))
        {
            return Error.Validation("password", "LockedOut", "Too many failed attempts: the account is locked for a few minutes.");
        }

        var method = !string.IsNullOrEmpty(password) && await users.CheckPasswordAsync(user, password) ? "password"
            : await VerifyCodeAsync(user, code) ? "code"
            : null;
        if (method is null)
        {
            await users.AccessFailedAsync(user);
            audit.Add("User.TwoFactorDisableFailed", user.UserName, new { reason = string.IsNullOrEmpty(password) ? "code" : "password" });
            await db.SaveChangesAsync(ct);
            return Error.Validation(string.IsNullOrEmpty(password) ? "code" : "password", "WrongProof", "Enter your current password or a current authenticator code.");
        }

        await RemoveAsync(user);
        await users.ResetAccessFailedCountAsync(user);
        audit.Add("User.TwoFactorDisabled", user.UserName, new { method });
        await db.SaveChangesAsync(ct);
        return new TwoFactorStatusDto(false, 0);
    }

    /// <summary>An administrator removes a user's second factor (lost phone and codes); the user can log in with the password alone.</summary>
    public async Task<Result<bool>> AdminResetAsync(Guid userId, CancellationToken ct)
    {
        // The data-scope filters apply: an administrator resets only users they can see.
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return Error.NotFound("The user");
        }

        var wasEnabled = user.TwoFactorEnabled;
        await RemoveAsync(user);
        audit.Add("User.TwoFactorReset", user.UserName, new { wasEnabled });
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>"otpauth://totp/Voltgate:{tenant}:{user}?secret=…&amp;issuer=Voltgate" (Key Uri Format of Google Authenticator).</summary>
    public static string AuthenticatorUri(string tenant, string username, string key) =>
        $"otpauth://totp/{Issuer}:{Uri.EscapeDataString(tenant)}:{Uri.EscapeDataString(username)}?secret={key}&issuer={Issuer}";

    /// <summary>The key in groups of four, easier to type into an authenticator app.</summary>
    public static string FormatKey(string key)
    {
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            text.Append(text.Length > 0 ? " " : "").Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }

        return text.ToString();
    }

    private async Task<bool> VerifyCodeAsync(VoltgateUser user, string? code)
    {
        var compact = code?.Replace(" ", "", StringComparison.Ordinal).Trim();
        return !string.IsNullOrEmpty(compact)
               && await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, compact);
    }

    /// <summary>Off, with a fresh key nobody has seen and no recovery codes, so nothing from the old enrolment works again.</summary>
    private async Task RemoveAsync(VoltgateUser user)
    {
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
    }
}
