namespace Voltgate.Ocpp.Rpc;

/// <summary>WebSocket subprotocol names, in the server's order of preference.</summary>
public static class OcppProtocols
{
    public const string Ocpp16 = "ocpp1.6";
    public const string Ocpp201 = "ocpp2.0.1";

    /// <summary>The protocols this server speaks (product design §3: 1.6 first, then 2.0.1; 2.1 would join here).</summary>
    public static IReadOnlyList<string> Supported { get; } = [Ocpp16, Ocpp201];

    /// <summary>The first protocol in the station's offer (its order of preference) that the server supports.</summary>
    public static string? Select(IEnumerable<string> offered) => Negotiate(offered)?.Protocol;

    /// <summary>
    /// Picks the first token of the offer the server speaks, tolerating what real stations send: empty entries
    /// (<c>,ocpp2.0.1</c>), spaces around tokens, several header lines, and any letter case. The answer carries the
    /// station's own spelling to echo: WebSocket clients (<c>ws</c>, hence <c>ocpp-rpc</c>) abort when the echoed
    /// protocol is not exactly one they offered.
    /// </summary>
    public static SubprotocolChoice? Negotiate(IEnumerable<string> headerValues)
    {
        ArgumentNullException.ThrowIfNull(headerValues);
        foreach (var value in headerValues)
        {
            foreach (var token in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                foreach (var supported in Supported)
                {
                    if (token.Equals(supported, StringComparison.OrdinalIgnoreCase))
                    {
                        return new SubprotocolChoice(supported, token);
                    }
                }
            }
        }

        return null;
    }

    /// <summary>True when the offer names no token at all (only empty entries or no header).</summary>
    public static bool IsEmptyOffer(IEnumerable<string> headerValues) =>
        headerValues.All(v => string.IsNullOrWhiteSpace((v ?? "").Replace(",", "", StringComparison.Ordinal)));
}

/// <summary>The negotiated protocol (canonical spelling) and the token to echo (the station's spelling).</summary>
public sealed record SubprotocolChoice(string Protocol, string Echo);
