namespace Voltgate.Ocpp;

/// <summary>Anchors reflection over this assembly (catalog checks in tests).</summary>
public static class AssemblyMarker;
