using System.Text.Json;
using Voltgate.Core.Access;
using Voltgate.Core.Common;
using Voltgate.Ocpp.Rpc;
using Voltgate.Server.Commands;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

internal sealed record CommandResult(string Action, string Outcome, JsonElement? Response, string? ErrorCode, string? ErrorDescription)
{
    /// <summary>The outcome under the name product design §8 pins (<c>{"status":"Answered","response":{…}}</c>).</summary>
    public string Status => Outcome;
}

/// <summary>
/// Remote commands: any OCPP 1.6 server-to-station message, its body validated against the message schema,
/// answered with the station's reply, or a clear error when it is offline, silent or answers with a CALLERROR.
/// </summary>
/// <summary>The problem types of a command that got no answer (RFC 9457 <c>type</c>; <c>code</c> carries the same as a word).</summary>
internal static class CommandProblems
{
    public const string OfflineType = "urn:voltgate:problem:station-offline";
    public const string ClosedBeforeAnswerType = "urn:voltgate:problem:connection-closed-before-answer";
    public const string TimeoutType = "urn:voltgate:problem:station-timeout";
    public const string QueueFullType = "urn:voltgate:problem:command-queue-full";
}

internal static class CommandsApi
{
    public static void MapCommandsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/stations/{identity}/commands/{action}", SendAsync)
            .WithTags("Stations")
            .WithSummary("Send an OCPP command (Reset, ChangeConfiguration, RemoteStartTransaction, …) and return the station's answer")
            .WithDescription("200: the station answered. 502 with a body: it answered with a CALLERROR or an invalid answer. "
                + "409 (type urn:voltgate:problem:station-offline): it was offline, nothing was sent. "
                + "504: it was sent and no answer came, so the station may have carried it out — type urn:voltgate:problem:station-timeout (no answer in time) "
                + "or urn:voltgate:problem:connection-closed-before-answer (the connection closed first, e.g. a hard reset). 503: too many commands queued for the station.")
            .Produces<CommandResult>()
            .Produces<CommandResult>(StatusCodes.Status502BadGateway)
            .ProducesProblems(400, 404, 409, 503, 504)
            .RequireRight(Right.StationsCommands);
    }

    private static async Task<IResult> SendAsync(string identity, string action, JsonElement? body, RemoteCommands commands, CancellationToken ct)
    {
        var payload = body is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } b ? b : JsonDocument.Parse("{}").RootElement;
        var result = await commands.SendAsync(StationsApi.DecodeIdentity(identity), action, payload, ct);
        if (!result.IsSuccess)
        {
            var error = result.Error!;
            return error.Kind == ErrorKind.Validation
                ? TypedResults.ValidationProblem(error.FieldErrors!, title: $"The {action} body does not match the station's OCPP message.",
                    extensions: new Dictionary<string, object?> { ["code"] = error.Code })
                : error.ToProblem();
        }

        var outcome = result.Value!;
        return outcome.Kind switch
        {
            CallOutcomeKind.Result => TypedResults.Ok(new CommandResult(action, "Answered", outcome.Response, null, null)),
            CallOutcomeKind.Error => TypedResults.Json(new CommandResult(action, "CallError", null, outcome.ErrorCode, outcome.ErrorDescription), statusCode: StatusCodes.Status502BadGateway),
            // The station answered, but not as its protocol allows: said so, and nothing from the answer is passed on.
            CallOutcomeKind.InvalidResponse => TypedResults.Json(new CommandResult(action, "InvalidResponse", null, outcome.ErrorCode, outcome.ErrorDescription), statusCode: StatusCodes.Status502BadGateway),
            CallOutcomeKind.Timeout => TypedResults.Problem(statusCode: StatusCodes.Status504GatewayTimeout, title: $"The station did not answer {action} in time.",
                type: CommandProblems.TimeoutType, extensions: Code("Timeout")),
            CallOutcomeKind.QueueFull => TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many commands are waiting for this station; try again later.",
                type: CommandProblems.QueueFullType, extensions: Code("QueueFull")),
            // Sent, then the socket went away: the station may have acted on it (a Hard Reset does exactly this), so
            // this is not "offline" and must not be retried blindly. 504 like a timeout: sent, no answer, outcome unknown.
            CallOutcomeKind.ClosedBeforeAnswer => TypedResults.Problem(statusCode: StatusCodes.Status504GatewayTimeout,
                title: $"The station's connection closed before it answered {action}.",
                detail: "The command was sent to the station, which may have carried it out (a hard reset closes the connection by design); check the station once it reconnects before sending it again.",
                type: CommandProblems.ClosedBeforeAnswerType, extensions: Code("ConnectionClosedBeforeAnswer")),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The station is offline.", detail: "Commands reach a station only while it is connected; nothing was sent.",
                type: CommandProblems.OfflineType, extensions: Code("StationOffline")),
        };
    }

    private static Dictionary<string, object?> Code(string code) => new() { ["code"] = code };
}
