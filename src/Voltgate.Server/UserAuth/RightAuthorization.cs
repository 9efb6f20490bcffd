using Microsoft.AspNetCore.Authorization;
using Voltgate.Core.Access;

namespace Voltgate.Server.UserAuth;

/// <summary>
/// One requirement per right; a single handler checks it against the current user's groups. The same policies gate
/// API endpoints, pages and menu entries.
/// </summary>
internal sealed record RightRequirement(Right Right) : IAuthorizationRequirement;

internal sealed class RightAuthorizationHandler(CurrentUser current) : AuthorizationHandler<RightRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, RightRequirement requirement)
    {
        // Requests are loaded by RequestIdentityMiddleware; UI circuits load lazily here (cached until the next navigation).
        if (await current.EnsureAsync(context.User, CancellationToken.None) is not null && current.Has(requirement.Right))
        {
            context.Succeed(requirement);
        }
    }
}

internal static class RightPolicies
{
    public const string Prefix = "right:";

    public static string Name(Right right) => Prefix + right;

    public static AuthorizationBuilder AddRightPolicies(this AuthorizationBuilder builder)
    {
        foreach (var right in Enum.GetValues<Right>())
        {
            builder.AddPolicy(Name(right), p => p.RequireAuthenticatedUser().AddRequirements(new RightRequirement(right)));
        }

        return builder;
    }

    /// <summary>Gates an endpoint (or group) by a right: 401 without a user, 403 without the right.</summary>
    public static TBuilder RequireRight<TBuilder>(this TBuilder builder, Right right)
        where TBuilder : IEndpointConventionBuilder => builder.RequireAuthorization(Name(right));
}
