using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Voltgate.Server.Tests.Support;
using static Voltgate.Server.Tests.Rotation.RotationHelpers;

namespace Voltgate.Server.Tests.Cluster;

/// <summary>
/// A rotation on two nodes (PostgreSQL + Redis): the engine runs on one node only (row lease), each push reaches the
/// node holding the station's socket, and both nodes' APIs show the same progress.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RotationClusterTests(TwoNodeCluster cluster) : IClassFixture<TwoNodeCluster>
{
    [ClusterFact]
    public async Task A_rotation_runs_once_reaches_stations_on_both_nodes_and_shows_the_same_progress_everywhere()
    {
        ClusterEnvironment.Require();
        using var apiA = await cluster.A.AdminClientAsync();
        using var apiB = await cluster.B.AdminClientAsync();
        var old = Arrange.RandomPassword();
        await apiA.PasswordAsync(old);
        var (onA, onB) = (Arrange.NewIdentity(), Arrange.NewIdentity());
        await apiA.StationAsync(onA);
        await apiA.StationAsync(onB);
        var stationA = await ConnectAsync(cluster.A, onA, old);
        var stationB = await ConnectAsync(cluster.B, onB, old);
        var keys = new Dictionary<string, TaskCompletionSource<string>>
        {
            [onA] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            [onB] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        foreach (var (identity, station) in new[] { (onA, stationA), (onB, stationB) })
        {
            station.OnServerCall = (action, payload) =>
            {
                if (action == "ChangeConfiguration" && payload?["key"]?.GetValue<string>() == "AuthorizationKey")
                {
                    keys[identity].TrySetResult(payload["value"]!.GetValue<string>());
                    return new JsonObject { ["status"] = "Accepted" };
                }

                return new JsonObject { ["status"] = "Accepted" };
            };
        }

        // Created through node B; whichever node holds the lease sends, through the node with the socket.
        var id = await CreateAsync(apiB, new { source = new { stationIdentities = new[] { onA, onB } }, target = new { generate = new { length = 40 } } });
        var keyA = await keys[onA].Task.WaitAsync(TimeSpan.FromSeconds(30));
        var keyB = await keys[onB].Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(keyA, keyB);
        await WaitForAsync(apiA, id, onA, "Accepted");
        await WaitForAsync(apiB, id, onB, "Accepted");

        // Several engine ticks later still exactly one push per station: one engine in the cluster.
        await Task.Delay(3000);
        Assert.Single(stationA.ServerCalls, c => c.Action == "ChangeConfiguration");
        Assert.Single(stationB.ServerCalls, c => c.Action == "ChangeConfiguration");

        // Both come back on the other node with the new password (decoded bytes).
        await stationA.DisposeAsync();
        await stationB.DisposeAsync();
        var backA = await TestStation.ConnectWithHeaderAsync(cluster.B.OcppEndpoint, onA, TestStation.BasicHeader(onA, Convert.FromHexString(keyA)), ["ocpp1.6"]);
        var backB = await TestStation.ConnectWithHeaderAsync(cluster.A.OcppEndpoint, onB, TestStation.BasicHeader(onB, Convert.FromHexString(keyB)), ["ocpp1.6"]);
        Assert.True(backA.Upgraded && backB.Upgraded, $"the new password was refused: {backA.Status} {backB.Status}");
        await using var _a = backA.Station!;
        await using var _b = backB.Station!;
        await WaitForAsync(apiA, id, onA, "Done", seconds: 60);
        await WaitForAsync(apiA, id, onB, "Done", seconds: 60);

        // Completed comes in the engine tick after the last Done; then nothing changes any more and both nodes must agree.
        var viaA = await apiA.GetFromJsonAsync<JsonElement>($"{RotationsPath}/{id}");
        for (var i = 0; i < 50 && viaA.GetProperty("state").GetString() != "Completed"; i++)
        {
            await Task.Delay(200);
            viaA = await apiA.GetFromJsonAsync<JsonElement>($"{RotationsPath}/{id}");
        }

        var viaB = await apiB.GetFromJsonAsync<JsonElement>($"{RotationsPath}/{id}");
        Assert.Equal(viaA.ToString(), viaB.ToString());
        Assert.Equal(2, viaB.GetProperty("counts").GetProperty("done").GetInt32());
        Assert.Equal("Completed", viaB.GetProperty("state").GetString());
    }

    private static async Task<TestStation> ConnectAsync(NodeProcess node, string identity, string password)
    {
        var result = await TestStation.ConnectAsync(node.OcppEndpoint, identity, password, "ocpp1.6");
        Assert.True(result.Upgraded, $"{identity} was refused by {node.NodeId}: {result.Status}");
        return result.Station!;
    }
}
