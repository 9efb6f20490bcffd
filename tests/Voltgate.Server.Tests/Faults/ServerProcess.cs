using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Voltgate.Server.Tests.Cluster;

namespace Voltgate.Server.Tests.Faults;

/// <summary>
/// Voltgate as a separate process that can be killed with SIGKILL and started again on the same data directory,
/// ports and database: what an operator's supervisor does after a crash.
/// </summary>
/// <remarks>
/// <see cref="NodeProcess"/> makes a new directory per start; a crash test needs the directory (the SQLite file)
/// to outlive the process.
/// </remarks>
internal sealed class ServerProcess : IAsyncDisposable
{
    public const string AdminPassword = "Admin-Password-For-Tests-1";

    private readonly string? _postgres;
    private readonly int _ocppPort = ClusterEnvironment.FreePort();
    private readonly StringBuilder _output = new();
    private Process? _process;

    public ServerProcess(string? postgres)
    {
        _postgres = postgres;
        Directory.CreateDirectory(DataDirectory);
        WebUrl = new Uri($"http://127.0.0.1:{ClusterEnvironment.FreePort()}");
        OcppEndpoint = new Uri($"ws://127.0.0.1:{_ocppPort}/ocpp/");
    }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "voltgate-kill-" + Guid.NewGuid().ToString("N"));
    public string DatabasePath => Path.Combine(DataDirectory, "voltgate.db");
    public Uri WebUrl { get; }
    public Uri OcppEndpoint { get; }

    /// <summary>The output of every run so far, for failure messages.</summary>
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

    /// <summary>Starts the process (again) and waits until it answers /health/live.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataDirectory,
        };
        start.ArgumentList.Add(ClusterEnvironment.ServerDll);
        foreach (var arg in new[]
        {
            $"--Voltgate:DataDirectory={DataDirectory}",
            $"--Voltgate:Web:Url={WebUrl}",
            $"--Voltgate:Bootstrap:AdminPassword={AdminPassword}",
            "--Voltgate:Ocpp:Endpoints:default:Variant=privateauth",
            $"--Voltgate:Ocpp:Endpoints:default:Url=http://127.0.0.1:{_ocppPort}",
            "--Voltgate:Ocpp:Endpoints:default:AllowedNetworks:0=127.0.0.0/8",
            "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(arg);
        }

        if (_postgres is not null)
        {
            start.ArgumentList.Add("--Voltgate:Database:Provider=Postgres");
            start.ArgumentList.Add($"--ConnectionStrings:Voltgate={_postgres}");
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        _process?.Dispose();
        var process = _process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = WebUrl, Timeout = TimeSpan.FromSeconds(2) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(90))
        {
            Assert.False(process.HasExited, $"the server exited with {(process.HasExited ? process.ExitCode : 0)} before it was ready:\n{Output}");
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

        Assert.Fail($"the server was not ready within 90 s:\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown, no flush, no goodbye to the stations.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public async Task<HttpClient> AdminClientAsync()
    {
        var client = new HttpClient { BaseAddress = WebUrl };
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { tenant = "default", username = "admin", password = AdminPassword });
        Assert.True(response.IsSuccessStatusCode, $"login failed: {response.StatusCode}\n{Output}");
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
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
