using System.Text.Json;
using Voltgate.Core.Stations;

namespace Voltgate.Core.OcppHandlers;

/// <summary>Who sent an OCPP message: fixed for the connection, established by the front door.</summary>
public sealed record OcppStationContext(Guid TenantId, Guid StationId, string Identity, string Protocol, string Variant)
{
    /// <summary>Who the audit trail names for what this station does (built once per connection, not per message).</summary>
    public string Actor { get; } = "station:" + Identity;

    /// <summary>The station as the domain services know it (built once per connection).</summary>
    public StationRef Station { get; } = new(TenantId, StationId, Identity);
}

/// <summary>The answer to an inbound CALL: a payload (CALLRESULT) or an error code (CALLERROR).</summary>
public readonly record struct DispatchResult(byte[]? Payload, string? ErrorCode, string? ErrorDescription)
{
    public static DispatchResult Ok(byte[] payload) => new(payload, null, null);

    public static DispatchResult Fail(string code, string description) => new(null, code, description);
}

/// <summary>Turns an inbound CALL into its answer: validate, deserialise, run the action's handler, serialise.</summary>
public interface IOcppDispatcher
{
    ValueTask<DispatchResult> DispatchAsync(OcppStationContext station, string action, JsonElement payload, CancellationToken ct);
}
