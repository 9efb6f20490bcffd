using System.Text.Json;
using Voltgate.Core.Access;
using Voltgate.Core.Audit;
using Voltgate.Core.Data;
using Voltgate.Core.Stations;
using Voltgate.Ocpp;
using Voltgate.Ocpp.Rpc;
using Voltgate.Ocpp.V16;
using Voltgate.Server.Cluster;
using Voltgate.Server.Ocpp;
using Voltgate.Server.Security;

namespace Voltgate.Server.Api;

public sealed record CommandResult(string Action, string Outcome, JsonElement? Response, string? ErrorCode, string? ErrorDescription);

/// <summary>
/// Remote commands: any OCPP 1.6 server-to-station message, its body validated against the message schema,
/// answered with the station's reply, or a clear error when it is offline, silent or answers with a CALLERROR.
/// </summary>
public static class CommandsApi
{
    public static void MapCommandsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/v1/stations/{identity}/commands/{action}", SendAsync)
            .WithTags("Stations")
            .WithSummary("Send an OCPP command (Reset, ChangeConfiguration, RemoteStartTransaction, …) and return the station's answer")
            .RequireRight(Right.StationsCommands);
    }

    private static async Task<IResult> SendAsync(
        string identity,
        string action,
        JsonElement? body,
        StationService stations,
        IStationCommandRouter router,
        AuditLog audit,
        VoltgateDbContext db,
        CancellationToken ct)
    {
        if (!V16Catalog.TryGet(action, out var descriptor) || descriptor.Direction == OcppDirection.StationToCsms)
        {
            var known = V16Catalog.Actions.Values.Where(a => a.Direction != OcppDirection.StationToCsms).Select(a => a.Name).Order();
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"'{action}' is not a command a station accepts.",
                detail: "Known commands: " + string.Join(", ", known) + ".");
        }

        var payload = body is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } b ? b : JsonDocument.Parse("{}").RootElement;
        if (descriptor.ValidateRequest(payload) is { } violation)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [violation.Description] },
                title: $"The {action} body does not match the OCPP 1.6 message.", extensions: new Dictionary<string, object?> { ["code"] = violation.ErrorCode });
        }

        var station = await stations.GetAsync(StationsApi.DecodeIdentity(identity), ct);
        if (!station.IsSuccess)
        {
            return station.Error!.ToProblem();
        }

        CallOutcome outcome;
        try
        {
            outcome = await router.CallAsync(station.Value!.TenantId, station.Value.Identity, action, JsonBytes.Of(payload), ct);
        }
        catch (ClusterUnavailableException)
        {
            // Audited too; the exception handler then answers 503 "cluster backplane unavailable".
            audit.Add("Station.Command", station.Value!.Identity, new { action, outcome = "BackplaneUnavailable", configurationKey = ConfigurationKey(action, payload) });
            await db.SaveChangesAsync(ct);
            throw;
        }

        audit.Add("Station.Command", station.Value.Identity, new { action, outcome = outcome.Kind.ToString(), configurationKey = ConfigurationKey(action, payload) });
        await db.SaveChangesAsync(ct);
        return outcome.Kind switch
        {
            CallOutcomeKind.Result => TypedResults.Ok(new CommandResult(action, "Answered", outcome.Payload, null, null)),
            CallOutcomeKind.Error => TypedResults.Json(new CommandResult(action, "CallError", null, outcome.ErrorCode, outcome.ErrorDescription), statusCode: StatusCodes.Status502BadGateway),
            CallOutcomeKind.Timeout => TypedResults.Problem(statusCode: StatusCodes.Status504GatewayTimeout, title: $"The station did not answer {action} in time."),
            CallOutcomeKind.QueueFull => TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many commands are waiting for this station; try again later."),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The station is offline.", detail: "Commands reach a station only while it is connected."),
        };
    }

    /// <summary>Which key a ChangeConfiguration touched, for the audit trail; never its value (AuthorizationKey is a secret).</summary>
    private static string? ConfigurationKey(string action, JsonElement payload) =>
        action == "ChangeConfiguration" && payload.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String ? key.GetString() : null;
}
