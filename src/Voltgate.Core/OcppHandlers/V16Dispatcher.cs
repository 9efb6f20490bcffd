using System.Text.Json;
using Voltgate.Ocpp.Rpc;

namespace Voltgate.Core.OcppHandlers;

// Interim: replaced by the catalog-driven dispatcher when the typed 1.6 messages land.
internal sealed class V16Dispatcher : IOcppDispatcher
{
    public Task<DispatchResult> DispatchAsync(OcppStationContext station, string action, JsonElement payload, CancellationToken ct) =>
        Task.FromResult(DispatchResult.Fail(OcppErrorCodes.NotImplemented, $"Action {action} is not implemented."));
}
