using Microsoft.AspNetCore.Authentication.BearerToken;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

/// <summary>The token request; <c>totp</c> is required for users with a second factor.</summary>
internal sealed record TokenRequest(string? Tenant, string? Username, string? Password, string? Totp);

internal static class AuthApi
{
    public static void MapAuthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/auth/token", IssueTokenAsync)
            .WithTags("Authentication")
            .WithSummary("Exchange tenant, username and password (and a TOTP code when enabled) for a bearer token")
            .AllowAnonymous()
            .Produces<Microsoft.AspNetCore.Authentication.BearerToken.AccessTokenResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
    }

    private static async Task<IResult> IssueTokenAsync(TokenRequest request, PasswordLogin login, CancellationToken ct)
    {
        var outcome = await login.CheckAsync(request.Tenant, request.Username, request.Password, request.Totp, "api", ct);
        return outcome.Failure switch
        {
            LoginFailure.None => TypedResults.SignIn(
                PasswordLogin.Principal(outcome.User!, outcome.Tenant!.Id, BearerTokenDefaults.AuthenticationScheme),
                authenticationScheme: BearerTokenDefaults.AuthenticationScheme),
            LoginFailure.TotpRequired or LoginFailure.TotpWrong => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized,
                title: "This user has a second factor: send the current TOTP code as \"totp\".",
                extensions: new Dictionary<string, object?> { ["code"] = "TotpRequired" }),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Tenant, username or password is wrong, or the account is locked."),
        };
    }
}
