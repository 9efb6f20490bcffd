using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Voltgate.Core.Telemetry;

/// <summary>The names under which Voltgate publishes its metrics and traces (docs/operations.md).</summary>
public static class VoltgateTelemetry
{
    /// <summary>The meter's and the activity source's name; exporters subscribe to it.</summary>
    public const string Name = "Voltgate";

    /// <summary>
    /// Spans of a remote command (API → backplane → the station's node → station → answer). Static like every
    /// ActivitySource: it costs nothing while no listener (OTLP exporter, test) is attached.
    /// </summary>
    public static ActivitySource Source { get; } = new(Name);

    /// <summary>Tag on every Voltgate span: the node that recorded it (a command's trace crosses nodes).</summary>
    public const string NodeTag = "voltgate.node";
}

/// <summary>
/// Voltgate's instruments, one meter per host. Prometheus names are the instrument names with dots as underscores,
/// the unit as suffix and counters ending in <c>_total</c> (voltgate.ocpp.calls → voltgate_ocpp_calls_total).
/// Tags are small, closed sets (variant, protocol, action, result, reason): never an identity or an address, so a
/// network of 100,000 stations is still a handful of series. Recording is a counter add or a histogram record with
/// a stack-allocated tag list: cheap enough for every OCPP call.
/// </summary>
public sealed class VoltgateMetrics
{
    private readonly Counter<long> _handshakes;
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _callDuration;
    private readonly Histogram<double> _commitDuration;
    private readonly Counter<long> _committedWrites;
    private readonly Counter<long> _backoffBlocks;
    private readonly Counter<long> _commands;
    private readonly Histogram<double> _commandDuration;
    private readonly Counter<long> _unattributed;

    public VoltgateMetrics(IMeterFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Meter = factory.Create(VoltgateTelemetry.Name);
        _handshakes = Meter.CreateCounter<long>("voltgate.handshakes", "{handshake}", "OCPP WebSocket handshakes by result (Accepted|Refused) and refusal reason.");
        _calls = Meter.CreateCounter<long>("voltgate.ocpp.calls", "{call}", "CALLs from stations by action and result (Result|Error).");
        _callDuration = Meter.CreateHistogram("voltgate.ocpp.call.duration", "s", "Time from a station's CALL to our answer, by action.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _commitDuration = Meter.CreateHistogram("voltgate.writer.commit.duration", "s", "Time the station-message writer takes to commit one batch.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _committedWrites = Meter.CreateCounter<long>("voltgate.writer.writes", "{write}", "Station messages committed by the writer.");
        _backoffBlocks = Meter.CreateCounter<long>("voltgate.backoff.blocks", "{handshake}", "Handshakes refused by the brute-force back-off, by block (short|long).");
        _commands = Meter.CreateCounter<long>("voltgate.commands", "{command}", "Remote commands to stations by action and outcome.");
        _commandDuration = Meter.CreateHistogram("voltgate.command.duration", "s", "Round trip of a remote command: CALL sent until answer, timeout or close.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CommandBuckets });
        _unattributed = Meter.CreateCounter<long>("voltgate.unattributed.attempts", "{attempt}", "Refusals before a station is known (network, tenant, path, TLS), by reason.");
    }

    /// <summary>From 0.5 ms to 10 s: an answered MeterValues takes a few milliseconds, a stalled database seconds.</summary>
    private static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Commands wait on a station over a mobile network: up to the call timeout (30 s by default).</summary>
    private static readonly double[] CommandBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>The host's meter: observable instruments (stations connected, queue depth) are created on it by their owners.</summary>
    public Meter Meter { get; }

    public void Handshake(bool admitted, string reason) =>
        _handshakes.Add(1, new TagList { { "result", admitted ? "Accepted" : "Refused" }, { "reason", reason } });

    /// <summary>One CALL from a station answered; <paramref name="action"/> must come from a catalog (bounded).</summary>
    public void Call(string action, bool answeredWithResult, long startTimestamp)
    {
        var seconds = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
        _calls.Add(1, new TagList { { "action", action }, { "result", answeredWithResult ? "Result" : "Error" } });
        _callDuration.Record(seconds, new TagList { { "action", action } });
    }

    public void WriterCommitted(int writes, long startTimestamp)
    {
        _commitDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);
        _committedWrites.Add(writes);
    }

    public void BackoffBlock(bool longBlock) => _backoffBlocks.Add(1, new KeyValuePair<string, object?>("block", longBlock ? "long" : "short"));

    public void Command(string action, string outcome, long startTimestamp)
    {
        var tags = new TagList { { "action", action }, { "outcome", outcome } };
        _commands.Add(1, tags);
        _commandDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }

    public void UnattributedAttempt(string reason) => _unattributed.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
