using Voltgate.Core.Access;
using Voltgate.Core.Common;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

internal sealed record CompanyDto(Guid Id, string Name, Guid? ParentId, DateTimeOffset CreatedAt);

internal sealed record CreateCompanyRequest(string? Name, Guid? ParentId);

internal sealed record UpdateCompanyRequest(string? Name);

internal static class CompaniesApi
{
    public static void MapCompaniesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/companies").WithTags("Companies");
        group.MapGet("/", ListAsync).RequireRight(Right.UsersView).Produces<Page<CompanyDto>>().WithSummary("The tenant's companies (a tree via parentId)");
        group.MapPost("/", CreateAsync).RequireRight(Right.UsersManage).Produces<CompanyDto>(StatusCodes.Status201Created).ProducesProblems(400, 404).WithSummary("Create a company below a parent (default: the caller's company)");
        group.MapGet("/{id:guid}", async (Guid id, CompanyService companies, CancellationToken ct) => Respond(await companies.GetAsync(id, ct)))
            .RequireRight(Right.UsersView).Produces<CompanyDto>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/{id:guid}", async (Guid id, UpdateCompanyRequest request, CompanyService companies, CancellationToken ct) =>
            Respond(await companies.RenameAsync(id, request.Name, ct))).RequireRight(Right.UsersManage)
            .Produces<CompanyDto>().ProducesProblems(400, 404);
        group.MapDelete("/{id:guid}", DeleteAsync).RequireRight(Right.UsersManage).Produces(StatusCodes.Status204NoContent).ProducesProblems(404, 409)
            .WithSummary("Delete a company; 409 while users, stations, ID tags, groups or sub-companies belong to it");
    }

    private static async Task<IResult> ListAsync(int? skip, int? take, CompanyService companies, CancellationToken ct)
    {
        var (s, t) = ApiErrors.Paging(skip, take);
        var (items, total) = await companies.ListAsync(s, t, ct);
        return TypedResults.Ok(new Page<CompanyDto>(items.Select(ToDto).ToList(), total));
    }

    private static async Task<IResult> CreateAsync(CreateCompanyRequest request, CompanyService companies, CancellationToken ct)
    {
        var result = await companies.CreateAsync(request.Name, request.ParentId, ct);
        return result.IsSuccess ? TypedResults.Created($"/api/v1/companies/{result.Value!.Id}", ToDto(result.Value)) : result.Error!.ToProblem();
    }

    private static async Task<IResult> DeleteAsync(Guid id, CompanyService companies, CancellationToken ct)
    {
        var result = await companies.DeleteAsync(id, ct);
        return result.IsSuccess ? TypedResults.NoContent() : result.Error!.ToProblem();
    }

    private static IResult Respond(Result<CompanyView> result) => result.IsSuccess ? TypedResults.Ok(ToDto(result.Value!)) : result.Error!.ToProblem();

    private static CompanyDto ToDto(CompanyView c) => new(c.Id, c.Name, c.ParentId, c.CreatedAt);
}
