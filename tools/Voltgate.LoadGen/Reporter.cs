using System.Globalization;
using System.Text.Json;

namespace Voltgate.LoadGen;

/// <summary>Final summary as text and as JSON.</summary>
public static class Reporter
{
    private static readonly StationAction[] Actions = Enum.GetValues<StationAction>();

    public static void WriteSummary(RunReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var m = report.Metrics;
        var o = report.Options;
        var ic = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine("== summary ==");
        output.WriteLine(string.Create(ic, $"stations {o.Stations}, connected {m.Handshakes}, handshakes/s {report.HandshakesPerSecond:F1} (ramp {report.RampSeconds:F1} s), disconnects {m.Disconnects}"));
        output.WriteLine(string.Create(ic, $"handshake latency ms: p50 {Ms(m.HandshakeLatency.Percentile(50))} p95 {Ms(m.HandshakeLatency.Percentile(95))} p99 {Ms(m.HandshakeLatency.Percentile(99))} max {Ms(m.HandshakeLatency.Max)}"));
        output.WriteLine("connect failures: " + Join(m.ConnectFailures));
        output.WriteLine(string.Create(ic, $"steady window {report.SteadySeconds:F1} s: {report.SteadyAnswered} answers, {report.SteadyCallsPerSecond:F1} calls/s; transactions {m.Transactions}; timeouts {m.Timeouts}; late replies {m.LateReplies}; malformed {m.Malformed}"));
        output.WriteLine(string.Create(ic, $"{"action",-20}{"results",10}{"errors",8}{"timeouts",9}{"p50 ms",9}{"p95 ms",9}{"p99 ms",9}{"max ms",9}"));
        foreach (var action in Actions)
        {
            var h = m.Latency(action);
            if (h.Count == 0 && m.TimeoutsFor(action) == 0)
            {
                continue;
            }

            output.WriteLine(string.Create(ic,
                $"{OcppFrames.Name(action),-20}{m.Results(action),10}{m.Errors(action),8}{m.TimeoutsFor(action),9}{Ms(h.Percentile(50)),9}{Ms(h.Percentile(95)),9}{Ms(h.Percentile(99)),9}{Ms(h.Max),9}"));
        }

        output.WriteLine("CALLERRORs by code: " + Join(m.CallErrors));
        output.WriteLine("server-initiated CALLs: " + Join(m.ServerCalls));
        WriteProc(output, "server", report.Server);
        WriteProc(output, "generator", report.Generator);
        if (report.Message is not null)
        {
            output.WriteLine(report.Message);
        }
    }

    public static void WriteJson(RunReport report, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(report);
        var m = report.Metrics;
        var o = report.Options;
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("tool", "Voltgate.LoadGen");
        w.WriteString("finishedUtc", DateTime.UtcNow);
        w.WriteNumber("exitCode", report.ExitCode);
        if (report.Message is not null)
        {
            w.WriteString("message", report.Message);
        }

        w.WriteStartObject("machine");
        w.WriteNumber("processors", Environment.ProcessorCount);
        w.WriteString("os", System.Runtime.InteropServices.RuntimeInformation.OSDescription);
        w.WriteString("runtime", System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
        w.WriteEndObject();

        w.WriteStartObject("options");
        w.WriteString("url", o.Url.ToString());
        w.WriteNumber("stations", o.Stations);
        w.WriteString("identityPrefix", o.IdentityPrefix);
        w.WriteBoolean("basicAuth", o.Password is not null);
        w.WriteNumber("connectRate", o.ConnectRate);
        w.WriteNumber("warmupSeconds", o.WarmupSeconds);
        w.WriteNumber("durationSeconds", o.DurationSeconds);
        w.WriteNumber("heartbeatIntervalSeconds", o.HeartbeatIntervalSeconds);
        w.WriteNumber("meterIntervalSeconds", o.MeterIntervalSeconds);
        w.WriteNumber("transactionsPerSecond", o.TransactionsPerSecond);
        w.WriteNumber("maxInFlight", o.MaxInFlight);
        w.WriteStartArray("sourceAddresses");
        foreach (var a in o.SourceAddresses)
        {
            w.WriteStringValue(a.ToString());
        }

        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteStartObject("connect");
        w.WriteNumber("handshakes", m.Handshakes);
        w.WriteNumber("handshakesPerSecond", Math.Round(report.HandshakesPerSecond, 1));
        w.WriteNumber("rampSeconds", Math.Round(report.RampSeconds, 2));
        w.WriteNumber("disconnects", m.Disconnects);
        WriteHistogram(w, "latencyMs", m.HandshakeLatency);
        WriteCounts(w, "failures", m.ConnectFailures);
        w.WriteEndObject();

        w.WriteStartObject("steady");
        w.WriteNumber("seconds", Math.Round(report.SteadySeconds, 2));
        w.WriteNumber("answers", report.SteadyAnswered);
        w.WriteNumber("callsPerSecond", Math.Round(report.SteadyCallsPerSecond, 1));
        w.WriteNumber("transactions", m.Transactions);
        w.WriteNumber("timeouts", m.Timeouts);
        w.WriteNumber("lateReplies", m.LateReplies);
        w.WriteNumber("malformedFrames", m.Malformed);
        w.WriteEndObject();

        w.WriteStartObject("actions");
        foreach (var action in Actions)
        {
            w.WriteStartObject(OcppFrames.Name(action));
            w.WriteNumber("results", m.Results(action));
            w.WriteNumber("errors", m.Errors(action));
            w.WriteNumber("timeouts", m.TimeoutsFor(action));
            WriteHistogram(w, "latencyMs", m.Latency(action));
            w.WriteEndObject();
        }

        w.WriteEndObject();
        WriteCounts(w, "callErrors", m.CallErrors);
        WriteCounts(w, "serverCalls", m.ServerCalls);
        WriteProcJson(w, "server", report.Server);
        WriteProcJson(w, "generator", report.Generator);
        w.WriteEndObject();
    }

    private static void WriteHistogram(Utf8JsonWriter w, string name, LatencyHistogram h)
    {
        w.WriteStartObject(name);
        w.WriteNumber("count", h.Count);
        w.WriteNumber("p50", Ms(h.Percentile(50)));
        w.WriteNumber("p95", Ms(h.Percentile(95)));
        w.WriteNumber("p99", Ms(h.Percentile(99)));
        w.WriteNumber("max", Ms(h.Max));
        w.WriteNumber("mean", Math.Round(h.Mean / 1000, 3));
        w.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter w, string name, IEnumerable<KeyValuePair<string, long>> counts)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in counts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WriteNumber(key, value);
        }

        w.WriteEndObject();
    }

    private static void WriteProcJson(Utf8JsonWriter w, string name, ProcSummary? p)
    {
        if (p is null)
        {
            return;
        }

        w.WriteStartObject(name);
        w.WriteNumber("pid", p.Pid);
        w.WriteNumber("rssAvgMiB", Math.Round(p.RssAvgMiB, 1));
        w.WriteNumber("rssPeakMiB", Math.Round(p.RssPeakMiB, 1));
        w.WriteNumber("cpuAvgPercent", Math.Round(p.CpuAvgPercent, 1));
        w.WriteNumber("cpuPeakPercent", Math.Round(p.CpuPeakPercent, 1));
        w.WriteNumber("cpuMs", Math.Round(p.CpuMs, 0));
        w.WriteNumber("cpuMsPerCall", Math.Round(p.CpuMsPerCall, 4));
        w.WriteEndObject();
    }

    private static void WriteProc(TextWriter output, string name, ProcSummary? p)
    {
        if (p is null)
        {
            return;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name} pid {p.Pid}: rss avg {p.RssAvgMiB:F1} MiB peak {p.RssPeakMiB:F1} MiB; cpu avg {p.CpuAvgPercent:F1}% peak {p.CpuPeakPercent:F1}% (of one core); {p.CpuMs:F0} ms cpu in steady window = {p.CpuMsPerCall:F4} ms per call"));
    }

    private static string Join(IEnumerable<KeyValuePair<string, long>> counts)
    {
        var parts = counts.OrderByDescending(p => p.Value)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}: {p.Value}"))
            .ToArray();
        return parts.Length == 0 ? "none" : string.Join(", ", parts);
    }

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
}
