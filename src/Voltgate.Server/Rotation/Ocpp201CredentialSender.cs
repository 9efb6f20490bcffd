using System.Text.Json;
using Voltgate.Core.OcppSecurity.Rotation;
using Voltgate.Ocpp.Rpc;
using Voltgate.Server.Ocpp;
using Voltgate.Server.Ocpp.FrontDoor;

namespace Voltgate.Server.Rotation;

/// <summary>
/// OCPP 2.0.1: SetVariables of <c>SecurityCtrlr.BasicAuthPassword</c>, the plain passwordString (UTF-8, 16–40
/// characters; up to 64 after the 2025 errata, as the front door accepts). The variable is write-only, so the
/// station never reports it back; the message log blanks the <c>attributeValue</c> next to it (OcppFrameRedactor).
/// </summary>
internal sealed class Ocpp201CredentialSender(IStationCommandRouter router) : ICredentialSender
{
    private const string Keeps = "its old password is still admitted.";

    public string Protocol => OcppProtocols.Ocpp201;

    public string? Problem(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var length = secret.EnumerateRunes().Count();
        return length is >= StationPasswordForm.V201MinLength and <= StationPasswordForm.V201MaxLength
            ? null
            : $"OCPP 2.0.1 cannot carry this password: BasicAuthPassword holds {StationPasswordForm.V201MinLength}–{StationPasswordForm.V201MaxLength} characters (this one has {length}).";
    }

    public async Task<PushOutcome> PushAsync(Guid tenantId, string identity, string secret, CancellationToken ct)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new
        {
            setVariableData = new[]
            {
                new { attributeType = "Actual", attributeValue = secret, component = new { name = "SecurityCtrlr" }, variable = new { name = "BasicAuthPassword" } },
            },
        });
        var outcome = await router.CallAsync(tenantId, identity, "SetVariables", payload, ct);
        return PushOutcomes.Undelivered(outcome, "SetVariables", Keeps) ?? Result(outcome.Payload);
    }

    private static PushOutcome Result(JsonElement payload)
    {
        var first = payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("setVariableResult", out var results)
            && results.ValueKind == JsonValueKind.Array && results.GetArrayLength() > 0 ? results[0] : default;
        return PushOutcomes.Status(first, "attributeStatus") switch
        {
            "Accepted" => new PushOutcome(PushResult.Accepted, "Accepted the new password; waiting for it to reconnect with it."),
            "RebootRequired" => new PushOutcome(PushResult.Accepted, "Accepted the new password (reboot required); waiting for it to reconnect with it."),
            "Rejected" => new PushOutcome(PushResult.Rejected, $"The station rejected the new password; {Keeps}"),
            var status when status is "UnknownComponent" or "UnknownVariable" or "NotSupportedAttributeType" =>
                new PushOutcome(PushResult.NotSupported, $"The station does not support setting SecurityCtrlr.BasicAuthPassword ({status}); {Keeps}"),
            var other => new PushOutcome(PushResult.Failed, $"The station answered an unknown attributeStatus '{other}'; {Keeps}"),
        };
    }
}
