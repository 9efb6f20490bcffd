using System.Text.Json;
using Voltgate.Core.OcppSecurity.Rotation;
using Voltgate.Ocpp.Rpc;
using Voltgate.Server.Ocpp;

namespace Voltgate.Server.Rotation;

/// <summary>
/// OCPP 1.6: ChangeConfiguration of AuthorizationKey through the station command path, so the CALL reaches the
/// node holding the station's socket. The message log redacts the value (OcppFrameRedactor).
/// </summary>
internal sealed class Ocpp16CredentialSender(IStationCommandRouter router) : ICredentialSender
{
    public string Protocol => "ocpp1.6";

    public string? Problem(string secret) => AuthorizationKeyEncoding.Problem(secret);

    public async Task<PushOutcome> PushAsync(Guid tenantId, string identity, string secret, CancellationToken ct)
    {
        var value = AuthorizationKeyEncoding.Express(secret)
            ?? throw new InvalidOperationException("The target was checked at creation; it cannot be inexpressible now.");
        var payload = JsonSerializer.SerializeToUtf8Bytes(new { key = "AuthorizationKey", value });
        var outcome = await router.CallAsync(tenantId, identity, "ChangeConfiguration", payload, ct);
        return outcome.Kind switch
        {
            CallOutcomeKind.Closed => new PushOutcome(PushResult.Offline, "Offline: pushed when it next connects."),
            CallOutcomeKind.Timeout => new PushOutcome(PushResult.Failed, "The station did not answer ChangeConfiguration in time; its old password is still admitted."),
            CallOutcomeKind.ClosedBeforeAnswer => new PushOutcome(PushResult.Failed, "The connection closed before the station answered ChangeConfiguration; its old password is still admitted."),
            CallOutcomeKind.QueueFull => new PushOutcome(PushResult.Failed, "The station's command queue was full; its old password is still admitted."),
            CallOutcomeKind.Error => new PushOutcome(PushResult.Failed, $"The station answered with CALLERROR {outcome.ErrorCode}; its old password is still admitted."),
            _ => Status(outcome.Payload),
        };
    }

    private static PushOutcome Status(JsonElement payload) =>
        (payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null) switch
        {
            "Accepted" => new PushOutcome(PushResult.Accepted, "Accepted the new password; waiting for it to reconnect with it."),
            // RebootRequired: the key is stored and applies after a reboot; the station comes back with it like after Accepted.
            "RebootRequired" => new PushOutcome(PushResult.Accepted, "Accepted the new password (reboot required); waiting for it to reconnect with it."),
            "Rejected" => new PushOutcome(PushResult.Rejected, "The station rejected the new password; its old password is still admitted."),
            "NotSupported" => new PushOutcome(PushResult.NotSupported, "The station does not support changing AuthorizationKey; its old password is still admitted."),
            var other => new PushOutcome(PushResult.Failed, $"The station answered an unknown status '{other}'; its old password is still admitted."),
        };
}
