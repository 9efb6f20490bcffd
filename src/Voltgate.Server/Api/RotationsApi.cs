using Voltgate.Core.Access;
using Voltgate.Core.OcppSecurity.Rotation;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

internal sealed record RotationSourceRequest(Guid? PasswordId, IReadOnlyList<string>? StationIdentities, Guid? CompanyId);

internal sealed record RotationGenerateRequest(int? Length, string? Label);

internal sealed record RotationPerStationRequest(int? Length);

internal sealed record RotationTargetRequest(Guid? PasswordId, RotationGenerateRequest? Generate, RotationPerStationRequest? PerStation);

/// <param name="Kind">"password" (default) or "securityProfile" (then <paramref name="TargetVariant"/> "public", no target; 2.0.1 stations need <paramref name="CsmsUrl"/>).</param>
/// <param name="NotBefore">Optional schedule: nothing is sent before this time.</param>
/// <param name="LostAfterSeconds">For trials and tests: overrides lostAfterMinutes.</param>
internal sealed record CreateRotationRequest(
    RotationSourceRequest? Source,
    RotationTargetRequest? Target,
    int? LostAfterMinutes,
    int? LostAfterSeconds,
    int? Concurrency,
    int? PacingMilliseconds,
    string? Kind = null,
    string? TargetVariant = null,
    string? CsmsUrl = null,
    DateTimeOffset? NotBefore = null);

/// <summary>Password rotation (product design §8 "Rotation"): move stations to a new password over OCPP, per station.</summary>
internal static class RotationsApi
{
    public static void MapRotationsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/ocpp-security/rotations").WithTags("Password rotation").RequireRight(Right.RotateOcppPasswords)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPost("/", CreateAsync)
            .WithSummary("Start a rotation; every station is checked against the target first, and a refusal sends and changes nothing")
            .Produces<RotationView>(StatusCodes.Status201Created).ProducesValidationProblem();
        group.MapGet("/", async (int? skip, int? take, RotationService rotations, CancellationToken ct) =>
        {
            var (s, t) = ApiErrors.Paging(skip, take);
            var (items, total) = await rotations.ListAsync(s, t, ct);
            return TypedResults.Ok(new Page<RotationView>(items, total));
        }).WithSummary("List rotations with their counts").Produces<Page<RotationView>>();
        group.MapGet("/{id:guid}", async (Guid id, RotationService rotations, CancellationToken ct) => Answer(await rotations.GetAsync(id, ct)))
            .WithSummary("One rotation with its per-station rows").Produces<RotationView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/pause", async (Guid id, RotationService rotations, CancellationToken ct) => Answer(await rotations.PauseAsync(id, ct)))
            .WithSummary("Stop sending to more stations (answers and reconnects are still followed)").Produces<RotationView>().ProducesProblems(404, 409);
        group.MapPost("/{id:guid}/resume", async (Guid id, RotationService rotations, CancellationToken ct) => Answer(await rotations.ResumeAsync(id, ct)))
            .WithSummary("Resume a paused rotation").Produces<RotationView>().ProducesProblems(404, 409);
        group.MapPost("/{id:guid}/cancel", async (Guid id, RotationService rotations, CancellationToken ct) => Answer(await rotations.CancelAsync(id, ct)))
            .WithSummary("Cancel the stations not sent yet; 409 for a finished rotation").Produces<RotationView>().ProducesProblems(404, 409);
        group.MapPost("/{id:guid}/stations/{identity}/retry", async (Guid id, string identity, RotationService rotations, CancellationToken ct) => Answer(await rotations.RetryAsync(id, identity, ct)))
            .WithSummary("Send again to a Rejected, NotSupported, Failed or Lost station").Produces<RotationView>().ProducesProblems(404, 409);
        group.MapPost("/{id:guid}/stations/{identity}/admit-previous", async (Guid id, string identity, RotationService rotations, CancellationToken ct) => Answer(await rotations.AdmitPreviousAsync(id, identity, ct)))
            .WithSummary("Admit the station's pre-rotation password again (undoes its pinning; audited)").Produces<RotationView>().ProducesProblems(404, 409);
        group.MapGet("/{id:guid}/source-entries", async (Guid id, RotationRetirement retirement, CancellationToken ct) => AnswerEntries(await retirement.SourceEntriesAsync(id, ct)))
            .WithSummary("The pool entries the rotation moves stations away from, with the stations (tenant-wide) that still use them")
            .Produces<Page<RotationSourceEntry>>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/retire-source", async (Guid id, RotationRetirement retirement, CancellationToken ct) => AnswerEntries(await retirement.RetireSourceAsync(id, ct)))
            .WithSummary("Disable the source entries once no unrotated station uses them (409 naming the stations otherwise; audited)")
            .Produces<Page<RotationSourceEntry>>().ProducesProblems(404, 409);
    }

    private static async Task<IResult> CreateAsync(CreateRotationRequest request, RotationService rotations, CurrentUser current, CancellationToken ct)
    {
        var source = request.Source is null ? null : new RotationSource(request.Source.PasswordId, request.Source.StationIdentities, request.Source.CompanyId);
        var target = request.Target is null ? null : new RotationTarget(
            request.Target.PasswordId,
            request.Target.Generate is null ? null : request.Target.Generate.Length ?? 40,
            request.Target.Generate?.Label,
            request.Target.PerStation is null ? null : request.Target.PerStation.Length ?? 40);
        var command = new CreateRotationCommand(source, target, request.LostAfterMinutes, request.Concurrency, request.PacingMilliseconds, request.LostAfterSeconds)
        {
            Kind = request.Kind,
            TargetVariant = request.TargetVariant,
            CsmsUrl = request.CsmsUrl,
            NotBefore = request.NotBefore,
        };
        var result = await rotations.CreateAsync(command, current.User!.UserName!, ct);
        return result.IsSuccess
            ? TypedResults.Created($"/api/v1/ocpp-security/rotations/{result.Value!.Id}", result.Value)
            : result.Error!.ToProblem();
    }

    private static IResult AnswerEntries(Core.Common.Result<IReadOnlyList<RotationSourceEntry>> result) =>
        result.IsSuccess ? TypedResults.Ok(new Page<RotationSourceEntry>(result.Value!, result.Value!.Count)) : result.Error!.ToProblem();

    private static IResult Answer(Core.Common.Result<RotationView> result) =>
        result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error!.ToProblem();
}
