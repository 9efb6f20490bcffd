using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using StackExchange.Redis;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Cluster;

/// <summary>Redis missing at start (both RequireRedis modes) and Redis lost while running.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RedisFaultTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [ClusterFact(NeedsRedis = false, NeedsPostgres = false)]
    public async Task With_RequireRedis_a_node_refuses_to_start_without_Redis_and_says_why_in_one_line()
    {
        var port = ClusterEnvironment.FreePort();
        await using var node = NodeProcess.Start("lonely", postgres: null,
            [$"--Voltgate:Cluster:Redis=127.0.0.1:{port},connectTimeout=2000", "--Voltgate:Cluster:RequireRedis=true"]);

        Assert.True(await node.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"the node kept running without its required Redis:\n{node.Output}");
        Assert.Equal(1, node.ExitCode);
        var reason = Assert.Single(node.Output.Split('\n'), l => l.StartsWith("Voltgate cannot start:", StringComparison.Ordinal));
        Assert.Contains($"RequireRedis is true and Redis at 127.0.0.1:{port} does not answer", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", node.Output, StringComparison.Ordinal);
    }

    [ClusterFact(NeedsRedis = false, NeedsPostgres = false, NeedsRedisServer = true)]
    public async Task Without_RequireRedis_a_node_starts_alone_with_a_warning_and_joins_when_Redis_answers()
    {
        ClusterEnvironment.Require(redis: false, postgres: false, redisServer: true);
        var port = ClusterEnvironment.FreePort();
        var prefix = ClusterEnvironment.NewPrefix();
        await using var node = await NodeProcess.StartReadyAsync("alone", postgres: null,
            [$"--Voltgate:Cluster:Redis=127.0.0.1:{port},connectTimeout=2000", $"--Voltgate:Cluster:KeyPrefix={prefix}"]);
        var warning = Assert.Single(node.Output.Split('\n'), l => l.StartsWith("Voltgate warning: Redis", StringComparison.Ordinal));
        Assert.Contains($"127.0.0.1:{port} does not answer", warning, StringComparison.Ordinal);

        using var api = await node.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        await using var station = (await TestStation.ConnectAsync(node.OcppEndpoint, identity, password, "ocpp1.6")).Station!;
        station.OnServerCall = (_, _) => new JsonObject { ["status"] = "Accepted" };
        var reset = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/Reset", new { type = "Soft" });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);

        using var redisServer = new RedisServerProcess(port);
        await redisServer.StartAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisServer.Address);
        var stationKeys = await WaitForAsync(async () =>
            redis.GetServers()[0].Keys(pattern: $"{prefix}:station:*").Any() && await redis.GetDatabase().KeyExistsAsync($"{prefix}:node:alone"));
        Assert.True(stationKeys, $"the node did not join the cluster (advertise itself, claim its station) once Redis answered:\n{node.Output}");
    }

    [ClusterFact(NeedsRedis = false, NeedsRedisServer = true)]
    public async Task When_Redis_is_lost_local_stations_keep_working_remote_commands_get_503_and_all_recovers()
    {
        ClusterEnvironment.Require(redis: false, postgres: true, redisServer: true);
        using var redisServer = new RedisServerProcess(ClusterEnvironment.FreePort());
        await redisServer.StartAsync();
        await using var cluster = new TwoNodeCluster();
        await cluster.StartAsync(redisServer.Address);
        using var api = await cluster.A.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var onA = Arrange.NewIdentity();
        var onB = Arrange.NewIdentity();
        await api.StationAsync(onA);
        await api.StationAsync(onB);
        await using var stationA = (await TestStation.ConnectAsync(cluster.A.OcppEndpoint, onA, password, "ocpp1.6")).Station!;
        await using var stationB = (await TestStation.ConnectAsync(cluster.B.OcppEndpoint, onB, password, "ocpp1.6")).Station!;
        stationA.OnServerCall = stationB.OnServerCall = (_, _) => new JsonObject { ["status"] = "Accepted" };
        Assert.Equal(HttpStatusCode.OK, (await ResetAsync(api, onB)).StatusCode);
        // An operator has node A's stations page open: while the backplane is up it says nothing about it.
        await using var browser = await ClusterBrowser.SignInAsync(cluster.A);
        var page = await browser.OpenAsync("/stations");
        var banner = page.Locator(ClusterBrowser.TestId("cluster-local-view"));
        await ClusterBrowser.Expect(page.Locator(ClusterBrowser.TestId("stations-table"))).ToBeVisibleAsync();
        await ClusterBrowser.Expect(banner).ToHaveCountAsync(0);

        redisServer.Stop();
        await Task.Delay(500);
        // The open page says that its view is local now, without a reload.
        await ClusterBrowser.Expect(banner).ToContainTextAsync("Local view", new() { Timeout = 10_000 });
        await ClusterBrowser.Expect(banner).ToContainTextAsync(cluster.A.NodeId);

        Assert.Equal(HttpStatusCode.OK, (await ResetAsync(api, onA)).StatusCode);
        var heartbeat = await stationB.CallAsync("Heartbeat", new { });
        Assert.Equal(3, heartbeat[0]!.GetValue<int>());
        var remote = await ResetAsync(api, onB);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, remote.StatusCode);
        var problem = await remote.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cluster backplane unavailable", problem.GetProperty("title").GetString());
        Assert.False(cluster.A.Output.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase), $"node A logged an unhandled exception:\n{cluster.A.Output}");

        var back = System.Diagnostics.Stopwatch.StartNew();
        await redisServer.StartAsync();
        // Redis came back empty: node B must claim its station again before node A can reach it.
        var recovered = await WaitForAsync(async () => (await ResetAsync(api, onB)).StatusCode == HttpStatusCode.OK);
        Assert.True(recovered, $"commands through node A did not reach node B's station after Redis came back:\n{cluster.A.Output}\n{cluster.B.Output}");
        await ClusterBrowser.Expect(banner).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        // Nothing was lost meanwhile: both stations still show online on node A's page.
        await ClusterBrowser.Expect(page.Locator(ClusterBrowser.TestId("station-state-" + onA))).ToContainTextAsync("Online");
        await ClusterBrowser.Expect(page.Locator(ClusterBrowser.TestId("station-state-" + onB))).ToContainTextAsync("Online");
        output.WriteLine($"Redis loss: local station answered, local command 200, remote command 503 ({problem.GetProperty("title").GetString()}); remote commands back {back.Elapsed.TotalSeconds:0.0} s after Redis returned");
    }

    private static Task<HttpResponseMessage> ResetAsync(HttpClient api, string identity) =>
        api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/Reset", new { type = "Soft" });

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }
}
