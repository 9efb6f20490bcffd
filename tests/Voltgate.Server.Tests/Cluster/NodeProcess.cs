namespace Voltgate.Server.Tests.Cluster;

/// <summary>
/// One Voltgate node as a separate process (<see cref="VoltgateProcess"/>) with its own data directory and node id,
/// a short call timeout and informative logs, for the cluster tests.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    public const string AdminPassword = VoltgateProcess.AdminPassword;

    private readonly VoltgateProcess _process;

    private NodeProcess(string nodeId, VoltgateProcess process)
    {
        NodeId = nodeId;
        _process = process;
    }

    public string NodeId { get; }
    public Uri WebUrl => _process.WebUrl;
    public Uri OcppEndpoint => _process.OcppEndpoint;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public string Output => _process.Output;

    /// <summary>Starts the node; <paramref name="postgres"/> null = its own SQLite file. Does not wait for it.</summary>
    public static NodeProcess Start(string nodeId, string? postgres, IEnumerable<string> clusterArgs)
    {
        var process = new VoltgateProcess($"node {nodeId}", "voltgate-node-", postgres,
        [
            "--Voltgate:Ocpp:CallTimeoutSeconds=5",
            $"--Voltgate:Cluster:NodeId={nodeId}",
            "--Logging:LogLevel:Default=Information",
            "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
            .. clusterArgs,
        ]);
        process.Start();
        return new NodeProcess(nodeId, process);
    }

    /// <summary>Starts the node and waits until it answers /health/live.</summary>
    public static async Task<NodeProcess> StartReadyAsync(string nodeId, string? postgres, IEnumerable<string> clusterArgs)
    {
        var node = Start(nodeId, postgres, clusterArgs);
        await node.WaitReadyAsync();
        return node;
    }

    public Task WaitReadyAsync() => _process.WaitReadyAsync();

    /// <summary>Waits for the process to end by itself; false on timeout.</summary>
    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    /// <summary>Kills the process at once (no shutdown: its registry claims are left to expire).</summary>
    public void Kill() => _process.Kill();

    public Task<HttpClient> AdminClientAsync() => _process.AdminClientAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
