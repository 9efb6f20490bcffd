using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Voltgate.Server.Tests.Cluster;

/// <summary>
/// One Voltgate node as a separate process (<c>dotnet Voltgate.Server.dll --Voltgate:…</c>) on free loopback ports,
/// with its own data directory; output captured for assertions and for the failure message.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    public const string AdminPassword = "Admin-Password-For-Tests-1";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _directory;

    private NodeProcess(string nodeId, Process process, string directory, Uri webUrl, Uri ocpp)
    {
        NodeId = nodeId;
        _process = process;
        _directory = directory;
        WebUrl = webUrl;
        OcppEndpoint = ocpp;
    }

    public string NodeId { get; }
    public Uri WebUrl { get; }
    public Uri OcppEndpoint { get; }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the node; <paramref name="postgres"/> null = its own SQLite file. Does not wait for it.</summary>
    public static NodeProcess Start(string nodeId, string? postgres, IEnumerable<string> clusterArgs)
    {
        var directory = Path.Combine(Path.GetTempPath(), "voltgate-node-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var web = new Uri($"http://127.0.0.1:{ClusterEnvironment.FreePort()}");
        var ocppPort = ClusterEnvironment.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add(ClusterEnvironment.ServerDll);
        foreach (var arg in new[]
        {
            $"--Voltgate:DataDirectory={directory}",
            $"--Voltgate:Web:Url={web}",
            $"--Voltgate:Bootstrap:AdminPassword={AdminPassword}",
            "--Voltgate:Ocpp:Endpoints:default:Variant=privateauth",
            $"--Voltgate:Ocpp:Endpoints:default:Url=http://127.0.0.1:{ocppPort}",
            "--Voltgate:Ocpp:Endpoints:default:AllowedNetworks:0=127.0.0.0/8",
            "--Voltgate:Ocpp:CallTimeoutSeconds=5",
            $"--Voltgate:Cluster:NodeId={nodeId}",
            "--Logging:LogLevel:Default=Information",
            "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
        })
        {
            start.ArgumentList.Add(arg);
        }

        if (postgres is not null)
        {
            start.ArgumentList.Add("--Voltgate:Database:Provider=Postgres");
            start.ArgumentList.Add($"--ConnectionStrings:Voltgate={postgres}");
        }

        foreach (var arg in clusterArgs)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        var process = new Process { StartInfo = start };
        var node = new NodeProcess(nodeId, process, directory, web, new Uri($"ws://127.0.0.1:{ocppPort}/ocpp/"));
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Starts the node and waits until it answers /health/live.</summary>
    public static async Task<NodeProcess> StartReadyAsync(string nodeId, string? postgres, IEnumerable<string> clusterArgs)
    {
        var node = Start(nodeId, postgres, clusterArgs);
        await node.WaitReadyAsync();
        return node;
    }

    public async Task WaitReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = WebUrl, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_process.HasExited)
            {
                Assert.Fail($"node {NodeId} exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                if ((await http.GetAsync(new Uri("/health/live", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        Assert.Fail($"node {NodeId} was not ready within 90 s:\n{Output}");
    }

    /// <summary>Waits for the process to end by itself; false on timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Kills the process at once (no shutdown: its registry claims are left to expire).</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public async Task<HttpClient> AdminClientAsync()
    {
        var client = new HttpClient { BaseAddress = WebUrl };
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { tenant = "default", username = "admin", password = AdminPassword });
        Assert.True(response.IsSuccessStatusCode, $"login on {NodeId} failed: {response.StatusCode}\n{Output}");
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }

        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
