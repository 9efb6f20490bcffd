using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Voltgate.LoadGen;

/// <summary>Result of <see cref="ArgParser.Parse"/>: options, a help request, or one clear error.</summary>
public sealed record ArgParseResult(LoadGenOptions? Options, bool HelpRequested, string? Error);

/// <summary>Hand-written parser: System.CommandLine is not among our packages.</summary>
public static class ArgParser
{
    public const string Usage = """
        Voltgate.LoadGen - simulates OCPP 1.6J or 2.0.1 charging stations against a CSMS WebSocket endpoint.

        usage: Voltgate.LoadGen [options]

          --url URL                  endpoint; station URL = URL + "/" + identity   (ws://127.0.0.1:8180/ocpp)
          --stations N               simulated stations, 1..20000                    (10)
                                     the open-file limit is 20,000 per process: for more stations run
                                     several processes with different --source-addresses (see README)
          --mode M                   normal | reconnect-storm (N stations boot, drop at once, reconnect
                                     at once) | idle-sockets (N silent/slowloris sockets, then one
                                     station)                                        (normal)
          --protocol P               ocpp1.6 | ocpp2.0.1: 2.0.1 stations send a TransactionEvent Started
                                     after boot, then Updated with meter values for each meter tick and
                                     Started/Updated/Ended for each --transactions cycle (ocpp1.6)
          --identity-prefix P        identities are P00001, P00002, ...              (LG)
          --password X               HTTP Basic password (UTF-8); without it no Authorization header
          --password-hex HEX         HTTP Basic password as hex-decoded raw bytes
          --connect-rate R           handshakes started per second                   (100)
          --warmup W                 seconds of traffic after the ramp left out of every figure
                                     (JIT tier-up, thread pools, caches), <= 3600     (0)
          --duration T               seconds of steady traffic after the ramp, <= 3600 (30)
          --heartbeat-interval S     seconds between Heartbeats; 0 = server's Boot interval (0)
          --meter-interval S         seconds between idle MeterValues; 0 = none      (0)
          --transactions R           Start/MeterValues/Stop cycles per second, all stations (0)
          --source-addresses A       local addresses bound round-robin: 127.0.0.1-127.0.0.8 or a,b,c
          --pid P                    sample the server's RSS and CPU from /proc/P
          --json FILE                also write the results as JSON
          --max-in-flight M          cap on outstanding handshakes + CALLs; 0 = one per station (0)
          --call-timeout S           seconds to wait for a CALLRESULT/CALLERROR      (30)
          --connect-timeout S        seconds to wait for a handshake                 (10)
          --help                     this text

        One outstanding CALL per station. The run always ends: ramp (stations / connect-rate), then
        --warmup + --duration seconds, then every socket is closed. Exit codes: 0 run completed, 1 no station
        connected, 2 bad arguments, 3 endpoint refused the TCP connection.
        """;

    public static ArgParseResult Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new LoadGenOptions();
        string? password = null;
        string? passwordHex = null;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h" or "-?")
            {
                return new ArgParseResult(null, true, null);
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                return Fail($"unexpected argument '{arg}' (options start with --; see --help)");
            }

            string name;
            string? value;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                name = arg[..eq];
                value = arg[(eq + 1)..];
            }
            else
            {
                name = arg;
                if (!IsKnown(name))
                {
                    return Fail($"unknown option '{name}' (see --help)");
                }

                if (i + 1 >= args.Count)
                {
                    return Fail($"option {name} needs a value");
                }

                value = args[++i];
            }

            string? error = null;
            switch (name)
            {
                case "--url":
                    if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != "ws" && url.Scheme != "wss"))
                    {
                        error = $"--url: '{value}' is not a ws:// or wss:// URL";
                    }
                    else
                    {
                        o = o with { Url = url };
                    }

                    break;
                case "--stations":
                    error = ParseInt(name, value, 1, LoadGenOptions.MaxStations, out var stations,
                        " (the open-file limit is 20,000 per process; run several processes for more)");
                    o = o with { Stations = stations };
                    break;
                case "--mode":
                    if (value is not ("normal" or "reconnect-storm" or "idle-sockets"))
                    {
                        error = "--mode must be normal, reconnect-storm or idle-sockets";
                    }
                    else
                    {
                        o = o with { Mode = value };
                    }

                    break;
                case "--protocol":
                    if (value is not (LoadGenOptions.Ocpp16 or LoadGenOptions.Ocpp201))
                    {
                        error = "--protocol must be ocpp1.6 or ocpp2.0.1";
                    }
                    else
                    {
                        o = o with { Protocol = value };
                    }

                    break;
                case "--identity-prefix":
                    if (value.Length is 0 or > 40 || value.Contains(':', StringComparison.Ordinal))
                    {
                        error = "--identity-prefix must be 1..40 characters without ':'";
                    }
                    else
                    {
                        o = o with { IdentityPrefix = value };
                    }

                    break;
                case "--password":
                    password = value;
                    break;
                case "--password-hex":
                    passwordHex = value;
                    break;
                case "--connect-rate":
                    error = ParseDouble(name, value, 0.1, 100_000, out var rate);
                    o = o with { ConnectRate = rate };
                    break;
                case "--duration":
                    error = ParseDouble(name, value, 0, LoadGenOptions.MaxDurationSeconds, out var duration);
                    o = o with { DurationSeconds = duration };
                    break;
                case "--warmup":
                    error = ParseDouble(name, value, 0, LoadGenOptions.MaxDurationSeconds, out var warmup);
                    o = o with { WarmupSeconds = warmup };
                    break;
                case "--heartbeat-interval":
                    error = ParseInterval(name, value, out var hb);
                    o = o with { HeartbeatIntervalSeconds = hb };
                    break;
                case "--meter-interval":
                    error = ParseInterval(name, value, out var meter);
                    o = o with { MeterIntervalSeconds = meter };
                    break;
                case "--transactions":
                    error = ParseDouble(name, value, 0, 100_000, out var tx);
                    o = o with { TransactionsPerSecond = tx };
                    break;
                case "--source-addresses":
                    error = ParseAddresses(value, out var addresses);
                    o = o with { SourceAddresses = addresses };
                    break;
                case "--pid":
                    error = ParseInt(name, value, 1, int.MaxValue, out var pid);
                    o = o with { ServerPid = pid };
                    break;
                case "--json":
                    if (value.Length == 0)
                    {
                        error = "--json needs a file name";
                    }
                    else
                    {
                        o = o with { JsonPath = value };
                    }

                    break;
                case "--max-in-flight":
                    error = ParseInt(name, value, 0, 1_000_000, out var maxInFlight);
                    o = o with { MaxInFlight = maxInFlight };
                    break;
                case "--call-timeout":
                    error = ParseDouble(name, value, 0.1, 600, out var callTimeout);
                    o = o with { CallTimeoutSeconds = callTimeout };
                    break;
                case "--connect-timeout":
                    error = ParseDouble(name, value, 0.1, 600, out var connectTimeout);
                    o = o with { ConnectTimeoutSeconds = connectTimeout };
                    break;
                default:
                    error = $"unknown option '{name}' (see --help)";
                    break;
            }

            if (error is not null)
            {
                return Fail(error);
            }
        }

        if (password is not null && passwordHex is not null)
        {
            return Fail("use either --password or --password-hex, not both");
        }

        if (password is not null)
        {
            o = o with { Password = System.Text.Encoding.UTF8.GetBytes(password) };
        }
        else if (passwordHex is not null)
        {
            try
            {
                o = o with { Password = Convert.FromHexString(passwordHex) };
            }
            catch (FormatException)
            {
                return Fail($"--password-hex: '{passwordHex}' is not valid hex (an even number of 0-9a-f digits)");
            }
        }

        return new ArgParseResult(o, false, null);
    }

    private static readonly HashSet<string> KnownOptions =
    [
        "--url", "--stations", "--mode", "--protocol", "--identity-prefix", "--password", "--password-hex", "--connect-rate", "--warmup", "--duration",
        "--heartbeat-interval", "--meter-interval", "--transactions", "--source-addresses", "--pid", "--json",
        "--max-in-flight", "--call-timeout", "--connect-timeout",
    ];

    private static bool IsKnown(string name) => KnownOptions.Contains(name);

    private static ArgParseResult Fail(string error) => new(null, false, error);

    private static string? ParseInt(string name, string value, int min, int max, out int result, string hint = "")
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out result))
        {
            return $"{name}: '{value}' is not a whole number";
        }

        return result < min || result > max
            ? string.Create(CultureInfo.InvariantCulture, $"{name} must be between {min} and {max}, got {result}{hint}")
            : null;
    }

    private static string? ParseDouble(string name, string value, double min, double max, out double result)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out result) || !double.IsFinite(result))
        {
            return $"{name}: '{value}' is not a number";
        }

        return result < min || result > max
            ? string.Create(CultureInfo.InvariantCulture, $"{name} must be between {min} and {max}, got {result}")
            : null;
    }

    private static string? ParseInterval(string name, string value, out double result)
    {
        var error = ParseDouble(name, value, 0, 86_400, out result);
        if (error is null && result is > 0 and < 0.1)
        {
            error = $"{name} must be 0 (off/default) or at least 0.1 seconds";
        }

        return error;
    }

    /// <summary>Accepts "a.b.c.d-a.b.c.e" (IPv4 range, at most 256 addresses) or a comma-separated list.</summary>
    public static string? ParseAddresses(string value, out IReadOnlyList<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(value);
        addresses = [];
        var list = new List<IPAddress>();
        var dash = value.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
        {
            if (!IPAddress.TryParse(value[..dash], out var first) || !IPAddress.TryParse(value[(dash + 1)..], out var last)
                || first.AddressFamily != AddressFamily.InterNetwork || last.AddressFamily != AddressFamily.InterNetwork)
            {
                return $"--source-addresses: '{value}' is not an IPv4 range like 127.0.0.1-127.0.0.8";
            }

            var a = ToUInt32(first);
            var b = ToUInt32(last);
            if (b < a || b - a >= 256)
            {
                return $"--source-addresses: range '{value}' must go upwards and hold at most 256 addresses";
            }

            for (var x = a; x <= b; x++)
            {
                list.Add(FromUInt32(x));
            }
        }
        else
        {
            foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!IPAddress.TryParse(part, out var address))
                {
                    return $"--source-addresses: '{part}' is not an IP address";
                }

                list.Add(address);
            }
        }

        if (list.Count == 0)
        {
            return "--source-addresses: no address given";
        }

        if (list.Select(a => a.AddressFamily).Distinct().Count() > 1)
        {
            return "--source-addresses: do not mix IPv4 and IPv6 addresses";
        }

        addresses = list;
        return null;
    }

    private static uint ToUInt32(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }

    private static IPAddress FromUInt32(uint value) =>
        new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
}
