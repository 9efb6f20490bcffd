using System.Text.Json;
using Voltgate.Core.Access;
using Voltgate.Core.Audit;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

internal sealed record AuditEventDto(long Id, DateTimeOffset At, string Actor, Guid? ActorId, string? SourceAddress, string Action, string? Target, JsonElement? Details);

internal static class AuditApi
{
    public static void MapAuditApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/audit-events", ListAsync)
            .WithTags("Audit")
            .WithSummary("The audit trail, newest first; filters: from, to, action (prefix), actor")
            .RequireRight(Right.AuditView)
            .Produces<Page<AuditEventDto>>();
    }

    private static async Task<IResult> ListAsync(DateTimeOffset? from, DateTimeOffset? to, string? action, string? actor, int? skip, int? take, AuditQuery audit, CancellationToken ct)
    {
        var (s, t) = ApiErrors.Paging(skip, take);
        var (items, total) = await audit.ListAsync(new AuditFilter(from, to, action, actor), s, t, ct);
        return TypedResults.Ok(new Page<AuditEventDto>(items.Select(ToDto).ToList(), total));
    }

    public static AuditEventDto ToDto(AuditEvent e) =>
        new(e.Id, e.At, e.Actor, e.ActorId, e.SourceAddress, e.Action, e.Target,
            e.Details is null ? null : JsonDocument.Parse(e.Details).RootElement.Clone());
}
