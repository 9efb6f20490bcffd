using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Cluster;

/// <summary>
/// Two nodes as separate processes on one PostgreSQL database and one Redis (own key prefix). Node A starts first
/// (it migrates and bootstraps), then node B.
/// </summary>
public sealed class TwoNodeCluster : IAsyncLifetime
{
    public NodeProcess A { get; private set; } = null!;
    public NodeProcess B { get; private set; } = null!;
    public string Prefix { get; } = ClusterEnvironment.NewPrefix();

    /// <summary>Claim TTL of this cluster; the death test sets it short.</summary>
    public int ClaimTtlSeconds { get; init; } = 30;

    public async Task InitializeAsync()
    {
        if (ClusterEnvironment.Missing(redis: true, postgres: true, redisServer: false) is not null)
        {
            // The tests are skipped (locally) or fail with the reason (CI); nothing to start.
            return;
        }

        await StartAsync(ClusterEnvironment.Redis!);
    }

    public async Task StartAsync(string redis, params string[] extra)
    {
        var database = TestDatabases.PostgresConnectionString();
        string[] args =
        [
            $"--Voltgate:Cluster:Redis={redis}",
            $"--Voltgate:Cluster:KeyPrefix={Prefix}",
            $"--Voltgate:Cluster:ClaimTtlSeconds={ClaimTtlSeconds}",
            .. extra,
        ];
        A = await NodeProcess.StartReadyAsync("node-a-" + Prefix[4..], database, args);
        B = await NodeProcess.StartReadyAsync("node-b-" + Prefix[4..], database, args);
    }

    public async Task DisposeAsync()
    {
        if (B is not null)
        {
            await B.DisposeAsync();
        }

        if (A is not null)
        {
            await A.DisposeAsync();
        }
    }
}
