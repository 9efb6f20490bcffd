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

namespace Voltgate.Server.UserAuth;

/// <summary>
/// The UI's sign-in and sign-out: HTML form posts (antiforgery-checked) that set or clear the auth cookie. The
/// cookie carries the same claims as bearer tokens, so <see cref="RequestIdentityMiddleware"/> treats both alike.
/// </summary>
internal static class AccountEndpoints
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
        PasswordLogin login,
        CancellationToken ct)
    {
        var slug = string.IsNullOrWhiteSpace(tenant) ? Tenant.DefaultSlug : tenant.Trim();
        var back = $"/account/login?tenant={Uri.EscapeDataString(slug)}&username={Uri.EscapeDataString(username ?? "")}"
                   + (string.IsNullOrEmpty(returnUrl) ? "" : "&returnUrl=" + Uri.EscapeDataString(returnUrl));
        var outcome = await login.CheckAsync(slug, username, password, code, "ui", ct);
        switch (outcome.Failure)
        {
            case LoginFailure.None:
                await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                    PasswordLogin.Principal(outcome.User!, outcome.Tenant!.Id, CookieAuthenticationDefaults.AuthenticationScheme));
                return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
            case LoginFailure.Missing:
                return Results.LocalRedirect(back + "&error=missing");
            case LoginFailure.LockedOut:
                return Results.LocalRedirect(back + "&error=locked");
            case LoginFailure.TotpRequired:
                return Results.LocalRedirect(back + "&totp=1");
            case LoginFailure.TotpWrong:
                return Results.LocalRedirect(back + "&totp=1&error=totp");
            default:
                return Results.LocalRedirect(back + "&error=failed");
        }
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
