using System.Text.Json;
using Voltgate.Core.Audit;
using Voltgate.Core.Common;
using Voltgate.Core.Data;
using Voltgate.Core.Stations;
using Voltgate.Ocpp;
using Voltgate.Ocpp.Rpc;
using Voltgate.Ocpp.V16;
using Voltgate.Ocpp.V201;
using Voltgate.Server.Cluster;
using Voltgate.Server.Ocpp;

namespace Voltgate.Server.Commands;

/// <summary>How a remote command ended: the station's answer, its CALLERROR, or why it never got one.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Maintainability", "CA1515", Justification = "Razor components are public, and this type is part of one's signature.")]
public sealed record CommandOutcome(string Action, CallOutcomeKind Kind, JsonElement? Response, string? ErrorCode, string? ErrorDescription);

/// <summary>
/// Sends a server-to-station message to a station in the station's own protocol version (the one its connection
/// negotiated): checks the action and validates the body against that version's schema, routes the CALL to the node
/// holding the socket, validates the station's answer against the response schema, and audits it. The API and the UI
/// both use this, so both apply exactly the same rules.
/// </summary>
internal sealed class RemoteCommands(StationService stations, IStationCommandRouter router, AuditLog audit, VoltgateDbContext db, IStationPresence presence, Core.OcppHandlers.CommandAnswers answers)
{
    /// <summary>The 1.6 commands (the UI's list for 1.6 stations).</summary>
    public static IReadOnlyList<string> Actions { get; } =
        V16Catalog.Actions.Values.Where(a => a.Direction != OcppDirection.StationToCsms).Select(a => a.Name).Order().ToList();

    /// <summary>The 2.0.1 commands.</summary>
    public static IReadOnlyList<string> V201Actions { get; } =
        V201Catalog.Actions.Values.Where(a => a.Direction != OcppDirection.StationToCsms).Select(a => a.Name).Order().ToList();

    public async Task<Result<CommandOutcome>> SendAsync(string identity, string action, JsonElement payload, CancellationToken ct)
    {
        // The root of a command's own spans (under the API request's span when it came through the API).
        using var activity = Voltgate.Core.Telemetry.VoltgateTelemetry.Source.StartActivity("command " + action);
        activity?.SetTag("ocpp.action", action);
        activity?.SetTag("ocpp.station", identity);
        var station = await stations.GetAsync(identity, ct);
        if (!station.IsSuccess)
        {
            return station.Error!;
        }

        // An offline station has no protocol; its 1.6 schema is used (the call then ends Closed), unless only 2.0.1 knows the action.
        var protocol = await ProtocolOfAsync(station.Value!.TenantId, station.Value.Identity, ct)
            ?? (V16Catalog.TryGet(action, out _) ? OcppProtocols.Ocpp16 : OcppProtocols.Ocpp201);
        if (OcppCatalogs.Find(protocol, action) is not { Direction: not OcppDirection.StationToCsms } command)
        {
            var known = protocol == OcppProtocols.Ocpp201 ? V201Actions : Actions;
            return new Error(ErrorKind.NotFound, "UnknownCommand", $"'{action}' is not a command an {protocol} station accepts. Known commands: {string.Join(", ", known)}.");
        }

        if (command.ValidateRequest(payload) is { } violation)
        {
            return new Error(ErrorKind.Validation, violation.ErrorCode, $"The {action} body does not match the {protocol} message: {violation.Description}",
                new Dictionary<string, string[]> { ["body"] = [violation.Description] });
        }

        CallOutcome outcome;
        try
        {
            outcome = await router.CallAsync(station.Value!.TenantId, station.Value.Identity, action, JsonSerializer.SerializeToUtf8Bytes(payload), ct);
        }
        catch (ClusterUnavailableException)
        {
            // Audited too; the exception handler then answers 503 "cluster backplane unavailable".
            audit.Add("Station.Command", station.Value!.Identity, new { action, outcome = "BackplaneUnavailable", configurationKey = ConfigurationKey(action, payload) });
            await db.SaveChangesAsync(ct);
            throw;
        }

        if (outcome.Kind == CallOutcomeKind.Result && command.ValidateResponse(outcome.Payload) is { } invalid)
        {
            outcome = new CallOutcome(CallOutcomeKind.InvalidResponse, default, "InvalidResponse", $"The station's {action} answer does not match the {protocol} schema: {invalid.Description}");
        }

        audit.Add("Station.Command", station.Value.Identity, new { action, protocol, outcome = outcome.Kind.ToString(), configurationKey = ConfigurationKey(action, payload) });
        await db.SaveChangesAsync(ct);
        if (outcome.Kind == CallOutcomeKind.Result)
        {
            // Only an answer that passed its schema reaches the device model (an invalid one became InvalidResponse above).
            await answers.RecordAsync(new StationRef(station.Value.TenantId, station.Value.Id, station.Value.Identity), protocol, action, payload, outcome.Payload, ct);
        }
        return new CommandOutcome(action, outcome.Kind, outcome.Kind == CallOutcomeKind.Result ? RedactResponse(outcome.Payload) : null, outcome.ErrorCode, outcome.ErrorDescription);
    }

    /// <summary>
    /// A command result is shown to the operator and kept in API logs: a GetConfiguration answer lists AuthorizationKey
    /// (the station's password as hex), so it goes through the same redaction as the message log.
    /// </summary>
    internal static JsonElement RedactResponse(JsonElement payload)
    {
        var frame = JsonSerializer.SerializeToUtf8Bytes(new object[] { 3, "r", payload });
        var text = Voltgate.Ocpp.Redaction.OcppFrameRedactor.Redact(frame);
        if (!text.StartsWith('['))
        {
            // The redactor could not rewrite it: show nothing of it rather than risk a secret.
            return JsonSerializer.SerializeToElement(new { redacted = text });
        }

        using var redacted = JsonDocument.Parse(text);
        return redacted.RootElement[2].Clone();
    }

    private async Task<string?> ProtocolOfAsync(Guid tenantId, string identity, CancellationToken ct)
    {
        if (presence.OnThisNode(tenantId, identity) is { } here)
        {
            return here.Protocol;
        }

        var elsewhere = await presence.ElsewhereAsync([(tenantId, identity)], ct);
        return elsewhere.TryGetValue((tenantId, identity), out var there) ? there.Protocol : null;
    }

    /// <summary>Which key a ChangeConfiguration touched, for the audit trail; never its value (AuthorizationKey is a secret).</summary>
    private static string? ConfigurationKey(string action, JsonElement payload) =>
        action == "ChangeConfiguration" && payload.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String ? key.GetString() : null;
}
