using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Cluster;

/// <summary>
/// Two nodes, a station on node B, the operator on node A (issue 18 "Done when"): the station page's message log on
/// node A shows node B's frames and tails them live, and a hard reset through node A that node B's station never
/// answers is told apart from a station that is offline.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TwoNodeHistoryAndCommandTests(TwoNodeCluster cluster, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<TwoNodeCluster>
{
    /// <summary>A bound on waiting, not a speed requirement: the history is written in batches and the tab polls once a second.</summary>
    private const float TailTimeoutMs = 10_000;

    [ClusterFact]
    public async Task The_message_log_on_a_page_served_by_node_A_lists_and_tails_the_frames_of_a_station_on_node_B()
    {
        ClusterEnvironment.Require();
        using var api = await cluster.A.AdminClientAsync();
        var (identity, password) = await ClusterStations.NewAsync(api);
        await using var station = await ClusterStations.ConnectAsync(cluster.B, identity, password);
        await station.CallOkAsync("BootNotification", new { chargePointVendor = "KEBA", chargePointModel = "P30" });
        await station.CallOkAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Available" });

        await using var browser = await ClusterBrowser.SignInAsync(cluster.A);
        var page = await browser.OpenAsync("/stations/" + identity);
        await ClusterBrowser.Expect(page.Locator(ClusterBrowser.TestId("station-title"))).ToHaveTextAsync(identity);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Message log" }).ClickAsync();
        var log = page.Locator(ClusterBrowser.TestId("message-log"));

        // 1. What the station exchanged with node B — its CALLs in and node B's answers out — is listed on node A.
        await ClusterBrowser.Expect(log).ToContainTextAsync("Call BootNotification", new() { Timeout = TailTimeoutMs });
        await ClusterBrowser.Expect(log).ToContainTextAsync("CallResult BootNotification");
        await ClusterBrowser.Expect(log).ToContainTextAsync("Call StatusNotification");
        await ClusterBrowser.Expect(log).ToContainTextAsync("→ CSMS");
        await ClusterBrowser.Expect(log).ToContainTextAsync("← CSMS");

        // 2. Live tail is on by default: a frame the station sends to node B now appears without a reload.
        await ClusterBrowser.Expect(page.Locator(ClusterBrowser.Input("message-log-live"))).ToBeCheckedAsync();
        var messageId = "tail-" + Guid.NewGuid().ToString("N")[..8];
        var sentAt = Stopwatch.StartNew();
        var answer = await station.SendRawAndReceiveAsync($"[2,\"{messageId}\",\"Heartbeat\",{{}}]", messageId);
        Assert.Equal(3, answer[0]!.GetValue<int>());
        await ClusterBrowser.Expect(log).ToContainTextAsync(messageId, new() { Timeout = TailTimeoutMs });
        output.WriteLine($"a frame on node B showed in node A's message log after {sentAt.ElapsedMilliseconds} ms (history batches of 200 ms, a poll a second)");
    }

    [ClusterFact]
    public async Task A_hard_reset_through_node_A_that_closes_the_socket_on_node_B_before_answering_is_504_closed_before_answer_and_then_409_offline()
    {
        ClusterEnvironment.Require();
        using var api = await cluster.A.AdminClientAsync();
        var (identity, password) = await ClusterStations.NewAsync(api);
        var station = await ClusterStations.ConnectAsync(cluster.B, identity, password);
        await using var connected = station;
        station.OnServerCall = (_, _) =>
        {
            // Like a real charger: it reboots at once and never answers the Reset.
            _ = Task.Run(station.AbortAsync);
            return null;
        };

        var reset = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/Reset", new { type = "Hard" });

        var problem = await reset.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(reset.StatusCode == HttpStatusCode.GatewayTimeout, $"{reset.StatusCode}: {problem}");
        Assert.Equal("urn:voltgate:problem:connection-closed-before-answer", problem.GetProperty("type").GetString());
        Assert.Equal("ConnectionClosedBeforeAnswer", problem.GetProperty("code").GetString());
        Assert.Equal("Reset", Assert.Single(station.ServerCalls).Action); // it did reach the station, through node B

        // Now no node holds the station: the next command is refused before anything is sent, as offline.
        HttpResponseMessage? again = null;
        for (var tries = 0; tries < 50; tries++)
        {
            again = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/Reset", new { type = "Hard" });
            if (again.StatusCode == HttpStatusCode.Conflict)
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Equal(HttpStatusCode.Conflict, again!.StatusCode);
        var offline = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("urn:voltgate:problem:station-offline", offline.GetProperty("type").GetString());
        Assert.Equal("StationOffline", offline.GetProperty("code").GetString());
        Assert.Single(station.ServerCalls);

        // A station that never connected to any node: 409 offline through either node, nothing sent.
        using var apiB = await cluster.B.AdminClientAsync();
        var (never, _) = await ClusterStations.NewAsync(api);
        foreach (var client in new[] { api, apiB })
        {
            var response = await client.PostAsJsonAsync($"/api/v1/stations/{never}/commands/Reset", new { type = "Hard" });
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("urn:voltgate:problem:station-offline", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        }
    }
}
