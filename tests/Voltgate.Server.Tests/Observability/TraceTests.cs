using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Voltgate.Core.Telemetry;
using Voltgate.Server.Tests.Cluster;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Observability;

/// <summary>
/// A remote command's trace (issue 18, item 3): API call → command → (backplane → the station's node) → station →
/// answer, one trace id throughout, and the log lines of the command carry it. The API call arrives with a W3C
/// traceparent of the test's own, so the spans of this test are told apart from those of tests running in parallel.
/// </summary>
public sealed class TraceTests
{
    [Fact]
    public async Task A_commands_spans_on_one_node_hang_under_the_api_call()
    {
        using var spans = new SpanCollector();
        await using var server = await VoltgateServer.StartAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var (identity, password) = await NewStationAsync(api);
        await using var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
        station.OnServerCall = (_, _) => new JsonObject { ["status"] = "Accepted" };

        var trace = ActivityTraceId.CreateRandom();
        var response = await api.SendAsync(Traced(trace, $"/api/v1/stations/{identity}/commands/Reset", """{"type":"Soft"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mine = await spans.WaitForAsync(trace, s => s.Any(a => a.OperationName == "ocpp.call Reset"));
        var http = Assert.Single(mine, a => a.Source.Name == "Microsoft.AspNetCore");
        var command = Assert.Single(mine, a => a.OperationName == "command Reset");
        var call = Assert.Single(mine, a => a.OperationName == "ocpp.call Reset");
        Assert.Equal(http.SpanId, command.ParentSpanId);
        Assert.Equal(command.SpanId, call.ParentSpanId);
        Assert.Equal("Result", call.GetTagItem("ocpp.outcome"));
        Assert.Equal(identity, call.GetTagItem("ocpp.station"));
        Assert.Contains(server.Logs.TracedLines, l => l.Line.Contains($"Command Reset to station {identity} ended: Result", StringComparison.Ordinal) && l.TraceId == trace.ToHexString());
    }

    [ClusterFact]
    public async Task A_commands_trace_crosses_from_the_api_node_through_redis_to_the_stations_node()
    {
        ClusterEnvironment.Require();
        using var spans = new SpanCollector();
        var database = TestDatabases.PostgresConnectionString();
        var prefix = ClusterEnvironment.NewPrefix();
        string[] cluster = ["--Voltgate:Database:Provider=Postgres", $"--ConnectionStrings:Voltgate={database}",
            $"--Voltgate:Cluster:Redis={ClusterEnvironment.Redis}", $"--Voltgate:Cluster:KeyPrefix={prefix}"];
        await using var a = await VoltgateServer.StartAsync("Sqlite", [.. cluster, "--Voltgate:Cluster:NodeId=trace-a"]);
        await using var b = await VoltgateServer.StartAsync("Sqlite", [.. cluster, "--Voltgate:Cluster:NodeId=trace-b"]);
        using var api = await a.AdminClientAsync();
        var (identity, password) = await NewStationAsync(api);
        // Node B learns of the new station from the database (its directory reloads on the change notice).
        HandshakeResult? connected = null;
        for (var i = 0; i < 50 && connected?.Upgraded != true; i++)
        {
            connected = await TestStation.ConnectAsync(b.AuthEndpoint, identity, password, "ocpp1.6");
            if (!connected.Upgraded)
            {
                await Task.Delay(100);
            }
        }

        await using var station = connected!.Station!;
        station.OnServerCall = (_, _) => new JsonObject { ["status"] = "Accepted" };

        var trace = ActivityTraceId.CreateRandom();
        HttpResponseMessage response;
        var attempts = 0;
        do
        {
            // Node B's claim reaches Redis right after the upgrade; until then A would answer "offline".
            response = await api.SendAsync(Traced(trace, $"/api/v1/stations/{identity}/commands/Reset", """{"type":"Soft"}"""));
        }
        while (response.StatusCode == HttpStatusCode.Conflict && ++attempts < 20 && await Delay());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mine = await spans.WaitForAsync(trace, s => s.Any(x => x.OperationName == "ocpp.call Reset"));
        var command = mine.Last(x => x.OperationName == "command Reset");
        var forward = mine.Last(x => x.OperationName == "cluster.forward Reset");
        var owner = Assert.Single(mine, x => x.OperationName == "cluster.call Reset");
        var call = Assert.Single(mine, x => x.OperationName == "ocpp.call Reset");
        Assert.Equal(command.SpanId, forward.ParentSpanId);
        Assert.Equal(forward.SpanId, owner.ParentSpanId);
        Assert.Equal(owner.SpanId, call.ParentSpanId);
        Assert.Equal("trace-a", forward.GetTagItem(VoltgateTelemetry.NodeTag));
        Assert.Equal("trace-b", owner.GetTagItem(VoltgateTelemetry.NodeTag));
        // The station's node logs the command's end under the caller's trace id.
        Assert.Contains(b.Logs.TracedLines, l => l.Line.Contains($"Command Reset to station {identity} ended: Result", StringComparison.Ordinal) && l.TraceId == trace.ToHexString());
        Assert.DoesNotContain(a.Logs.TracedLines, l => l.Line.Contains($"Command Reset to station {identity} ended", StringComparison.Ordinal));
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(100);
        return true;
    }

    private static HttpRequestMessage Traced(ActivityTraceId trace, string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        return request;
    }

    private static async Task<(string Identity, string Password)> NewStationAsync(HttpClient api)
    {
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        return (identity, password);
    }

    /// <summary>Records every finished span of Voltgate and ASP.NET Core in this process (the listener is process-wide).</summary>
    private sealed class SpanCollector : IDisposable
    {
        private readonly ConcurrentQueue<Activity> _spans = new();
        private readonly ActivityListener _listener;

        public SpanCollector()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name is VoltgateTelemetry.Name or "Microsoft.AspNetCore",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _spans.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public async Task<IReadOnlyList<Activity>> WaitForAsync(ActivityTraceId trace, Func<IReadOnlyList<Activity>, bool> complete)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                var mine = _spans.Where(s => s.TraceId == trace).ToList();
                if (complete(mine) || DateTime.UtcNow > deadline)
                {
                    // The HTTP span ends after the response is written: give it a moment to stop.
                    await Task.Delay(200);
                    return _spans.Where(s => s.TraceId == trace).ToList();
                }

                await Task.Delay(20);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
