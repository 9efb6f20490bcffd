using Voltgate.Core.Access;
using Voltgate.Core.Retention;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

/// <summary>Days per kind, null = kept for ever; <c>auditMinimumDays</c> is the installation's legal floor (read-only).</summary>
internal sealed record RetentionDto(int? ConnectionAttemptsDays, int? MeterSamplesDays, int? MessageHistoryDays, int? AuditEventsDays,
    int AuditMinimumDays, DateTimeOffset? UpdatedAt);

internal sealed record RetentionRequest(int? ConnectionAttemptsDays, int? MeterSamplesDays, int? MessageHistoryDays, int? AuditEventsDays);

/// <summary>Settings › Retention as an API (right Settings.Retention). PUT replaces all four values; a missing one is kept for ever.</summary>
internal static class RetentionApi
{
    public static void MapRetentionApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/settings/retention").WithTags("Retention").RequireRight(Right.RetentionSettings);
        group.MapGet("/", async (RetentionSettingsService settings, CancellationToken ct) => TypedResults.Ok(ToDto(await settings.GetAsync(ct), settings.AuditMinimumDays)))
            .WithSummary("How long this tenant keeps connection attempts, meter samples, message history and audit events");
        group.MapPut("/", PutAsync)
            .WithSummary("Set all four retention periods (days; null keeps for ever); audit events never below Voltgate:Retention:AuditMinimumDays")
            .Produces<RetentionDto>().ProducesValidationProblem();
    }

    private static async Task<IResult> PutAsync(RetentionRequest request, RetentionSettingsService settings, CancellationToken ct)
    {
        var result = await settings.UpdateAsync(
            new RetentionUpdate(request.ConnectionAttemptsDays, request.MeterSamplesDays, request.MessageHistoryDays, request.AuditEventsDays), ct);
        return result.IsSuccess ? TypedResults.Ok(ToDto(result.Value!, settings.AuditMinimumDays)) : result.Error!.ToProblem();
    }

    private static RetentionDto ToDto(RetentionSettings s, int minimum) =>
        new(s.ConnectionAttemptsDays, s.MeterSamplesDays, s.MessageHistoryDays, s.AuditEventsDays, minimum, s.UpdatedAt == default ? null : s.UpdatedAt);
}
