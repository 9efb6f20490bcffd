using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Voltgate.Core.Access;

namespace Voltgate.Server.UserAuth;

/// <summary>
/// Personal API keys: <c>Authorization: Bearer vgk_…</c> or <c>X-Api-Key: vgk_…</c>. The key authenticates as its
/// user; rights and the active flag are read per request like for every other caller.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    public static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header) && !string.IsNullOrEmpty(header))
        {
            return header.ToString().Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer " + ApiKey.Prefix, StringComparison.Ordinal) ? authorization["Bearer ".Length..].Trim() : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }

        var key = await keys.AuthenticateAsync(presented, Context.RequestAborted);
        if (key is null)
        {
            // Never log the presented key, not even a wrong one.
            return AuthenticateResult.Fail("Unknown, revoked or expired API key.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(VoltgateClaims.UserId, key.UserId.ToString()),
                new Claim(VoltgateClaims.TenantId, key.TenantId.ToString()),
                new Claim(VoltgateClaims.ApiKeyId, key.Id.ToString()),
                new Claim(ClaimTypes.Name, key.Hint),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
