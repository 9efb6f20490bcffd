using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Access;
using Voltgate.Core.Audit;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;

namespace Voltgate.Server.Security;

/// <summary>
/// The UI's sign-in and sign-out: HTML form posts (antiforgery-checked) that set or clear the auth cookie. The
/// cookie carries the same claims as bearer tokens, so <see cref="RequestIdentityMiddleware"/> treats both alike.
/// </summary>
public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/account").ExcludeFromDescription();
        group.MapPost("/login", LoginAsync).AllowAnonymous();
        group.MapPost("/logout", LogoutAsync);
    }

    private static async Task<IResult> LoginAsync(
        [FromForm] string? tenant,
        [FromForm] string? username,
        [FromForm] string? password,
        [FromForm] string? code,
        [FromForm] string? returnUrl,
        HttpContext http,
        VoltgateDbContext db,
        TenantContext tenantContext,
        ActorContext actor,
        UserManager<VoltgateUser> users,
        AuditLog audit,
        CancellationToken ct)
    {
        var slug = string.IsNullOrWhiteSpace(tenant) ? Tenant.DefaultSlug : tenant.Trim();
        var back = $"/account/login?tenant={Uri.EscapeDataString(slug)}&username={Uri.EscapeDataString(username ?? "")}"
                   + (string.IsNullOrEmpty(returnUrl) ? "" : "&returnUrl=" + Uri.EscapeDataString(returnUrl));
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
        {
            return Results.LocalRedirect(back + "&error=missing");
        }

        var t = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(x => x.Slug == slug, ct);
        if (t is null)
        {
            return Results.LocalRedirect(back + "&error=failed");
        }

        tenantContext.Set(t.Id);
        actor.Actor = username.Length > 64 ? username[..64] : username;
        var normalized = users.NormalizeName(username);
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, ct);
        if (user is null || !user.Active || await users.IsLockedOutAsync(user))
        {
            var reason = user is null ? "unknown" : !user.Active ? "deactivated" : "lockedOut";
            audit.Add("Auth.LoginFailed", username, new { channel = "ui", reason });
            await db.SaveChangesAsync(ct);
            return Results.LocalRedirect(back + (reason == "lockedOut" ? "&error=locked" : "&error=failed"));
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            await users.AccessFailedAsync(user);
            audit.Add("Auth.LoginFailed", user.UserName, new { channel = "ui", reason = "password" });
            await db.SaveChangesAsync(ct);
            return Results.LocalRedirect(back + (await users.IsLockedOutAsync(user) ? "&error=locked" : "&error=failed"));
        }

        if (user.TwoFactorEnabled)
        {
            if (string.IsNullOrWhiteSpace(code))
            {
                return Results.LocalRedirect(back + "&totp=1");
            }

            var ok = await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code.Replace(" ", "", StringComparison.Ordinal));
            if (!ok)
            {
                await users.AccessFailedAsync(user);
                audit.Add("Auth.LoginFailed", user.UserName, new { channel = "ui", reason = "totp" });
                await db.SaveChangesAsync(ct);
                return Results.LocalRedirect(back + "&totp=1&error=totp");
            }
        }

        await users.ResetAccessFailedCountAsync(user);
        actor.ActorId = user.Id;
        actor.Actor = user.UserName!;
        audit.Add("Auth.LoggedIn", user.UserName, new { channel = "ui", totp = user.TwoFactorEnabled });
        await db.SaveChangesAsync(ct);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(VoltgateClaims.UserId, user.Id.ToString()),
                new Claim(ClaimTypes.Name, user.UserName!),
                new Claim(VoltgateClaims.TenantId, t.Id.ToString()),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme));
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, AuditLog audit, ActorContext actor, VoltgateDbContext db, CancellationToken ct)
    {
        if (actor.ActorId is not null)
        {
            audit.Add("Auth.LoggedOut", actor.Actor, new { channel = "ui" });
            await db.SaveChangesAsync(ct);
        }

        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.LocalRedirect("/account/login");
    }

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}
