using System.Text.Json;
using Voltgate.Core.OcppSecurity.Rotation;
using Voltgate.Ocpp.Rpc;

namespace Voltgate.Server.Rotation;

/// <summary>How a CALL that did not get a CALLRESULT ends a push; shared by the senders of every protocol.</summary>
internal static class PushOutcomes
{
    public static PushOutcome? Undelivered(CallOutcome outcome, string action, string keeps) => outcome.Kind switch
    {
        CallOutcomeKind.Closed => new PushOutcome(PushResult.Offline, "Offline: pushed when it next connects."),
        CallOutcomeKind.Timeout => new PushOutcome(PushResult.Failed, $"The station did not answer {action} in time; {keeps}"),
        CallOutcomeKind.QueueFull => new PushOutcome(PushResult.Failed, $"The station's command queue was full; {keeps}"),
        CallOutcomeKind.Error => new PushOutcome(PushResult.Failed, $"The station answered {action} with CALLERROR {outcome.ErrorCode}; {keeps}"),
        _ => null,
    };

    public static string? Status(JsonElement payload, string property = "status") =>
        payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty(property, out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
}
