using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Cluster;

/// <summary>What the two-node tests share: a new station with a pool password of its own, and its socket to one node.</summary>
internal static class ClusterStations
{
    public static async Task<(string Identity, string Password)> NewAsync(HttpClient api)
    {
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        return (identity, password);
    }

    public static async Task<TestStation> ConnectAsync(NodeProcess node, string identity, string password)
    {
        var result = await TestStation.ConnectAsync(node.OcppEndpoint, identity, password, "ocpp1.6");
        Assert.True(result.Upgraded, $"{identity} was refused by {node.NodeId}: {result.Status}");
        return result.Station!;
    }
}
