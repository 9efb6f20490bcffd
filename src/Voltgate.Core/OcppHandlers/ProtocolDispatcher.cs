using System.Text.Json;
using Voltgate.Core.OcppHandlers.V16;
using Voltgate.Core.OcppHandlers.V201;
using Voltgate.Ocpp.Rpc;

namespace Voltgate.Core.OcppHandlers;

/// <summary>
/// Routes an inbound CALL to the dispatcher of the protocol the connection negotiated. A version is a dispatcher
/// and a handler folder of its own (OcppHandlers/V16, OcppHandlers/V201); 2.1 would add a third line here.
/// </summary>
internal sealed class ProtocolDispatcher(V16Dispatcher v16, V201Dispatcher v201) : IOcppDispatcher
{
    public ValueTask<DispatchResult> DispatchAsync(OcppStationContext station, string action, JsonElement payload, CancellationToken ct) =>
        station.Protocol == OcppProtocols.Ocpp201
            ? v201.DispatchAsync(station, action, payload, ct)
            : v16.DispatchAsync(station, action, payload, ct);
}
