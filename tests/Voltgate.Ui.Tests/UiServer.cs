using System.Net;
using System.Net.Sockets;
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
