using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Observability;

/// <summary>
/// OTLP export when configured (issue 18, item 3): a stand-in collector on a free port receives Voltgate's metrics
/// at /v1/metrics and a command's spans at /v1/traces (OTLP over HTTP, protobuf; names travel as plain bytes).
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task With_an_otlp_endpoint_metrics_and_a_commands_spans_reach_the_collector()
    {
        using var collector = new FakeCollector();
        await using var server = await VoltgateServer.StartAsync("Sqlite",
            $"--Voltgate:Telemetry:OtlpEndpoint={collector.Url}", "--Voltgate:Telemetry:OtlpProtocol=HttpProtobuf",
            "--Voltgate:Telemetry:MetricExportIntervalSeconds=1");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        await using var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
        await station.CallOkAsync("Heartbeat", new { });
        station.OnServerCall = (_, _) => new JsonObject { ["status"] = "Accepted" };
        (await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/Reset", new { type = "Soft" })).EnsureSuccessStatusCode();

        // Spans are sent in batches every 5 s, metrics every second here.
        Assert.True(await collector.WaitForAsync("/v1/metrics", "voltgate.ocpp.calls", TimeSpan.FromSeconds(30)), "no metrics export with voltgate.ocpp.calls");
        Assert.True(await collector.WaitForAsync("/v1/traces", "ocpp.call Reset", TimeSpan.FromSeconds(30)), "no trace export with the command's ocpp.call span");
        Assert.True(collector.Received("/v1/traces", "command Reset"));
        // The station's upgrade request is no API call: it is never exported. (Only this test's station is looked for:
        // the tracer listens process-wide, so it also exports spans of servers other tests run in this process.)
        Assert.False(collector.Received("/v1/traces", "/ocpp/" + identity));
    }

    /// <summary>Answers every POST with 200 and keeps the bodies per path.</summary>
    private sealed class FakeCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<(string Path, byte[] Body)> _bodies = new();
        private readonly Task _loop;

        public FakeCollector()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _loop = Task.Run(RunAsync);
        }

        public string Url { get; }

        public bool Received(string path, string text) =>
            _bodies.Any(b => b.Path == path && Encoding.UTF8.GetString(b.Body).Contains(text, StringComparison.Ordinal));

        public async Task<bool> WaitForAsync(string path, string text, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                if (Received(path, text))
                {
                    return true;
                }

                await Task.Delay(100);
            }

            return false;
        }

        private async Task RunAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                _bodies.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
