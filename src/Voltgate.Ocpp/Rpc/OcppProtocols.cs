namespace Voltgate.Ocpp.Rpc;

/// <summary>WebSocket subprotocol names, in the server's order of preference.</summary>
public static class OcppProtocols
{
    public const string Ocpp16 = "ocpp1.6";
    public const string Ocpp201 = "ocpp2.0.1";

    /// <summary>The protocols this server speaks today; 2.0.1 joins here when its handlers exist.</summary>
    public static IReadOnlyList<string> Supported { get; } = [Ocpp16];

    /// <summary>The first protocol in the station's offer (its order of preference) that the server supports.</summary>
    public static string? Select(IEnumerable<string> offered) =>
        offered.FirstOrDefault(p => Supported.Contains(p, StringComparer.Ordinal));
}
