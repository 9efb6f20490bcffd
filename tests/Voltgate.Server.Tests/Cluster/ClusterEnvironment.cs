using System.Net;
using System.Net.Sockets;

namespace Voltgate.Server.Tests.Cluster;

/// <summary>
/// What the cluster tests need: a Redis (VOLTGATE_TEST_REDIS=host:port), a PostgreSQL (VOLTGATE_TEST_POSTGRES) and,
/// for the fault tests, the redis-server binary to run a private Redis they may stop. ./scripts/test.sh provides all
/// three. Locally a missing piece skips the test with the reason; with CI=true it fails instead.
/// </summary>
public static class ClusterEnvironment
{
    public static string? Redis => Environment.GetEnvironmentVariable("VOLTGATE_TEST_REDIS") is { Length: > 0 } r ? r : null;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? RedisServerBinary =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "redis-server")).FirstOrDefault(File.Exists);

    public static string? Missing(bool redis, bool postgres, bool redisServer)
    {
        var missing = new List<string>();
        if (redis && Redis is null)
        {
            missing.Add("VOLTGATE_TEST_REDIS (a running Redis, host:port)");
        }

        if (postgres && Environment.GetEnvironmentVariable("VOLTGATE_TEST_POSTGRES") is not { Length: > 0 })
        {
            missing.Add("VOLTGATE_TEST_POSTGRES (a PostgreSQL server)");
        }

        if (redisServer && RedisServerBinary is null)
        {
            missing.Add("redis-server on PATH");
        }

        return missing.Count == 0 ? null : "Cluster test needs " + string.Join(", ", missing) + ": run ./scripts/test.sh, which provides them.";
    }

    /// <summary>Fails the test (CI) with the reason when something is missing; the attribute has skipped it locally already.</summary>
    public static void Require(bool redis = true, bool postgres = true, bool redisServer = false)
    {
        if (Missing(redis, postgres, redisServer) is { } reason)
        {
            Assert.Fail(reason);
        }
    }

    /// <summary>The Voltgate executable the nodes run: VOLTGATE_SERVER_DLL, else the copy built next to the tests.</summary>
    public static string ServerDll =>
        Environment.GetEnvironmentVariable("VOLTGATE_SERVER_DLL") is { Length: > 0 } dll ? dll : Path.Combine(AppContext.BaseDirectory, "Voltgate.Server.dll");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A key prefix of its own per test cluster, so clusters sharing the test Redis never see each other.</summary>
    public static string NewPrefix() => "vgt-" + Guid.NewGuid().ToString("N")[..10];
}

/// <summary>
/// A fact that needs parts of the cluster environment: skipped locally with the reason when they are missing, run
/// (and failing clearly) on CI.
/// </summary>
public sealed class ClusterFactAttribute : FactAttribute
{
    public bool NeedsRedis { get; set; } = true;
    public bool NeedsPostgres { get; set; } = true;
    public bool NeedsRedisServer { get; set; }

    public override string Skip
    {
        get => base.Skip ?? (ClusterEnvironment.IsCi ? null! : ClusterEnvironment.Missing(NeedsRedis, NeedsPostgres, NeedsRedisServer)!);
        set => base.Skip = value;
    }
}

/// <summary>The cluster tests start processes and measure sub-second propagation: they run alone, after the rest.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
