using System.Globalization;
using System.Text.Json;
using Voltgate.Core.OcppSecurity.Rotation;
using Voltgate.Ocpp.Rpc;
using Voltgate.Server.Ocpp;

namespace Voltgate.Server.Rotation;

/// <summary>
/// OCPP 1.6 (security whitepaper ed. 3): ChangeConfiguration of <c>SecurityProfile</c> to the target's number. After
/// Accepted the station reconnects over TLS with the same password; the URL is its own (1.6 cannot set it).
/// </summary>
internal sealed class Ocpp16SecurityProfileSender(IStationCommandRouter router) : ISecurityProfileSender
{
    private const string Keeps = "it stays on its current security profile.";

    public string Protocol => OcppProtocols.Ocpp16;

    public string? Problem(string targetVariant, string? csmsUrl) =>
        SecurityProfiles.Of(targetVariant) is null ? $"'{targetVariant}' is no security profile a station can move to." : null;

    public async Task<PushOutcome> PushAsync(Guid tenantId, string identity, string targetVariant, string? csmsUrl, CancellationToken ct)
    {
        var profile = SecurityProfiles.Of(targetVariant)!.Value.ToString(CultureInfo.InvariantCulture);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new { key = "SecurityProfile", value = profile });
        var outcome = await router.CallAsync(tenantId, identity, "ChangeConfiguration", payload, ct);
        return PushOutcomes.Undelivered(outcome, "ChangeConfiguration", Keeps) ?? PushOutcomes.Status(outcome.Payload) switch
        {
            "Accepted" or "RebootRequired" => new PushOutcome(PushResult.Accepted, $"Accepted security profile {profile}; waiting for it to reconnect on {targetVariant}."),
            "Rejected" => new PushOutcome(PushResult.Rejected, $"The station rejected security profile {profile}; {Keeps}"),
            "NotSupported" => new PushOutcome(PushResult.NotSupported, $"The station does not support changing SecurityProfile; {Keeps}"),
            var other => new PushOutcome(PushResult.Failed, $"The station answered an unknown status '{other}'; {Keeps}"),
        };
    }
}

/// <summary>
/// OCPP 2.0.1 (A05, TC_A_19): SetNetworkProfile into a spare slot with the new URL and profile, SetVariables
/// <c>OCPPCommCtrlr.NetworkConfigurationPriority</c> to that slot first (the old slot stays second, so a station that
/// cannot reach the new profile falls back to the old one), then Reset OnIdle so it connects with the new profile.
/// </summary>
internal sealed class Ocpp201SecurityProfileSender(IStationCommandRouter router) : ISecurityProfileSender
{
    /// <summary>The slot the new profile goes to; the station's current profile is assumed in slot 1 (the usual factory slot).</summary>
    public const int Slot = 2;
    public const string Priority = "2,1";

    private const string Keeps = "it stays on its current security profile.";

    public string Protocol => OcppProtocols.Ocpp201;

    public string? Problem(string targetVariant, string? csmsUrl)
    {
        if (SecurityProfiles.Of(targetVariant) is null)
        {
            return $"'{targetVariant}' is no security profile a station can move to.";
        }

        return Uri.TryCreate(csmsUrl, UriKind.Absolute, out var url) && url.Scheme == "wss"
            ? null
            : "An OCPP 2.0.1 station needs the new CSMS URL in its network profile: give \"csmsUrl\" (wss://…/ocpp/, without the station identity).";
    }

    public async Task<PushOutcome> PushAsync(Guid tenantId, string identity, string targetVariant, string? csmsUrl, CancellationToken ct)
    {
        var profile = SecurityProfiles.Of(targetVariant)!.Value;
        var network = JsonSerializer.SerializeToUtf8Bytes(new
        {
            configurationSlot = Slot,
            connectionData = new { ocppVersion = "OCPP20", ocppTransport = "JSON", ocppCsmsUrl = csmsUrl, messageTimeout = 30, securityProfile = profile, ocppInterface = "Wired0" },
        });
        var outcome = await router.CallAsync(tenantId, identity, "SetNetworkProfile", network, ct);
        if (PushOutcomes.Undelivered(outcome, "SetNetworkProfile", Keeps) is { } undelivered)
        {
            return undelivered;
        }

        switch (PushOutcomes.Status(outcome.Payload))
        {
            case "Accepted":
                break;
            case "Rejected":
                return new PushOutcome(PushResult.Rejected, $"The station rejected the network profile; {Keeps}");
            case var other:
                return new PushOutcome(PushResult.Failed, $"SetNetworkProfile answered '{other}'; {Keeps}");
        }

        var priority = JsonSerializer.SerializeToUtf8Bytes(new
        {
            setVariableData = new[]
            {
                new { attributeType = "Actual", attributeValue = Priority, component = new { name = "OCPPCommCtrlr" }, variable = new { name = "NetworkConfigurationPriority" } },
            },
        });
        outcome = await router.CallAsync(tenantId, identity, "SetVariables", priority, ct);
        if (PushOutcomes.Undelivered(outcome, "SetVariables", Keeps) is { } notSet)
        {
            return notSet;
        }

        var result = outcome.Payload.ValueKind == JsonValueKind.Object && outcome.Payload.TryGetProperty("setVariableResult", out var r)
            && r.ValueKind == JsonValueKind.Array && r.GetArrayLength() > 0 ? r[0] : default;
        switch (PushOutcomes.Status(result, "attributeStatus"))
        {
            case "Accepted" or "RebootRequired":
                break;
            case "Rejected":
                return new PushOutcome(PushResult.Rejected, $"The station rejected NetworkConfigurationPriority {Priority}; {Keeps}");
            case "UnknownComponent" or "UnknownVariable" or "NotSupportedAttributeType":
                return new PushOutcome(PushResult.NotSupported, $"The station does not support OCPPCommCtrlr.NetworkConfigurationPriority; {Keeps}");
            case var other:
                return new PushOutcome(PushResult.Failed, $"SetVariables NetworkConfigurationPriority answered '{other}'; {Keeps}");
        }

        outcome = await router.CallAsync(tenantId, identity, "Reset", JsonSerializer.SerializeToUtf8Bytes(new { type = "OnIdle" }), ct);
        if (outcome.Kind == CallOutcomeKind.Closed)
        {
            // Gone before it answered: it is resetting, which is what the Reset asked for.
            return new PushOutcome(PushResult.Accepted, $"Accepted security profile {profile} and disconnected for the reset; waiting for it to reconnect on {targetVariant}.");
        }

        if (PushOutcomes.Undelivered(outcome, "Reset", "the new profile applies at its next reboot.") is { } notReset)
        {
            return notReset;
        }

        return PushOutcomes.Status(outcome.Payload) switch
        {
            "Accepted" or "Scheduled" => new PushOutcome(PushResult.Accepted, $"Accepted security profile {profile} and reset; waiting for it to reconnect on {targetVariant}."),
            var other => new PushOutcome(PushResult.Failed, $"Reset answered '{other}'; the new profile applies at its next reboot, the station is still admitted on its current variant."),
        };
    }
}
