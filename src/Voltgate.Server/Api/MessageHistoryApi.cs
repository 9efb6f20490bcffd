using System.Globalization;
using System.Text.Json;
using Voltgate.Core.Access;
using Voltgate.Core.MessageHistory;
using Voltgate.Core.Stations;
using Voltgate.Server.Ocpp;
using Voltgate.Server.UserAuth;
using HistoryDirection = Voltgate.Core.MessageHistory.MessageDirection;

namespace Voltgate.Server.Api;

/// <summary>Filters of the message-history search, as text so that a malformed value gets a clear 400 rather than a bare one.</summary>
internal sealed record MessageLogQuery(string? Action, string? Direction, string? MessageId, string? From, string? To, string? Skip, string? Take);

/// <summary>How a station is recorded: <c>recording</c> is what applies now, <c>default</c> the instance's setting.</summary>
internal sealed record MessageRecordingDto(HistoryRecording Recording, HistoryRecording Default, bool Overridden, DateTimeOffset? Until, string? UpdatedBy);

/// <summary>Record a station differently from the default (<c>Full</c> while debugging it) for <c>minutes</c> (none: until reset); <c>recording</c> null returns it to the default.</summary>
internal sealed record MessageRecordingRequest(HistoryRecording? Recording, int? Minutes);

/// <summary>
/// The persistent message history of a station: search, JSON-lines export, and the per-station recording switch.
/// What the search reads: <see cref="MessageLogReader"/>.
/// </summary>
internal static class MessageHistoryApi
{
    public const int MaxTake = 500;
    public const string JsonLinesType = "application/x-ndjson";

    public static void MapMessageHistoryApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/stations/{identity}/message-log").WithTags("Stations");
        group.MapGet("/", SearchAsync).RequireRight(Right.StationsView)
            .WithSummary("The station's OCPP frames in and out (secrets redacted), newest first; filter by action, direction (In|Out), messageId and time (ISO 8601, inclusive)")
            .Produces<Page<MessageLogItem>>()
            .ProducesProblems(400, 404);
        group.MapGet("/export", ExportAsync).RequireRight(Right.StationsView)
            .WithSummary("The same frames as JSON lines (one item per line), oldest first")
            .Produces<MessageLogItem>(StatusCodes.Status200OK, JsonLinesType)
            .ProducesProblems(400, 404);
        group.MapGet("/recording", GetRecordingAsync).RequireRight(Right.StationsView)
            .WithSummary("What the history records for this station")
            .Produces<MessageRecordingDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/recording", PutRecordingAsync).RequireRight(Right.StationsManage)
            .WithSummary("Record this station in full (or otherwise) while debugging it, for some minutes or until reset; recording null resets")
            .Produces<MessageRecordingDto>()
            .ProducesProblems(400, 404);
    }

    private static async Task<IResult> SearchAsync(string identity, [AsParameters] MessageLogQuery q, StationService stations, MessageLogReader reader, CancellationToken ct)
    {
        if (Parse(q, out var filter, out var skip, out var take) is { } invalid)
        {
            return invalid;
        }

        var station = await stations.GetAsync(StationsApi.DecodeIdentity(identity), ct);
        if (!station.IsSuccess)
        {
            return station.Error!.ToProblem();
        }

        var (items, total) = await reader.ReadAsync(station.Value!.TenantId, station.Value.Identity, filter, skip, take, ct);
        return TypedResults.Ok(new Page<MessageLogItem>(items, total));
    }

    private static async Task<IResult> ExportAsync(string identity, [AsParameters] MessageLogQuery q, StationService stations, MessageHistoryStore store, HttpContext http, CancellationToken ct)
    {
        if (Parse(q with { Skip = null, Take = null }, out var filter, out _, out _) is { } invalid)
        {
            return invalid;
        }

        var station = await stations.GetAsync(StationsApi.DecodeIdentity(identity), ct);
        if (!station.IsSuccess)
        {
            return station.Error!.ToProblem();
        }

        http.Response.ContentType = JsonLinesType;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"message-log-{Uri.EscapeDataString(station.Value!.Identity)}.jsonl\"";
        var newline = "\n"u8.ToArray();
        await foreach (var row in store.ExportAsync(station.Value.TenantId, station.Value.Identity, filter).WithCancellation(ct))
        {
            await JsonSerializer.SerializeAsync(http.Response.Body, MessageLogItem.Of(row), ApiJson.Options, ct);
            await http.Response.Body.WriteAsync(newline, ct);
        }

        return TypedResults.Empty;
    }

    private static async Task<IResult> GetRecordingAsync(string identity, StationService stations, MessageRecordingSettings recording, CancellationToken ct)
    {
        var station = await stations.GetAsync(StationsApi.DecodeIdentity(identity), ct);
        return station.IsSuccess ? TypedResults.Ok(ToDto(recording.StateOf(station.Value!.TenantId, station.Value.Identity))) : station.Error!.ToProblem();
    }

    private static async Task<IResult> PutRecordingAsync(string identity, MessageRecordingRequest request, StationService stations, MessageRecordingSettings recording,
        CurrentUser current, TimeProvider time, CancellationToken ct)
    {
        if (request.Minutes is < 1 or > 7 * 24 * 60)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["minutes"] = ["minutes must be between 1 and 10080 (a week), or left out for no end."] },
                title: "The recording request is not valid.");
        }

        var station = await stations.GetAsync(StationsApi.DecodeIdentity(identity), ct);
        if (!station.IsSuccess)
        {
            return station.Error!.ToProblem();
        }

        var until = request.Minutes is { } minutes ? time.GetUtcNow().AddMinutes(minutes) : (DateTimeOffset?)null;
        var state = await recording.SetAsync(station.Value!.TenantId, station.Value.Identity, request.Recording, until, current.User?.UserName, ct);
        return TypedResults.Ok(ToDto(state));
    }

    /// <summary>Null when the query is valid; else the 400 that says which parameter is wrong and why.</summary>
    internal static IResult? Parse(MessageLogQuery q, out MessageHistoryFilter filter, out int skip, out int take)
    {
        var errors = new Dictionary<string, string[]>();
        var from = Time(q.From, "from", errors);
        var to = Time(q.To, "to", errors);
        if (from is not null && to is not null && from > to)
        {
            errors["from"] = [$"from ({q.From}) is later than to ({q.To})."];
        }

        HistoryDirection? direction = null;
        if (!string.IsNullOrEmpty(q.Direction))
        {
            if (Enum.TryParse<HistoryDirection>(q.Direction, ignoreCase: true, out var d) && Enum.IsDefined(d))
            {
                direction = d;
            }
            else
            {
                errors["direction"] = [$"'{q.Direction}' is not a direction; use In (station to Voltgate) or Out."];
            }
        }

        skip = Number(q.Skip, "skip", 0, 0, int.MaxValue, errors);
        take = Number(q.Take, "take", 50, 1, MaxTake, errors);
        filter = new MessageHistoryFilter(Blank(q.Action), direction, Blank(q.MessageId), from, to);
        return errors.Count == 0 ? null : TypedResults.ValidationProblem(errors, title: "The message-log search is not valid.",
            extensions: new Dictionary<string, object?> { ["code"] = "InvalidMessageLogQuery" });
    }

    private static DateTimeOffset? Time(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            && text.Contains('T', StringComparison.Ordinal))
        {
            return at;
        }

        errors[name] = [$"'{text}' is not a time; use ISO 8601 with a date and a time, e.g. 2026-12-03T08:00:00Z."];
        return null;
    }

    private static int Number(string? text, string name, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }

        errors[name] = [$"'{text}' is not a valid {name}; use a whole number from {min} to {max}."];
        return fallback;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static MessageRecordingDto ToDto(StationRecordingState s) => new(s.Recording, s.Default, s.Overridden, s.Until, s.UpdatedBy);
}
