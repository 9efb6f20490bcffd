using Microsoft.AspNetCore.Identity;
using Voltgate.Core.Access;
using Voltgate.Core.Audit;
using Voltgate.Core.Common;
using Voltgate.Core.Data;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

internal sealed record UserDto(Guid Id, string Username, string? DisplayName, string? Email, Guid CompanyId, IReadOnlyList<Guid> GroupIds,
    bool Active, string PreferredLanguage, bool TwoFactorEnabled, bool LockedOut, DateTimeOffset CreatedAt);

internal sealed record CreateUserRequest(string? Username, string? DisplayName, string? Email, Guid? CompanyId, IReadOnlyList<Guid>? GroupIds, string? Password, string? PreferredLanguage);

internal sealed record UpdateUserRequest(string? DisplayName, string? Email, Guid? CompanyId, IReadOnlyList<Guid>? GroupIds, bool? Active, string? PreferredLanguage);

internal sealed record ResetPasswordRequest(string? Password);

internal static class UsersApi
{
    public static void MapUsersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/users").WithTags("Users");
        group.MapGet("/", ListAsync).RequireRight(Right.UsersView).Produces<Page<UserDto>>().WithSummary("Users within the caller's data scope");
        group.MapPost("/", CreateAsync).RequireRight(Right.UsersManage).Produces<UserDto>(StatusCodes.Status201Created).ProducesProblems(400, 404, 409).WithSummary("Create a user (login name unique per tenant, password policy applies)");
        group.MapGet("/{id:guid}", GetAsync).RequireRight(Right.UsersView).Produces<UserDto>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/{id:guid}", UpdateAsync).RequireRight(Right.UsersManage).Produces<UserDto>().ProducesProblems(400, 404)
            .WithSummary("Change display name, email, company, groups, language or active (users are deactivated, never deleted)");
        group.MapPost("/{id:guid}/reset-password", ResetPasswordAsync).RequireRight(Right.UsersManage).Produces<UserDto>().ProducesProblems(400, 404)
            .WithSummary("Set a new password for a user and lift a lockout");
        group.MapPost("/{id:guid}/reset-two-factor", ResetTwoFactorAsync).RequireRight(Right.UsersManage).Produces<UserDto>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Remove a user's second factor (lost authenticator and recovery codes): the password alone signs in again until they enrol anew");
    }

    private static async Task<IResult> ListAsync(int? skip, int? take, UserAdminService users, CancellationToken ct)
    {
        var (s, t) = ApiErrors.Paging(skip, take);
        var (items, total) = await users.ListAsync(s, t, ct);
        return TypedResults.Ok(new Page<UserDto>(items.Select(ToDto).ToList(), total));
    }

    private static async Task<IResult> GetAsync(Guid id, UserAdminService users, CancellationToken ct) =>
        Respond(await users.GetAsync(id, ct));

    private static async Task<IResult> CreateAsync(CreateUserRequest request, UserAdminService users, CancellationToken ct)
    {
        var result = await users.CreateAsync(new CreateUserCommand(request.Username, request.DisplayName, request.Email, request.CompanyId,
            request.GroupIds, request.Password, request.PreferredLanguage), ct);
        return result.IsSuccess ? TypedResults.Created($"/api/v1/users/{result.Value!.Id}", ToDto(result.Value)) : result.Error!.ToProblem();
    }

    private static async Task<IResult> UpdateAsync(Guid id, UpdateUserRequest request, UserAdminService users, CancellationToken ct) =>
        Respond(await users.UpdateAsync(id, new UpdateUserCommand(request.DisplayName, request.Email, request.CompanyId, request.GroupIds,
            request.Active, request.PreferredLanguage), ct));

    private static async Task<IResult> ResetPasswordAsync(Guid id, ResetPasswordRequest request, UserAdminService users, CancellationToken ct) =>
        Respond(await users.ResetPasswordAsync(id, request.Password, ct));

    private static async Task<IResult> ResetTwoFactorAsync(Guid id, UserAdminService users, TwoFactorAccount twoFactor, CancellationToken ct)
    {
        var reset = await twoFactor.AdminResetAsync(id, ct);
        return reset.IsSuccess ? Respond(await users.GetAsync(id, ct)) : reset.Error!.ToProblem();
    }

    private static IResult Respond(Result<UserView> result) => result.IsSuccess ? TypedResults.Ok(ToDto(result.Value!)) : result.Error!.ToProblem();

    private static UserDto ToDto(UserView u) =>
        new(u.Id, u.Username, u.DisplayName, u.Email, u.CompanyId, u.GroupIds, u.Active, u.PreferredLanguage, u.TwoFactorEnabled, u.LockedOut, u.CreatedAt);
}
