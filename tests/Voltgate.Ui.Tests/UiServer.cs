using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Voltgate.Server.Hosting;

namespace Voltgate.Ui.Tests;

/// <summary>
/// The real Voltgate server in-process on free loopback ports with a temp SQLite data directory. A test class that
/// needs other configuration derives from it and adds <see cref="ExtraArguments"/>.
/// </summary>
public class UiServer : IAsyncLifetime
{
    public const string AdminPassword = "Admin-Password-1";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vg-ui-" + Guid.NewGuid().ToString("N")[..8]);
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The privateauth OCPP endpoint, ws://127.0.0.1:port/ocpp/.</summary>
    public Uri OcppEndpoint { get; private set; } = null!;

    /// <summary>More command-line configuration (<c>--Key=Value</c>), after the defaults, so it can override them.</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        var web = FreePort();
        var ocpp = FreePort();
        _app = await VoltgateHost.BuildAsync(
        [
            $"--Voltgate:DataDirectory={_dir}",
            $"--Voltgate:Web:Url=http://127.0.0.1:{web}",
            "--Voltgate:Ocpp:Endpoints:default:Variant=privateauth",
            $"--Voltgate:Ocpp:Endpoints:default:Url=http://127.0.0.1:{ocpp}",
            "--Voltgate:Ocpp:Endpoints:default:AllowedNetworks:0=127.0.0.0/8",
            $"--Voltgate:Bootstrap:AdminPassword={AdminPassword}",
            "--Logging:LogLevel:Default=Warning",
            .. ExtraArguments,
        ]);
        await _app.StartAsync();
        BaseAddress = new Uri($"http://127.0.0.1:{web}");
        OcppEndpoint = new Uri($"ws://127.0.0.1:{ocpp}/ocpp/");
    }

    /// <summary>An API client signed in as the bootstrap admin of tenant <c>default</c> (bearer token).</summary>
    public async Task<HttpClient> AdminApiAsync()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { tenant = "default", username = "admin", password = AdminPassword });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>POSTs and insists on a success status (the failure message names the path, status and body).</summary>
    public static async Task<JsonElement> PostOkAsync(HttpClient api, string path, object body)
    {
        var response = await api.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
