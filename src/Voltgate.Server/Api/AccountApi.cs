using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Access;
using Voltgate.Core.Audit;
using Voltgate.Core.Common;
using Voltgate.Core.Data;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

internal sealed record TwoFactorEnableRequest(string? Code);

internal sealed record TwoFactorEnabledDto(IReadOnlyList<string> RecoveryCodes);

/// <summary>Disabling needs proof beyond the session: the current password or a current authenticator code.</summary>
internal sealed record TwoFactorDisableRequest(string? Password, string? Code);

/// <summary>The signed-in user's own account: the TOTP second factor. Being signed in is the only right needed.</summary>
internal static class AccountApi
{
    public static void MapAccountApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/account/two-factor").WithTags("My account").RequireAuthorization();
        group.MapGet("/", StatusAsync).Produces<TwoFactorStatusDto>().WithSummary("Whether the caller has a second factor, and how many unused recovery codes are left");
        group.MapPost("/setup", SetupAsync).Produces<TwoFactorSetupDto>().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Start enrolment: a new authenticator key (base32) and its otpauth:// URI; nothing is enabled until /enable gets a valid code")
            .WithDescription("Refused with 409 while a second factor is enabled: disable it first, so a live factor is never replaced silently.");
        group.MapPost("/enable", EnableAsync).Produces<TwoFactorEnabledDto>().ProducesProblems(400, 409)
            .WithSummary("Enable the second factor with a current code from the authenticator; returns 10 recovery codes, shown only here")
            .WithDescription("Each recovery code can be sent once instead of a TOTP code (\"totp\" of /api/v1/auth/token).");
        group.MapPost("/disable", DisableAsync).Produces<TwoFactorStatusDto>().ProducesProblems(400, 409)
            .WithSummary("Disable the second factor; needs the current password (\"password\") or a current authenticator code (\"code\")");
    }

    private static async Task<IResult> StatusAsync(CurrentUser current, TwoFactorAccount twoFactor, CancellationToken ct) =>
        TypedResults.Ok(await twoFactor.StatusAsync(current.User!.Id, ct));

    private static async Task<IResult> SetupAsync(CurrentUser current, TwoFactorAccount twoFactor, CancellationToken ct)
    {
        var result = await twoFactor.SetupAsync(current.User!.Id, ct);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error!.ToProblem();
    }

    private static async Task<IResult> EnableAsync(TwoFactorEnableRequest request, CurrentUser current, TwoFactorAccount twoFactor, CancellationToken ct)
    {
        var result = await twoFactor.EnableAsync(current.User!.Id, request.Code, ct);
        return result.IsSuccess ? TypedResults.Ok(new TwoFactorEnabledDto(result.Value!)) : result.Error!.ToProblem();
    }

    private static async Task<IResult> DisableAsync(TwoFactorDisableRequest request, CurrentUser current, TwoFactorAccount twoFactor, CancellationToken ct)
    {
        var result = await twoFactor.DisableAsync(current.User!.Id, request.Password, request.Code, ct);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error!.ToProblem();
    }
}
