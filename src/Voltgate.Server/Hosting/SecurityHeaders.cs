namespace Voltgate.Server.Hosting;

/// <summary>
/// Browser hardening headers on every web response (pages, API, errors, health, static files): a Content Security
/// Policy the Blazor Server UI and the API reference work under, no framing, no MIME sniffing, no referrer, no
/// powerful browser features, and HSTS when the request came over TLS (directly or, with forwarded headers, at
/// the proxy). docs/security.md lists each header and why.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>
    /// Scripts and connections only from this origin (blazor.web.js, MudBlazor, the Blazor circuit's WebSocket);
    /// inline styles are allowed because Blazor and MudBlazor set <c>style</c> attributes on elements.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The API reference page (Scalar) starts itself with an inline module script, compiles code at run time (eval)
    /// and may run workers from blob: URLs; that page shows only the API description, no data, so it alone gets these.
    /// </summary>
    public const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        + "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string ApiReferencePath = "/api/reference";

    public const string PermissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=()";

    /// <summary>One year; no includeSubDomains, which would bind hosts this server does not run.</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    /// <summary>Sets the headers when the response starts, so an error page written after a reset keeps them.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments(ApiReferencePath) ? ApiReferencePolicy : ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = PermissionsPolicy;
            if (http.Request.IsHttps)
            {
                headers.StrictTransportSecurity = StrictTransportSecurity;
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    });
}
