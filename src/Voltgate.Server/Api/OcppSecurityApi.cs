using System.Text.Json;
using Voltgate.Core.Access;
using Voltgate.Core.OcppSecurity;
using Voltgate.Core.Tenancy;
using Voltgate.Server.Texts;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

internal sealed record GenerateRequest(int? Length);

internal sealed record AddPasswordRequest(string? Label, string? Note, string? Password, bool? IsHex, GenerateRequest? Generate, bool? EnforceProfiles);

internal sealed record SettingsDto(
    HexMatching HexMatching,
    UnknownStationPolicy UnknownStationPolicy,
    bool AssumeOcpp16WhenNoSubprotocol,
    int HeartbeatIntervalSeconds,
    bool EnforceHardwareProfiles);

internal sealed record SettingsRequest(
    HexMatching? HexMatching,
    UnknownStationPolicy? UnknownStationPolicy,
    bool? AssumeOcpp16WhenNoSubprotocol,
    int? HeartbeatIntervalSeconds,
    bool? EnforceHardwareProfiles);

internal sealed record RevealResponse(string Password);

/// <summary>The stations that used a pool entry.</summary>
internal sealed record PasswordUsageList(IReadOnlyList<PasswordUsage> Items);

/// <summary>A deleted pool entry and the stations that used it.</summary>
internal sealed record PasswordDeletedDto(Guid Deleted, IReadOnlyList<PasswordUsage> AffectedStations);

/// <summary>The schema of a created pool entry: the entry (never its secret) and hardware-profile warnings.</summary>
/// <remarks>The body is built from <see cref="PasswordEntryView"/>'s own JSON; keep the two in step.</remarks>
internal sealed record AddedPasswordDto(Guid Id, string Label, string? Note, int Length, bool IsHex, PasswordState State, DateTimeOffset CreatedAt,
    string CreatedBy, int StationCount, DateTimeOffset? LastUsedAt, IReadOnlyList<string> Profiles, IReadOnlyList<string> Warnings);

/// <summary>Settings › System Settings › OCPP Security Settings, as an API.</summary>
internal static class OcppSecurityApi
{
    public static void MapOcppSecurityApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/ocpp-security").WithTags("OCPP Security Settings").RequireRight(Right.OcppSecuritySettings);
        group.MapGet("/basic-auth-passwords", ListAsync).Produces<Page<PasswordEntryView>>().WithSummary("List the BasicAuth password pool (never the secrets)");
        group.MapPost("/basic-auth-passwords", AddAsync).Produces<AddedPasswordDto>(StatusCodes.Status201Created).ProducesProblems(400, 409).WithSummary("Add a password: entered, or generated (hex, 32-40 characters)");
        group.MapGet("/basic-auth-passwords/{id:guid}", GetAsync).Produces<PasswordEntryView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/basic-auth-passwords/{id:guid}", PatchAsync).Produces<PasswordEntryView>().ProducesProblems(400, 404, 409).WithSummary("Change label or note; the secret itself can never change");
        group.MapDelete("/basic-auth-passwords/{id:guid}", DeleteAsync).Produces<PasswordDeletedDto>().ProducesProblems(404, 409).WithSummary("Delete; 409 while stations use it unless force=true");
        group.MapPost("/basic-auth-passwords/{id:guid}/disable", (Guid id, bool? force, PasswordPoolService pool, CancellationToken ct) => SetStateAsync(id, PasswordState.Disabled, force, pool, ct))
            .Produces<PasswordEntryView>().ProducesProblems(404, 409);
        group.MapPost("/basic-auth-passwords/{id:guid}/enable", (Guid id, PasswordPoolService pool, CancellationToken ct) => SetStateAsync(id, PasswordState.Active, false, pool, ct))
            .Produces<PasswordEntryView>().ProducesProblems(404, 409);
        group.MapGet("/basic-auth-passwords/{id:guid}/stations", async (Guid id, PasswordPoolService pool, CancellationToken ct) =>
        {
            var entry = await pool.GetAsync(id, ct);
            return entry.IsSuccess ? TypedResults.Ok(new PasswordUsageList(await pool.StationsUsingAsync(id, ct))) : entry.Error!.ToProblem();
        }).Produces<PasswordUsageList>().ProducesProblem(StatusCodes.Status404NotFound).WithSummary("The stations that used this entry, with last-used time (the impact of disabling or deleting it)");
        group.MapPost("/basic-auth-passwords/{id:guid}/reveal", RevealAsync)
            .RequireRight(Right.RevealOcppPasswords).Produces<RevealResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Reveal the secret (audited)");
        group.MapGet("/settings", async (TenantSettingsService settings, CancellationToken ct) => ToDto(await settings.GetAsync(ct)));
        group.MapPut("/settings", PutSettingsAsync).Produces<SettingsDto>().ProducesValidationProblem();
    }

    private static async Task<IResult> ListAsync(int? skip, int? take, PasswordPoolService pool, CancellationToken ct)
    {
        var (s, t) = ApiErrors.Paging(skip, take);
        var (items, total) = await pool.ListAsync(s, t, ct);
        return TypedResults.Ok(new Page<PasswordEntryView>(items, total));
    }

    private static async Task<IResult> GetAsync(Guid id, PasswordPoolService pool, CancellationToken ct)
    {
        var result = await pool.GetAsync(id, ct);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error!.ToProblem();
    }

    private static async Task<IResult> AddAsync(AddPasswordRequest request, PasswordPoolService pool, CurrentUser current, TenantSettingsService settings,
        PasswordRuleWording rules, CancellationToken ct)
    {
        if (request.Generate is not null && request.Generate.Length is null)
        {
            request = request with { Generate = new GenerateRequest(40) };
        }

        var enforce = request.EnforceProfiles ?? (await settings.GetAsync(ct)).EnforceHardwareProfiles;
        var command = new AddPasswordCommand(request.Label, request.Note, request.Password, request.IsHex ?? false, request.Generate?.Length, enforce);
        var result = await pool.AddAsync(command, current.User!.UserName!, ct);
        if (!result.IsSuccess)
        {
            // The API speaks English.
            return rules.Word(result.Error!, Languages.Culture(Languages.English)).ToProblem();
        }

        var added = result.Value!;
        return TypedResults.Created($"/api/v1/ocpp-security/basic-auth-passwords/{added.Entry.Id}", ToCreated(added));
    }

    /// <summary>
    /// The created entry without its secret, plus any hardware-profile warnings. A generated secret
    /// is fetched through the audited reveal endpoint.
    /// </summary>
    private static Dictionary<string, object?> ToCreated(AddedPassword added)
    {
        var json = JsonSerializer.SerializeToElement(added.Entry, ApiJson.Options);
        var body = json.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        body["warnings"] = added.Warnings;
        return body;
    }

    private static async Task<IResult> PatchAsync(Guid id, JsonElement body, PasswordPoolService pool, CancellationToken ct)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body must be a JSON object with label and/or note.");
        }

        var immutable = new[] { "password", "secret", "isHex", "length" };
        if (body.EnumerateObject().FirstOrDefault(p => immutable.Contains(p.Name, StringComparer.OrdinalIgnoreCase)) is { Value.ValueKind: not JsonValueKind.Undefined } forbidden)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "An existing BasicAuth password can never be changed.",
                detail: $"'{forbidden.Name}' cannot be changed: stations configured with this password would lose their connection. "
                    + "Add a new password instead, configure the stations with it, then disable or delete the old one.",
                extensions: new Dictionary<string, object?> { ["code"] = "SecretImmutable" });
        }

        var unknown = body.EnumerateObject().Select(p => p.Name).Where(n => n is not ("label" or "note")).ToList();
        if (unknown.Count > 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [unknown[0]] = ["Only label and note can be changed."] });
        }

        string? label = null, note = null;
        var noteGiven = false;
        if (body.TryGetProperty("label", out var l))
        {
            if (l.ValueKind != JsonValueKind.String)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["label"] = ["The label must be a string."] });
            }

            label = l.GetString();
        }

        if (body.TryGetProperty("note", out var n))
        {
            if (n.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["note"] = ["The note must be a string or null."] });
            }

            note = n.ValueKind == JsonValueKind.Null ? null : n.GetString();
            noteGiven = true;
        }

        var result = await pool.UpdateAsync(id, label, note, noteGiven, ct);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error!.ToProblem();
    }

    private static async Task<IResult> DeleteAsync(Guid id, bool? force, PasswordPoolService pool, CancellationToken ct)
    {
        var result = await pool.DeleteAsync(id, force ?? false, ct);
        return result.IsSuccess ? TypedResults.Ok(new PasswordDeletedDto(id, result.Value!)) : result.Error!.ToProblem();
    }

    private static async Task<IResult> SetStateAsync(Guid id, PasswordState state, bool? force, PasswordPoolService pool, CancellationToken ct)
    {
        var result = await pool.SetStateAsync(id, state, force ?? false, ct);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error!.ToProblem();
    }

    private static async Task<IResult> RevealAsync(Guid id, PasswordPoolService pool, CancellationToken ct)
    {
        var result = await pool.RevealAsync(id, ct);
        return result.IsSuccess ? TypedResults.Ok(new RevealResponse(result.Value!)) : result.Error!.ToProblem();
    }

    private static async Task<IResult> PutSettingsAsync(SettingsRequest request, TenantSettingsService settings, CancellationToken ct)
    {
        var result = await settings.UpdateAsync(
            new SettingsUpdate(request.HexMatching, request.UnknownStationPolicy, request.AssumeOcpp16WhenNoSubprotocol, request.HeartbeatIntervalSeconds, request.EnforceHardwareProfiles), ct);
        return result.IsSuccess ? TypedResults.Ok(ToDto(result.Value!)) : result.Error!.ToProblem();
    }

    private static SettingsDto ToDto(TenantSettings s) =>
        new(s.HexMatching, s.UnknownStationPolicy, s.AssumeOcpp16WhenNoSubprotocol, s.HeartbeatIntervalSeconds, s.EnforceHardwareProfiles);
}
