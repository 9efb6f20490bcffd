using Microsoft.AspNetCore.Authorization;
using Voltgate.Core.Access;

namespace Voltgate.Server.Security;

/// <summary>One requirement per right; a single handler checks it against the current user's groups.</summary>
public sealed record RightRequirement(Right Right) : IAuthorizationRequirement;

public sealed class RightAuthorizationHandler(CurrentUser current) : AuthorizationHandler<RightRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RightRequirement requirement)
    {
        if (current.User is not null && current.Has(requirement.Right))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

public static class RightPolicies
{
    public static string Name(Right right) => "right:" + right;

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
