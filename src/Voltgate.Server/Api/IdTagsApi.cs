using Voltgate.Core.Access;
using Voltgate.Core.IdTags;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

internal sealed record IdTagDto(string IdTag, IdTagStatus Status, DateTimeOffset? ExpiryDate, string? ParentIdTag, string? Owner, DateTimeOffset CreatedAt);

internal sealed record IdTagRequest(string? IdTag, IdTagStatus? Status, DateTimeOffset? ExpiryDate, string? ParentIdTag, string? Owner);

internal static class IdTagsApi
{
    public static void MapIdTagsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/id-tags").WithTags("ID tags");
        group.MapGet("/", async (int? skip, int? take, IdTagService tags, CancellationToken ct) =>
        {
            var (s, t) = ApiErrors.Paging(skip, take);
            var (items, total) = await tags.ListAsync(s, t, ct);
            return TypedResults.Ok(new Page<IdTagDto>(items.Select(ToDto).ToList(), total));
        }).RequireRight(Right.IdTagsView).Produces<Page<IdTagDto>>();
        group.MapPost("/", async (IdTagRequest request, IdTagService tags, CurrentUser current, CancellationToken ct) =>
        {
            // The caller's company owns the tag, so a company-scoped caller keeps seeing what it created.
            var result = await tags.CreateAsync(ToInput(request) with { CompanyId = current.User!.CompanyId }, ct);
            return result.IsSuccess
                ? TypedResults.Created($"/api/v1/id-tags/{Uri.EscapeDataString(result.Value!.Value)}", ToDto(result.Value))
                : result.Error!.ToProblem();
        }).RequireRight(Right.IdTagsManage).Produces<IdTagDto>(StatusCodes.Status201Created).ProducesProblems(400, 409);
        IdTagImportApi.Map(group);
        group.MapGet("/{idTag}", async (string idTag, IdTagService tags, CancellationToken ct) => Respond(await tags.GetAsync(idTag, ct)))
            .RequireRight(Right.IdTagsView).Produces<IdTagDto>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/{idTag}", async (string idTag, IdTagRequest request, IdTagService tags, CancellationToken ct) => Respond(await tags.UpdateAsync(idTag, ToInput(request), ct)))
            .RequireRight(Right.IdTagsManage).Produces<IdTagDto>().ProducesProblems(400, 404);
        group.MapDelete("/{idTag}", async (string idTag, IdTagService tags, CancellationToken ct) => Respond(await tags.DeleteAsync(idTag, ct)))
            .RequireRight(Right.IdTagsManage).Produces<IdTagDto>().ProducesProblems(404, 409);
    }

    private static IResult Respond(Core.Common.Result<IdTag> result) => result.IsSuccess ? TypedResults.Ok(ToDto(result.Value!)) : result.Error!.ToProblem();

    private static IdTagInput ToInput(IdTagRequest r) => new(r.IdTag, r.Status, r.ExpiryDate, r.ParentIdTag, r.Owner);

    private static IdTagDto ToDto(IdTag t) => new(t.Value, t.Status, t.ExpiryDate, t.ParentIdTag, t.Owner, t.CreatedAt);
}
