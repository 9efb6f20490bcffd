using System.Net;

namespace Voltgate.LoadGen;

/// <summary>Everything a run needs, as parsed from the command line.</summary>
public sealed record LoadGenOptions
{
    /// <summary>One process can hold at most this many stations: the open-file limit is 20,000 per process.</summary>
    public const int MaxStations = 20_000;

    public const double MaxDurationSeconds = 3600;

    public Uri Url { get; init; } = new("ws://127.0.0.1:8180/ocpp");

    public int Stations { get; init; } = 10;

    /// <summary>normal (the default traffic run), reconnect-storm or idle-sockets (see AttackModes).</summary>
    public string Mode { get; init; } = "normal";

    public const string Ocpp16 = "ocpp1.6";
    public const string Ocpp201 = "ocpp2.0.1";

    /// <summary>The subprotocol the stations offer and speak: ocpp1.6 or ocpp2.0.1.</summary>
    public string Protocol { get; init; } = Ocpp16;

    public bool IsOcpp201 => Protocol == Ocpp201;

    public string IdentityPrefix { get; init; } = "LG";

    /// <summary>Raw Basic-auth password bytes; null sends no Authorization header.</summary>
    public byte[]? Password { get; init; }

    public double ConnectRate { get; init; } = 100;

    public double DurationSeconds { get; init; } = 30;

    /// <summary>Traffic after the ramp that no figure counts: call latencies, calls/s and CPU start after it.</summary>
    public double WarmupSeconds { get; init; }

    /// <summary>0 = use the interval from the BootNotification response.</summary>
    public double HeartbeatIntervalSeconds { get; init; }

    /// <summary>0 = no MeterValues outside transactions.</summary>
    public double MeterIntervalSeconds { get; init; }

    /// <summary>Whole Start/MeterValues/Stop cycles per second across all stations; 0 = none.</summary>
    public double TransactionsPerSecond { get; init; }

    public IReadOnlyList<IPAddress> SourceAddresses { get; init; } = [];

    public int? ServerPid { get; init; }

    public string? JsonPath { get; init; }

    /// <summary>Cap on outstanding handshakes + CALLs across all stations; 0 = no cap beyond one per station.</summary>
    public int MaxInFlight { get; init; }

    public double CallTimeoutSeconds { get; init; } = 30;

    public double ConnectTimeoutSeconds { get; init; } = 10;

    public string StationIdentity(int index) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{IdentityPrefix}{index:D5}");

    public Uri StationUri(int index)
    {
        var baseUrl = Url.OriginalString.TrimEnd('/');
        return new Uri(baseUrl + "/" + Uri.EscapeDataString(StationIdentity(index)));
    }
}
