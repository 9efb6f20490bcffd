using System.Text.Json;
using Voltgate.Core.Audit;
using Voltgate.Core.Common;
using Voltgate.Core.Data;
using Voltgate.Core.Stations;
using Voltgate.Ocpp;
using Voltgate.Ocpp.Rpc;
using Voltgate.Ocpp.V16;
using Voltgate.Server.Cluster;
using Voltgate.Server.Ocpp;

namespace Voltgate.Server.Commands;

/// <summary>How a remote command ended: the station's answer, its CALLERROR, or why it never got one.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Maintainability", "CA1515", Justification = "Razor components are public, and this type is part of one's signature.")]
public sealed record CommandOutcome(string Action, CallOutcomeKind Kind, JsonElement? Response, string? ErrorCode, string? ErrorDescription);

/// <summary>
/// Sends an OCPP 1.6 server-to-station message to a station: checks the action and validates the body against the
/// message schema, routes the CALL to the node holding the socket, and audits it. The API and the UI both use this,
/// so both apply exactly the same rules.
/// </summary>
internal sealed class RemoteCommands(StationService stations, IStationCommandRouter router, AuditLog audit, VoltgateDbContext db)
{
    public static IReadOnlyList<string> Actions { get; } =
        V16Catalog.Actions.Values.Where(a => a.Direction != OcppDirection.StationToCsms).Select(a => a.Name).Order().ToList();

    public async Task<Result<CommandOutcome>> SendAsync(string identity, string action, JsonElement payload, CancellationToken ct)
    {
        if (!V16Catalog.TryGet(action, out var descriptor) || descriptor.Direction == OcppDirection.StationToCsms)
        {
            return new Error(ErrorKind.NotFound, "UnknownCommand", $"'{action}' is not a command a station accepts. Known commands: {string.Join(", ", Actions)}.");
        }

        if (descriptor.ValidateRequest(payload) is { } violation)
        {
            return new Error(ErrorKind.Validation, violation.ErrorCode, $"The {action} body does not match the OCPP 1.6 message: {violation.Description}",
                new Dictionary<string, string[]> { ["body"] = [violation.Description] });
        }

        var station = await stations.GetAsync(identity, ct);
        if (!station.IsSuccess)
        {
            return station.Error!;
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

        audit.Add("Station.Command", station.Value.Identity, new { action, outcome = outcome.Kind.ToString(), configurationKey = ConfigurationKey(action, payload) });
        await db.SaveChangesAsync(ct);
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

    /// <summary>Which key a ChangeConfiguration touched, for the audit trail; never its value (AuthorizationKey is a secret).</summary>
    private static string? ConfigurationKey(string action, JsonElement payload) =>
        action == "ChangeConfiguration" && payload.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String ? key.GetString() : null;
}
