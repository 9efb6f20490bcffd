using System.Text.Json;
using Voltgate.Ocpp.Rpc;

namespace Voltgate.Server.Ocpp;

/// <summary>Where a station's socket lives, and how a CALL reaches it (this node, or another one via the backplane).</summary>
internal interface IStationCommandRouter
{
    /// <summary>Sends a CALL to the station; <see cref="CallOutcomeKind.Closed"/> when no node holds its socket.</summary>
    Task<CallOutcome> CallAsync(Guid tenantId, string identity, string action, byte[] payloadJson, CancellationToken ct);
}

/// <summary>Single node: the station is online exactly when this process holds its socket.</summary>
internal sealed class LocalStationCommandRouter(StationSessions sessions) : IStationCommandRouter
{
    public Task<CallOutcome> CallAsync(Guid tenantId, string identity, string action, byte[] payloadJson, CancellationToken ct) =>
        sessions.Find(tenantId, identity) is { } connection
            ? connection.CallAsync(action, payloadJson, ct)
            : Task.FromResult(CallOutcome.Closed);
}

/// <summary>Serialises a JSON element once, for routing.</summary>
internal static class JsonBytes
{
    public static byte[] Of(JsonElement element) => JsonSerializer.SerializeToUtf8Bytes(element);
}
