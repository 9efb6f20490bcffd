using System.Text.Json.Serialization;
using Voltgate.Core.Access;
using Voltgate.Core.Common;
using Voltgate.Core.Tenancy;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

internal sealed record TenantDto(string Slug, string Name, bool Active, DateTimeOffset CreatedAt, DateTimeOffset? DeactivatedAt);

internal sealed record TenantAdminDto(string Username, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Password);

/// <summary>The created tenant with its first admin; <c>admin.password</c> only when Voltgate generated it, this once.</summary>
internal sealed record CreatedTenantDto(string Slug, string Name, bool Active, DateTimeOffset CreatedAt, TenantAdminDto Admin);

internal sealed record TenantAdminRequest(string? Username, string? Password);

internal sealed record CreateTenantRequest(string? Slug, string? Name, TenantAdminRequest? Admin);

/// <summary>Instance › Tenants as an API: for instance administrators (right Instance.Tenants, tenant "default" only).</summary>
internal static class TenantsApi
{
    public static void MapTenantsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/tenants").WithTags("Tenants").RequireRight(Right.InstanceTenants);
        group.MapGet("/", ListAsync).WithSummary("The installation's tenants").Produces<Page<TenantDto>>();
        group.MapPost("/", CreateAsync)
            .WithSummary("Create a tenant with its root company, Administrators group and first admin (a generated password is answered once)")
            .Produces<CreatedTenantDto>(StatusCodes.Status201Created).ProducesProblems(400, 409);
        group.MapGet("/{slug}", GetAsync).Produces<TenantDto>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{slug}/deactivate", DeactivateAsync)
            .WithSummary("Deactivate a tenant: its stations are refused (TenantDeactivated) and its users cannot sign in")
            .Produces<TenantDto>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{slug}/activate", ActivateAsync).WithSummary("Activate a deactivated tenant again")
            .Produces<TenantDto>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(int? skip, int? take, TenantAdminService tenants, CancellationToken ct)
    {
        var (s, t) = ApiErrors.Paging(skip, take);
        var (items, total) = await tenants.ListAsync(s, t, ct);
        return TypedResults.Ok(new Page<TenantDto>(items.Select(ToDto).ToList(), total));
    }

    private static async Task<IResult> GetAsync(string slug, TenantAdminService tenants, CancellationToken ct) =>
        Respond(await tenants.GetAsync(slug, ct));

    private static async Task<IResult> CreateAsync(CreateTenantRequest request, TenantAdminService tenants, CancellationToken ct)
    {
        var result = await tenants.CreateAsync(new CreateTenantCommand(request.Slug, request.Name, request.Admin?.Username, request.Admin?.Password), ct);
        if (!result.IsSuccess)
        {
            return result.Error!.ToProblem();
        }

        var (tenant, username, password) = result.Value!;
        return TypedResults.Created($"/api/v1/tenants/{tenant.Slug}",
            new CreatedTenantDto(tenant.Slug, tenant.Name, tenant.Active, tenant.CreatedAt, new TenantAdminDto(username, password)));
    }

    private static async Task<IResult> DeactivateAsync(string slug, TenantAdminService tenants, CancellationToken ct) =>
        Respond(await tenants.DeactivateAsync(slug, ct));

    private static async Task<IResult> ActivateAsync(string slug, TenantAdminService tenants, CancellationToken ct) =>
        Respond(await tenants.ActivateAsync(slug, ct));

    private static IResult Respond(Result<TenantView> result) => result.IsSuccess ? TypedResults.Ok(ToDto(result.Value!)) : result.Error!.ToProblem();

    private static TenantDto ToDto(TenantView t) => new(t.Slug, t.Name, t.Active, t.CreatedAt, t.DeactivatedAt);
}
