using Voltgate.Core.Access;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

internal sealed record ApiKeyDto(Guid Id, string Name, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

internal sealed record CreatedApiKeyDto(Guid Id, string Name, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Key);

internal sealed record CreateApiKeyRequest(string? Name, DateTimeOffset? ExpiresAt);

internal static class ApiKeysApi
{
    public static void MapApiKeysApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/api-keys").WithTags("API keys").RequireRight(Right.ApiKeysUse);
        group.MapGet("/", ListAsync).Produces<Page<ApiKeyDto>>().WithSummary("The caller's personal API keys (never the keys themselves)");
        group.MapPost("/", CreateAsync).Produces<CreatedApiKeyDto>(StatusCodes.Status201Created).ProducesValidationProblem().WithSummary("Create a personal API key; the key is in this response only");
        group.MapDelete("/{id:guid}", RevokeAsync).Produces<ApiKeyDto>().ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Revoke one of the caller's keys; it stops working at once");
    }

    private static async Task<IResult> ListAsync(ApiKeyService keys, CurrentUser current, CancellationToken ct)
    {
        var items = await keys.ListAsync(current.User!.Id, ct);
        return TypedResults.Ok(new Page<ApiKeyDto>(items.Select(ToDto).ToList(), items.Count));
    }

    private static async Task<IResult> CreateAsync(CreateApiKeyRequest request, ApiKeyService keys, CurrentUser current, CancellationToken ct)
    {
        var result = await keys.CreateAsync(current.User!.Id, request.Name, request.ExpiresAt, ct);
        if (!result.IsSuccess)
        {
            return result.Error!.ToProblem();
        }

        var k = result.Value!.ApiKey;
        return TypedResults.Created($"/api/v1/api-keys/{k.Id}", new CreatedApiKeyDto(k.Id, k.Name, k.Hint, k.CreatedAt, k.ExpiresAt, result.Value.Key));
    }

    private static async Task<IResult> RevokeAsync(Guid id, ApiKeyService keys, CurrentUser current, CancellationToken ct)
    {
        var result = await keys.RevokeAsync(current.User!.Id, id, ct);
        return result.IsSuccess ? TypedResults.Ok(ToDto(result.Value!)) : result.Error!.ToProblem();
    }

    private static ApiKeyDto ToDto(ApiKeyView k) => new(k.Id, k.Name, k.Hint, k.CreatedAt, k.ExpiresAt, k.LastUsedAt, k.RevokedAt);
}
