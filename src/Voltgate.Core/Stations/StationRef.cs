namespace Voltgate.Core.Stations;

/// <summary>The station a message came from, whatever its protocol version.</summary>
public readonly record struct StationRef(Guid TenantId, Guid StationId, string Identity);

/// <summary>A station's connection to this node ended; it may reconnect here or to another node.</summary>
public readonly record struct ConnectionEnded(Guid StationId);
