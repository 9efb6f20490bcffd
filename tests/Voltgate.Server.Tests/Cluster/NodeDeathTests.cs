using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StackExchange.Redis;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Cluster;

/// <summary>A node that dies without a word: its stations are freed when their claims expire.</summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeDeathTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int TtlSeconds = 3;

    [ClusterFact]
    public async Task A_killed_node_frees_its_stations_after_the_claim_TTL()
    {
        ClusterEnvironment.Require();
        await using var cluster = new TwoNodeCluster { ClaimTtlSeconds = TtlSeconds };
        await cluster.StartAsync(ClusterEnvironment.Redis!);
        using var api = await cluster.A.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var connected = await TestStation.ConnectAsync(cluster.B.OcppEndpoint, identity, password, "ocpp1.6");
        await using var station = connected.Station!;
        Assert.True(await OnlineAsync(api, identity), "node A must see the station on node B");
        // An operator watches node A's stations list while node B dies.
        await using var browser = await ClusterBrowser.SignInAsync(cluster.A);
        var list = await browser.OpenAsync("/stations");
        await list.Locator(ClusterBrowser.Input("stations-search")).First.FillAsync(identity);
        var state = list.Locator(ClusterBrowser.TestId("station-state-" + identity));
        await ClusterBrowser.Expect(state).ToContainTextAsync("Online");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(ClusterEnvironment.Redis!);
        var nodeKey = $"{cluster.Prefix}:node:{cluster.B.NodeId}";
        Assert.True(await redis.GetDatabase().KeyExistsAsync(nodeKey), "node B must advertise itself");

        // Let a refresh happen first, so the claim has been extended at least once before B dies.
        await Task.Delay(TimeSpan.FromSeconds(TtlSeconds / 2.0));
        cluster.B.Kill();
        var killed = Stopwatch.StartNew();
        var offlineNow = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/Reset", new { type = "Soft" });
        Assert.Equal(HttpStatusCode.Conflict, offlineNow.StatusCode);

        while (await OnlineAsync(api, identity))
        {
            Assert.True(killed.Elapsed < TimeSpan.FromSeconds(TtlSeconds + 3), $"the claim of the killed node outlived its TTL of {TtlSeconds} s");
            await Task.Delay(200);
        }

        // Nobody is left to say the station went away: node A notices the stale heartbeat and updates its page itself.
        await ClusterBrowser.Expect(state).ToContainTextAsync("Offline", new() { Timeout = (TtlSeconds + 5) * 1000 });
        var pageOffline = killed.Elapsed;
        Assert.Equal(0, (await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations?online=true&search={identity}")).GetProperty("total").GetInt32());
        output.WriteLine($"node death: node A's open stations page showed the station offline {pageOffline.TotalSeconds:0.0} s after the kill, without a reload");
        output.WriteLine($"node death: station freed {killed.Elapsed.TotalSeconds:0.0} s after the kill (claim TTL {TtlSeconds} s); commands meanwhile answered 409");
        Assert.False(await redis.GetDatabase().KeyExistsAsync(nodeKey), "the killed node's entry must expire with its claims");
        Assert.True(killed.Elapsed > TimeSpan.FromSeconds(0.5), "the claim should live until its TTL runs out, not vanish at once");
    }

    private static async Task<bool> OnlineAsync(HttpClient api, string identity) =>
        (await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}")).GetProperty("connection").GetProperty("online").GetBoolean();
}
