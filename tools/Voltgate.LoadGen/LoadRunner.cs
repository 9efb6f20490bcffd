using System.Globalization;
using System.Net.Sockets;

namespace Voltgate.LoadGen;

/// <summary>CPU and memory of one process over the steady window (CPU in % of one core).</summary>
public sealed record ProcSummary(
    int Pid,
    double RssAvgMiB,
    double RssPeakMiB,
    double CpuAvgPercent,
    double CpuPeakPercent,
    double CpuMs,
    double CpuMsPerCall);

/// <summary>Everything a finished run reports.</summary>
public sealed record RunReport
{
    public required LoadGenOptions Options { get; init; }

    public required RunMetrics Metrics { get; init; }

    public int ExitCode { get; init; }

    public string? Message { get; init; }

    public double RampSeconds { get; init; }

    public double HandshakesPerSecond { get; init; }

    public double SteadySeconds { get; init; }

    public long SteadyAnswered { get; init; }

    public double SteadyCallsPerSecond { get; init; }

    public ProcSummary? Server { get; init; }

    public ProcSummary? Generator { get; init; }
}

public static class LoadRunner
{
    private const int FileReserve = 256;

    public static async Task<RunReport> RunAsync(LoadGenOptions options, TextWriter log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var metrics = new RunMetrics();

        if (OperatingSystem.IsLinux()
            && ProcStats.TryParseMaxOpenFiles(await File.ReadAllTextAsync("/proc/self/limits", ct).ConfigureAwait(false), out var fileLimit)
            && options.Stations + FileReserve > fileLimit)
        {
            return Fail(options, metrics, 2, string.Create(CultureInfo.InvariantCulture,
                $"{options.Stations} stations need about {options.Stations + FileReserve} open files but this process may open {fileLimit}; run several processes with different --source-addresses (see README)"));
        }

        // A plain TCP probe first, so "nothing listens there" is one clear line instead of N failures.
        var source = options.SourceAddresses.Count > 0 ? options.SourceAddresses[0] : null;
        var probe = await StationConnector.ProbeAsync(options.Url, source, TimeSpan.FromSeconds(options.ConnectTimeoutSeconds), ct)
            .ConfigureAwait(false);
        if (probe != SocketError.Success)
        {
            var address = await StationConnector.ResolveAsync(options.Url.IdnHost, source?.AddressFamily, ct).ConfigureAwait(false);
            var where = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
            var port = options.Url.Port.ToString(CultureInfo.InvariantCulture);
            var what = probe switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.TimedOut => "connection timed out",
                _ => "cannot connect (" + probe + ")",
            };
            return Fail(options, metrics, 3, $"{what} at {where}:{port} - is the server running on {options.Url}?");
        }

        using var connector = new StationConnector(options.SourceAddresses);
        var ctx = new RunContext(options, metrics, connector);
        var server = options.ServerPid is { } pid ? new ProcSampler(pid) : null;
        var self = new ProcSampler(Environment.ProcessId);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(ct);

        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"loadgen: {options.Stations} stations -> {options.Url}/{options.StationIdentity(1)}.. at {options.ConnectRate}/s, then {options.WarmupSeconds} s warm-up and {options.DurationSeconds} s steady; heartbeat {(options.HeartbeatIntervalSeconds > 0 ? options.HeartbeatIntervalSeconds + " s" : "from Boot")}, meter {options.MeterIntervalSeconds} s, transactions {options.TransactionsPerSecond}/s"));

        var stations = new Task[options.Stations];
        var launcher = LaunchAsync(ctx, stations, stop.Token);
        var reporter = ReportLoopAsync(ctx, server, self, log, sampling.Token);

        // Ramp: wait until every station has booted or failed (bounded, in case a server swallows handshakes).
        var rampBound = TimeSpan.FromSeconds((options.Stations / options.ConnectRate) + options.ConnectTimeoutSeconds
            + (3 * options.CallTimeoutSeconds) + 5);
        try
        {
            await ctx.AllSettled.WaitAsync(rampBound, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            log.WriteLine("loadgen: ramp did not finish in time; starting the steady window anyway");
        }
        catch (OperationCanceledException)
        {
        }

        if (options.WarmupSeconds > 0 && metrics.Connected > 0 && !ct.IsCancellationRequested)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loadgen: warming up for {options.WarmupSeconds} s (not measured)"));
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            metrics.RestartLatencies();
        }

        var steadyStart = ctx.Clock.Elapsed;
        var answeredAtStart = metrics.Answered;
        server?.TrySample(steadyStart, out _);
        self.TrySample(steadyStart, out _);

        if (metrics.Connected > 0 && !ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(options.DurationSeconds), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                log.WriteLine("loadgen: interrupted, closing");
            }
        }

        var steadyEnd = ctx.Clock.Elapsed;
        var answeredAtEnd = metrics.Answered;
        server?.TrySample(steadyEnd, out _);
        self.TrySample(steadyEnd, out _);

        await stop.CancelAsync().ConfigureAwait(false);
        await launcher.ConfigureAwait(false);
        var running = stations.Where(t => t is not null).ToArray();
        try
        {
            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(15), CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"loadgen: {running.Count(t => !t.IsCompleted)} stations did not close within 15 s"));
        }

        await sampling.CancelAsync().ConfigureAwait(false);
        await reporter.ConfigureAwait(false);

        var steadySeconds = (steadyEnd - steadyStart).TotalSeconds;
        var steadyAnswered = answeredAtEnd - answeredAtStart;
        var noStation = metrics.Handshakes == 0;
        return new RunReport
        {
            Options = options,
            Metrics = metrics,
            ExitCode = noStation ? 1 : 0,
            Message = noStation ? "no station could connect" : null,
            RampSeconds = ctx.LastHandshakeAt.TotalSeconds,
            HandshakesPerSecond = ctx.LastHandshakeAt.TotalSeconds > 0 ? metrics.Handshakes / ctx.LastHandshakeAt.TotalSeconds : 0,
            SteadySeconds = steadySeconds,
            SteadyAnswered = steadyAnswered,
            SteadyCallsPerSecond = steadySeconds > 0 ? steadyAnswered / steadySeconds : 0,
            Server = server is null ? null : Summarize(server, steadyStart, steadyEnd, steadyAnswered),
            Generator = Summarize(self, steadyStart, steadyEnd, steadyAnswered),
        };
    }

    /// <summary>Summarises a sampler over [from, to]; peaks use 1-s sample pairs, RSS peak the whole run.</summary>
    public static ProcSummary? Summarize(ProcSampler sampler, TimeSpan from, TimeSpan to, long calls)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        var all = sampler.Samples();
        if (all.Length == 0)
        {
            return null;
        }

        var window = all.Where(s => s.At >= from && s.At <= to).ToArray();
        if (window.Length == 0)
        {
            window = all;
        }

        double cpuPeak = 0;
        for (var i = 1; i < all.Length; i++)
        {
            var seconds = (all[i].At - all[i - 1].At).TotalSeconds;
            if (seconds >= 0.5)
            {
                cpuPeak = Math.Max(cpuPeak, (all[i].CpuTicks - all[i - 1].CpuTicks) * 100.0 / ProcStats.TicksPerSecond / seconds);
            }
        }

        var span = (window[^1].At - window[0].At).TotalSeconds;
        var cpuMs = (window[^1].CpuTicks - window[0].CpuTicks) * 1000.0 / ProcStats.TicksPerSecond;
        return new ProcSummary(
            sampler.Pid,
            window.Average(s => s.RssKib) / 1024.0,
            all.Max(s => s.RssKib) / 1024.0,
            span > 0 ? cpuMs / (span * 10) : 0,
            cpuPeak,
            cpuMs,
            calls > 0 ? cpuMs / calls : 0);
    }

    private static RunReport Fail(LoadGenOptions options, RunMetrics metrics, int exitCode, string message) =>
        new() { Options = options, Metrics = metrics, ExitCode = exitCode, Message = message };

    private static async Task LaunchAsync(RunContext ctx, Task[] stations, CancellationToken stop)
    {
        var rate = ctx.Options.ConnectRate;
        var launched = 0;
        try
        {
            while (launched < stations.Length)
            {
                // Start every station whose slot has come; then sleep until the next slot.
                var due = Math.Min(stations.Length, (int)(ctx.Now * rate) + 1);
                for (; launched < due; launched++)
                {
                    stations[launched] = new SimulatedStation(ctx, launched + 1).RunAsync(stop);
                }

                if (launched < stations.Length)
                {
                    var next = (launched / rate) - ctx.Now;
                    await Task.Delay(TimeSpan.FromSeconds(Math.Max(next, 0.001)), stop).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            ctx.Settled(stations.Length - launched);
        }
    }

    private static async Task ReportLoopAsync(RunContext ctx, ProcSampler? server, ProcSampler self, TextWriter log, CancellationToken ct)
    {
        var m = ctx.Metrics;
        long lastHandshakes = 0;
        long lastAnswered = 0;
        var lastAt = TimeSpan.Zero;
        var tick = 0;
        ProcSample? lastServer = null;
        double serverCpu = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                var now = ctx.Clock.Elapsed;
                if (server is not null && server.TrySample(now, out var sample))
                {
                    // CPU over the last second, so the line shows the current load rather than a 5-s average.
                    if (lastServer is { } prev && sample.At > prev.At)
                    {
                        serverCpu = (sample.CpuTicks - prev.CpuTicks) * 100.0 / ProcStats.TicksPerSecond / (sample.At - prev.At).TotalSeconds;
                    }

                    lastServer = sample;
                }

                self.TrySample(now, out _);
                if (++tick % 5 != 0)
                {
                    continue;
                }

                var seconds = (now - lastAt).TotalSeconds;
                var handshakes = m.Handshakes;
                var answered = m.Answered;
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"[{now.TotalSeconds,6:F0}s] connected {m.Connected}/{ctx.Options.Stations}  handshakes/s {(handshakes - lastHandshakes) / seconds,7:F1}  calls/s {(answered - lastAnswered) / seconds,8:F1}  conn-fail {m.ConnectFailureCount}  callerror {m.CallErrors.Values.Sum()}  timeouts {m.Timeouts}  disconnects {m.Disconnects}");
                if (lastServer is { } current)
                {
                    line += string.Create(CultureInfo.InvariantCulture, $" | server rss {current.RssKib / 1024.0:F1} MiB cpu {serverCpu:F0}%");
                }

                log.WriteLine(line);
                lastHandshakes = handshakes;
                lastAnswered = answered;
                lastAt = now;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
