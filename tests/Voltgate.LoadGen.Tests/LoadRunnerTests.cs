using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Voltgate.LoadGen.Tests;

public class LoadRunnerTests
{
    [Fact]
    public async Task Stations_boot_and_heartbeat_against_a_minimal_server()
    {
        await using var server = await TestOcppServer.StartAsync("pw", sendServerCalls: true);
        var options = Options(server.Url, stations: 4) with { TransactionsPerSecond = 0 };
        var log = new StringWriter();

        var report = await LoadRunner.RunAsync(options, TextWriter.Synchronized(log), CancellationToken.None);

        var m = report.Metrics;
        Assert.Equal(0, report.ExitCode);
        Assert.Equal(4, m.Handshakes);
        Assert.Equal(4, m.Results(StationAction.BootNotification));
        Assert.Equal(4, m.Results(StationAction.StatusNotification));
        Assert.InRange(m.Results(StationAction.Heartbeat), 8, 30);   // 4 stations, every 0.5 s, for 3 s
        // Every counted result reached the server; when the run ends each station may have one heartbeat in flight
        // that the server saw but whose answer the generator no longer counts.
        Assert.InRange(server.CallsByAction["Heartbeat"], m.Results(StationAction.Heartbeat), m.Results(StationAction.Heartbeat) + 4);
        Assert.Equal(0, m.Timeouts);
        Assert.Equal(0, m.Disconnects);
        Assert.True(report.SteadyCallsPerSecond > 2);
        Assert.True(m.Latency(StationAction.Heartbeat).Percentile(99) > 0);

        // Server-initiated CALLs: a plausible CALLRESULT for a known action, NotImplemented for an unknown one.
        Assert.Equal(4, m.ServerCalls["GetConfiguration"]);
        Assert.Equal(4, m.ServerCalls["VendorMagic"]);
        Assert.Equal(4, server.AnswersFromStations.Count(a => a.StartsWith("[3,\"srv-1\",{\"configurationKey\"", StringComparison.Ordinal)));
        Assert.Equal(4, server.AnswersFromStations.Count(a => a == "[4,\"srv-2\",\"NotImplemented\",\"\",{}]"));

        var summary = new StringWriter();
        Reporter.WriteSummary(report, summary);
        Assert.Contains("Heartbeat", summary.ToString(), StringComparison.Ordinal);
        Assert.Contains("generator pid", summary.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ocpp201_stations_open_a_transaction_and_send_their_meter_ticks_as_TransactionEvent_Updated()
    {
        await using var server = await TestOcppServer.StartAsync("pw");
        var options = Options(server.Url, stations: 3) with { Protocol = LoadGenOptions.Ocpp201, MeterIntervalSeconds = 0.25, TransactionsPerSecond = 3 };

        var report = await LoadRunner.RunAsync(options, TextWriter.Null, CancellationToken.None);

        var m = report.Metrics;
        Assert.Equal(0, report.ExitCode);
        Assert.Equal(3, m.Results(StationAction.BootNotification));
        Assert.Equal(0, m.Results(StationAction.MeterValues));
        Assert.Equal(0, m.Errors(StationAction.TransactionEvent));
        Assert.True(m.Transactions >= 1, "no whole Started/Updated/Ended cycle in 3 s at 3/s");
        var events = server.TransactionEvents.ToArray();
        foreach (var station in events.GroupBy(e => e.Station))
        {
            foreach (var transaction in station.GroupBy(e => e.TransactionId))
            {
                // Each transaction starts with Started seqNo 0, counts up without gaps, and the meter only rises.
                var sequence = transaction.ToArray();
                Assert.Equal("Started", sequence[0].EventType);
                Assert.Equal(Enumerable.Range(0, sequence.Length), sequence.Select(e => e.SeqNo));
                Assert.True(sequence.Zip(sequence.Skip(1)).All(p => p.Second.EnergyWh >= p.First.EnergyWh));
                Assert.All(sequence.Skip(1).SkipLast(1), e => Assert.Equal("Updated", e.EventType));
            }

            // The steady transaction (the first) got several periodic Updated.
            Assert.True(station.Count(e => e.TransactionId == station.First().TransactionId && e.EventType == "Updated") >= 3);
        }

        Assert.Equal(3, events.Select(e => e.Station).Distinct().Count());
        Assert.Contains(events, e => e.EventType == "Ended");
        Assert.InRange(m.Results(StationAction.TransactionEvent), events.Length - 3, events.Length);
    }

    [Fact]
    public async Task Warm_up_traffic_is_left_out_of_the_measured_window()
    {
        await using var server = await TestOcppServer.StartAsync("pw");
        var options = Options(server.Url, stations: 2) with { WarmupSeconds = 1.5, DurationSeconds = 1.5 };
        var log = new StringWriter();

        var report = await LoadRunner.RunAsync(options, TextWriter.Synchronized(log), CancellationToken.None);

        var m = report.Metrics;
        Assert.Contains("warming up for 1.5 s", log.ToString(), StringComparison.Ordinal);
        Assert.InRange(report.SteadySeconds, 1.4, 2.5);
        // Boots happened during the ramp, before the warm-up: their latencies are forgotten, their counts are not.
        Assert.Equal(2, m.Results(StationAction.BootNotification));
        Assert.Equal(0, m.Latency(StationAction.BootNotification).Count);
        // Heartbeats every 0.5 s run through warm-up and window; only the window's are in the histogram.
        Assert.True(m.Latency(StationAction.Heartbeat).Count < m.Results(StationAction.Heartbeat));
        Assert.True(report.SteadyAnswered < m.Answered);
    }

    [Fact]
    public async Task Server_pid_sampling_reports_cpu_per_call()
    {
        // The in-test server runs in this process, so sampling our own pid samples the server.
        await using var server = await TestOcppServer.StartAsync("pw");
        var options = Options(server.Url, stations: 2) with { ServerPid = Environment.ProcessId, DurationSeconds = 2.5 };

        var report = await LoadRunner.RunAsync(options, TextWriter.Null, CancellationToken.None);

        var s = Assert.IsType<ProcSummary>(report.Server);
        Assert.Equal(Environment.ProcessId, s.Pid);
        Assert.True(s.RssPeakMiB > 1);
        Assert.True(s.CpuMsPerCall >= 0);

        using var json = new MemoryStream();
        Reporter.WriteJson(report, json);
        using var doc = System.Text.Json.JsonDocument.Parse(json.ToArray());
        Assert.True(doc.RootElement.GetProperty("server").GetProperty("rssPeakMiB").GetDouble() > 1);
        Assert.True(doc.RootElement.GetProperty("actions").GetProperty("Heartbeat").GetProperty("results").GetInt64() > 0);
    }

    [Fact]
    public async Task Source_addresses_are_bound_round_robin()
    {
        await using var server = await TestOcppServer.StartAsync("pw");
        var options = Options(server.Url, stations: 4) with
        {
            DurationSeconds = 0.5,
            SourceAddresses = [IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3")],
        };

        var report = await LoadRunner.RunAsync(options, TextWriter.Null, CancellationToken.None);

        Assert.Equal(4, report.Metrics.Handshakes);
        Assert.Equal(2, server.RemoteAddresses[IPAddress.Parse("127.0.0.2")]);
        Assert.Equal(2, server.RemoteAddresses[IPAddress.Parse("127.0.0.3")]);
    }

    [Fact]
    public async Task Wrong_password_is_counted_as_HTTP_401_and_fails_the_run()
    {
        await using var server = await TestOcppServer.StartAsync("right");
        var options = Options(server.Url, stations: 3) with { Password = Encoding.UTF8.GetBytes("wrong") };

        var report = await LoadRunner.RunAsync(options, TextWriter.Null, CancellationToken.None);

        Assert.Equal(1, report.ExitCode);
        Assert.Equal(3, report.Metrics.ConnectFailures["HTTP 401"]);
        Assert.Equal(0, report.Metrics.Handshakes);
    }

    [Fact]
    public async Task Closed_port_is_reported_as_connection_refused()
    {
        var port = UnusedPort();
        var options = Options(new Uri($"ws://127.0.0.1:{port}/ocpp"), stations: 5);

        var report = await LoadRunner.RunAsync(options, TextWriter.Null, CancellationToken.None);

        Assert.Equal(3, report.ExitCode);
        Assert.StartsWith($"connection refused at 127.0.0.1:{port}", report.Message, StringComparison.Ordinal);
    }

    private static LoadGenOptions Options(Uri url, int stations) => new()
    {
        Url = url,
        Stations = stations,
        Password = "pw"u8.ToArray(),
        ConnectRate = 50,
        DurationSeconds = 3,
        HeartbeatIntervalSeconds = 0.5,
        CallTimeoutSeconds = 5,
        ConnectTimeoutSeconds = 5,
    };

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
