using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Voltgate.Server.Tests.Cluster;

/// <summary>
/// Voltgate as a separate process (<c>dotnet Voltgate.Server.dll --Voltgate:…</c>) on free loopback ports with its
/// own data directory, output captured for assertions and for the failure message. It can be killed and started
/// again on the same directory, ports and database (what an operator's supervisor does after a crash); the directory
/// is deleted on dispose.
/// </summary>
public sealed class VoltgateProcess : IAsyncDisposable
{
    public const string AdminPassword = "Admin-Password-For-Tests-1";

    private readonly string _name;
    private readonly string[] _arguments;
    private readonly int _ocppPort;
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <param name="name">How failure messages name it ("node A", "the server").</param>
    /// <param name="directoryPrefix">The start of the temporary data directory's name.</param>
    /// <param name="postgres">Null: its own SQLite file in the data directory.</param>
    /// <param name="arguments">Its own arguments, after the ones every Voltgate child process gets.</param>
    public VoltgateProcess(string name, string directoryPrefix, string? postgres, IEnumerable<string> arguments)
    {
        _name = name;
        DataDirectory = Path.Combine(Path.GetTempPath(), directoryPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        WebUrl = new Uri($"http://127.0.0.1:{ClusterEnvironment.FreePort()}");
        _ocppPort = ClusterEnvironment.FreePort();
        OcppEndpoint = new Uri($"ws://127.0.0.1:{_ocppPort}/ocpp/");
        string[] database = postgres is null ? [] : ["--Voltgate:Database:Provider=Postgres", $"--ConnectionStrings:Voltgate={postgres}"];
        _arguments =
        [
            ClusterEnvironment.ServerDll,
            $"--Voltgate:DataDirectory={DataDirectory}",
            $"--Voltgate:Web:Url={WebUrl}",
            $"--Voltgate:Bootstrap:AdminPassword={AdminPassword}",
            "--Voltgate:Ocpp:Endpoints:default:Variant=privateauth",
            $"--Voltgate:Ocpp:Endpoints:default:Url=http://127.0.0.1:{_ocppPort}",
            "--Voltgate:Ocpp:Endpoints:default:AllowedNetworks:0=127.0.0.0/8",
            .. database,
            .. arguments,
        ];
    }

    public string DataDirectory { get; }

    /// <summary>The SQLite file when no PostgreSQL was given.</summary>
    public string DatabasePath => Path.Combine(DataDirectory, "voltgate.db");

    public Uri WebUrl { get; }
    public Uri OcppEndpoint { get; }
    public bool HasExited => Current.HasExited;
    public int ExitCode => Current.ExitCode;

    /// <summary>The output of every run so far, for assertions and failure messages.</summary>
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

    private Process Current => _process ?? throw new InvalidOperationException($"{_name} was never started.");

    /// <summary>Starts the process (again, after <see cref="Kill"/>); does not wait for it.</summary>
    public void Start()
    {
        var start = ChildProcess.Redirected("dotnet", _arguments, DataDirectory);
        start.Environment["DOTNET_NOLOGO"] = "1";
        _process?.Dispose();
        _process = ChildProcess.Start(start, Append);
    }

    /// <summary>Starts the process (again) and waits until it answers /health/live.</summary>
    public async Task StartAsync()
    {
        Start();
        await WaitReadyAsync();
    }

    public async Task WaitReadyAsync()
    {
        var process = Current;
        using var http = new HttpClient { BaseAddress = WebUrl, Timeout = TimeSpan.FromSeconds(2) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited)
            {
                Assert.Fail($"{_name} exited with {process.ExitCode} before it was ready:\n{Output}");
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

        Assert.Fail($"{_name} was not ready within 90 s:\n{Output}");
    }

    /// <summary>Waits for the process to end by itself; false on timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await Current.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, no goodbye to the stations (a node's registry claims are left to expire).</summary>
    public void Kill()
    {
        if (_process is not null)
        {
            ChildProcess.Kill(_process, entireProcessTree: true);
        }
    }

    public async Task<HttpClient> AdminClientAsync()
    {
        var client = new HttpClient { BaseAddress = WebUrl };
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { tenant = "default", username = "admin", password = AdminPassword });
        Assert.True(response.IsSuccessStatusCode, $"login on {_name} failed: {response.StatusCode}\n{Output}");
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

    private void Append(string line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
