using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Voltgate.Core.Access;
using Voltgate.Core.Tenancy;

namespace Voltgate.Server.UserAuth;

/// <summary>
/// After authentication: fixes the tenant of the unit of work from the token, cookie or API key, loads the user
/// (refusing deactivated ones at once: 401 for the API, back to the login page for the UI) and fills the actor for
/// audit events.
/// </summary>
internal sealed class RequestIdentityMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, TenantContext tenant, ActorContext actor, CurrentUser current)
    {
        actor.SourceAddress = http.Connection.RemoteIpAddress?.ToString();
        var principal = http.User;
        if (principal.Identity?.IsAuthenticated == true)
        {
            if (!CurrentUser.TryRead(principal, out var tenantId, out var userId))
            {
                await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The credentials are not valid.").ExecuteAsync(http);
                return;
            }

            tenant.Set(tenantId);
            var user = await current.LoadAsync(userId, http.RequestAborted);
            if (user is null)
            {
                if (!http.Request.Path.StartsWithSegments("/api") && principal.Identity.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme)
                {
                    await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    http.Response.Redirect("/account/login");
                    return;
                }

                await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "This user is deactivated or no longer exists.").ExecuteAsync(http);
                return;
            }

            actor.Actor = user.UserName ?? user.Id.ToString();
            actor.ActorId = user.Id;
        }

        await next(http);
    }
}
