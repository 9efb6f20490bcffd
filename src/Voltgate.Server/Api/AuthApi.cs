using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Access;
using Voltgate.Core.Audit;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;
using Voltgate.Server.Security;

namespace Voltgate.Server.Api;

public sealed record TokenRequest(string? Tenant, string? Username, string? Password);

public static class AuthApi
{
    public static void MapAuthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/auth/token", IssueTokenAsync)
            .WithTags("Authentication")
            .WithSummary("Exchange tenant, username and password for a bearer token")
            .AllowAnonymous();
    }

    private static async Task<IResult> IssueTokenAsync(
        TokenRequest request,
        VoltgateDbContext db,
        TenantContext tenantContext,
        ActorContext actor,
        UserManager<VoltgateUser> users,
        AuditLog audit,
        CancellationToken ct)
    {
        var refused = TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Tenant, username or password is wrong, or the account is locked.");
        var slug = string.IsNullOrWhiteSpace(request.Tenant) ? Tenant.DefaultSlug : request.Tenant.Trim();
        if (string.IsNullOrEmpty(request.Username) || string.IsNullOrEmpty(request.Password))
        {
            return refused;
        }

        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == slug, ct);
        if (tenant is null)
        {
            return refused;
        }

        tenantContext.Set(tenant.Id);
        var normalized = users.NormalizeName(request.Username);
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, ct);
        actor.Actor = request.Username.Length > 64 ? request.Username[..64] : request.Username;
        if (user is null || !user.Active || await users.IsLockedOutAsync(user))
        {
            audit.Add("Auth.LoginFailed", request.Username, new { channel = "api" });
            await db.SaveChangesAsync(ct);
            return refused;
        }

        if (!await users.CheckPasswordAsync(user, request.Password))
        {
            await users.AccessFailedAsync(user);
            audit.Add("Auth.LoginFailed", user.UserName, new { channel = "api" });
            await db.SaveChangesAsync(ct);
            return refused;
        }

        await users.ResetAccessFailedCountAsync(user);
        actor.ActorId = user.Id;
        audit.Add("Auth.LoggedIn", user.UserName, new { channel = "api" });
        await db.SaveChangesAsync(ct);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(VoltgateClaims.UserId, user.Id.ToString()),
                new Claim(ClaimTypes.Name, user.UserName!),
                new Claim(VoltgateClaims.TenantId, tenant.Id.ToString()),
            ],
            BearerTokenDefaults.AuthenticationScheme));
        return TypedResults.SignIn(principal, authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
    }
}
