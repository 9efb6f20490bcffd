using Voltgate.Core.Access;
using Voltgate.Core.Common;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

internal sealed record GroupDto(Guid Id, string Name, string? Description, DataScope DataScope, Guid CompanyId, int MemberCount, IReadOnlyList<string> Rights);

internal sealed record CreateGroupRequest(string? Name, string? Description, DataScope? DataScope, Guid? CompanyId);

internal sealed record UpdateGroupRequest(string? Name, string? Description, DataScope? DataScope, Guid? CompanyId);

internal sealed record RightDto(string Name, string Tab, string Label, bool Granted);

internal sealed record RightsDto(IReadOnlyList<RightDto> Rights);

internal sealed record RightChangeDto(string? Name, bool Granted);

internal sealed record RightsChangeRequest(IReadOnlyList<RightChangeDto>? Rights);

internal sealed record MembersDto(IReadOnlyList<Guid> UserIds);

internal sealed record AddMemberRequest(Guid UserId);

internal static class GroupsApi
{
    public static void MapGroupsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/groups").WithTags("Groups");
        group.MapGet("/", ListAsync).RequireRight(Right.UsersView).Produces<Page<GroupDto>>();
        group.MapPost("/", CreateAsync).RequireRight(Right.UsersManage).Produces<GroupDto>(StatusCodes.Status201Created).ProducesProblems(400, 404).WithSummary("Create a group; its data scope cannot be wider than the caller's");
        group.MapGet("/{id:guid}", async (Guid id, GroupService groups, CancellationToken ct) => Respond(await groups.GetAsync(id, ct)))
            .RequireRight(Right.UsersView).Produces<GroupDto>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/{id:guid}", UpdateAsync).RequireRight(Right.UsersManage).Produces<GroupDto>().ProducesProblems(400, 404);
        group.MapGet("/{id:guid}/rights", GetRightsAsync).RequireRight(Right.UsersView).Produces<RightsDto>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Every right of the catalogue with tab, label and whether this group grants it");
        group.MapPut("/{id:guid}/rights", PutRightsAsync).RequireRight(Right.UsersManage).Produces<RightsDto>().ProducesProblems(400, 404)
            .WithSummary("Set rights YES/NO by name (rights not listed stay unchanged); an unknown name refuses the whole request");
        group.MapGet("/{id:guid}/members", MembersAsync).RequireRight(Right.UsersView).Produces<MembersDto>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/members", AddMemberAsync).RequireRight(Right.UsersManage).Produces<MembersDto>().ProducesProblems(400, 404, 409);
        group.MapDelete("/{id:guid}/members/{userId:guid}", RemoveMemberAsync).RequireRight(Right.UsersManage).Produces<MembersDto>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(int? skip, int? take, GroupService groups, CancellationToken ct)
    {
        var (s, t) = ApiErrors.Paging(skip, take);
        var (items, total) = await groups.ListAsync(s, t, ct);
        return TypedResults.Ok(new Page<GroupDto>(items.Select(ToDto).ToList(), total));
    }

    private static async Task<IResult> CreateAsync(CreateGroupRequest request, GroupService groups, CancellationToken ct)
    {
        var result = await groups.CreateAsync(new CreateGroupCommand(request.Name, request.Description, request.DataScope, request.CompanyId), ct);
        return result.IsSuccess ? TypedResults.Created($"/api/v1/groups/{result.Value!.Id}", ToDto(result.Value)) : result.Error!.ToProblem();
    }

    private static async Task<IResult> UpdateAsync(Guid id, UpdateGroupRequest request, GroupService groups, CancellationToken ct) =>
        Respond(await groups.UpdateAsync(id, new UpdateGroupCommand(request.Name, request.Description, request.DataScope, request.CompanyId), ct));

    private static async Task<IResult> GetRightsAsync(Guid id, GroupService groups, CancellationToken ct) =>
        RespondRights(await groups.GetRightsAsync(id, ct));

    private static async Task<IResult> PutRightsAsync(Guid id, RightsChangeRequest request, GroupService groups, CancellationToken ct) =>
        RespondRights(await groups.SetRightsAsync(id, request.Rights?.Select(r => new RightChange(r.Name, r.Granted)).ToList(), ct));

    private static async Task<IResult> MembersAsync(Guid id, GroupService groups, CancellationToken ct) =>
        RespondMembers(await groups.MembersAsync(id, ct));

    private static async Task<IResult> AddMemberAsync(Guid id, AddMemberRequest request, GroupService groups, CancellationToken ct) =>
        RespondMembers(await groups.AddMemberAsync(id, request.UserId, ct));

    private static async Task<IResult> RemoveMemberAsync(Guid id, Guid userId, GroupService groups, CancellationToken ct) =>
        RespondMembers(await groups.RemoveMemberAsync(id, userId, ct));

    private static IResult Respond(Result<GroupView> result) => result.IsSuccess ? TypedResults.Ok(ToDto(result.Value!)) : result.Error!.ToProblem();

    private static IResult RespondRights(Result<IReadOnlyList<RightState>> result) =>
        result.IsSuccess
            ? TypedResults.Ok(new RightsDto(result.Value!.Select(r => new RightDto(r.Name, r.Tab, r.Label, r.Granted)).ToList()))
            : result.Error!.ToProblem();

    private static IResult RespondMembers(Result<IReadOnlyList<Guid>> result) =>
        result.IsSuccess ? TypedResults.Ok(new MembersDto(result.Value!)) : result.Error!.ToProblem();

    private static GroupDto ToDto(GroupView g) => new(g.Id, g.Name, g.Description, g.DataScope, g.CompanyId, g.MemberCount, g.Rights);
}
