using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Voltgate.Server.UserAuth;

/// <summary>
/// One default scheme that forwards per request: API key (X-Api-Key or "Bearer vgk_…"), bearer token (any other
/// Authorization header), else the UI cookie.
/// </summary>
internal static class AuthenticationSchemes
{
    public const string Default = "Voltgate";

    public static AuthenticationBuilder AddVoltgateSchemes(this AuthenticationBuilder builder) =>
        builder
            .AddPolicyScheme(Default, "Cookie, bearer token or API key", o => o.ForwardDefaultSelector = Select)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, ConfigureCookie)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

    public static string Select(HttpContext http)
    {
        if (ApiKeyAuthenticationHandler.Presented(http.Request) is not null)
        {
            return ApiKeyAuthenticationHandler.SchemeName;
        }

        return string.IsNullOrEmpty(http.Request.Headers.Authorization) ? CookieAuthenticationDefaults.AuthenticationScheme : BearerTokenDefaults.AuthenticationScheme;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions o)
    {
        o.Cookie.Name = ".Voltgate.Auth";
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ExpireTimeSpan = TimeSpan.FromHours(8);
        o.SlidingExpiration = true;
        o.LoginPath = "/account/login";
        o.LogoutPath = "/account/logout";
        o.AccessDeniedPath = "/access-denied";
        // The API answers 401/403 problem details instead of redirecting to HTML pages.
        o.Events.OnRedirectToLogin = ctx => Redirect(ctx, StatusCodes.Status401Unauthorized);
        o.Events.OnRedirectToAccessDenied = ctx => Redirect(ctx, StatusCodes.Status403Forbidden);
    }

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> ctx, int apiStatus)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = apiStatus;
        }
        else
        {
            ctx.Response.Redirect(ctx.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
