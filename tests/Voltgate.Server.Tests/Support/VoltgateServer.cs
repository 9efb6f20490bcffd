using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;
using Voltgate.Server.Hosting;
using Voltgate.Server.Ocpp.FrontDoor;

namespace Voltgate.Server.Tests.Support;

/// <summary>
/// A real Voltgate process in-process: Kestrel on free loopback ports, a temporary data directory, SQLite or
/// PostgreSQL. Endpoints: "auth" (privateauth, ws), "open" (private, ws, 127.0.0.1/32 only), "public" (wss,
/// self-signed certificate made here).
/// </summary>
public sealed class VoltgateServer : IAsyncDisposable
{
    public const string AdminPassword = "Admin-Password-For-Tests-1";

    private readonly string _directory;
    private WebApplication? _app;

    private VoltgateServer(string provider)
    {
        Provider = provider;
        _directory = Path.Combine(Path.GetTempPath(), "voltgate-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    public string Provider { get; }
    public Uri WebUrl { get; private set; } = null!;
    public Uri AuthEndpoint { get; private set; } = null!;
    public Uri OpenEndpoint { get; private set; } = null!;
    public Uri PublicEndpoint { get; private set; } = null!;
    public IServiceProvider Services => _app!.Services;
    public CapturingLoggerProvider Logs { get; } = new();
    public string DatabasePath => Path.Combine(_directory, "voltgate.db");

    public static Task<VoltgateServer> StartAsync(string provider, params string[] extraArgs) => StartAsync(provider, webTls: false, extraArgs);

    /// <summary>As <see cref="StartAsync(string, string[])"/>, with the web UI and API on https:// (the same self-signed certificate).</summary>
    public static Task<VoltgateServer> StartWebTlsAsync(string provider, params string[] extraArgs) => StartAsync(provider, webTls: true, extraArgs);

    private bool _webTls;

    private static Task<VoltgateServer> StartAsync(string provider, bool webTls, string[] extraArgs) =>
        PortRetry.StartAsync(async () =>
        {
            var server = new VoltgateServer(provider) { _webTls = webTls };
            try
            {
                await server.StartCoreAsync(extraArgs);
                return server;
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        });

    private async Task StartCoreAsync(string[] extraArgs)
    {
        var web = FreePort();
        var auth = FreePort();
        var open = FreePort();
        var pub = FreePort();
        WebUrl = new Uri($"{(_webTls ? "https" : "http")}://127.0.0.1:{web}");
        AuthEndpoint = new Uri($"ws://127.0.0.1:{auth}/ocpp/");
        OpenEndpoint = new Uri($"ws://127.0.0.1:{open}/ocpp/");
        PublicEndpoint = new Uri($"wss://127.0.0.1:{pub}/ocpp/");
        var pfx = Path.Combine(_directory, "server.pfx");
        await File.WriteAllBytesAsync(pfx, SelfSignedCertificate());
        var args = new List<string>
        {
            $"--Voltgate:DataDirectory={_directory}",
            $"--Voltgate:Web:Url={WebUrl}",
            $"--Voltgate:Bootstrap:AdminPassword={AdminPassword}",
            "--Voltgate:Ocpp:Endpoints:default:Variant=privateauth",
            $"--Voltgate:Ocpp:Endpoints:default:Url=http://127.0.0.1:{auth}",
            "--Voltgate:Ocpp:Endpoints:default:AllowedNetworks:0=127.0.0.0/8",
            "--Voltgate:Ocpp:Endpoints:open:Variant=private",
            $"--Voltgate:Ocpp:Endpoints:open:Url=http://127.0.0.1:{open}",
            "--Voltgate:Ocpp:Endpoints:open:AllowedNetworks:0=127.0.0.1/32",
            "--Voltgate:Ocpp:Endpoints:public:Variant=public",
            $"--Voltgate:Ocpp:Endpoints:public:Url=https://127.0.0.1:{pub}",
            $"--Voltgate:Ocpp:Endpoints:public:Certificate:Path={pfx}",
            "--Voltgate:Ocpp:Endpoints:public:Certificate:Password=test",
            "--Voltgate:Ocpp:MaxFrameBytes=8192",
            "--Voltgate:Ocpp:CallTimeoutSeconds=2",
            "--Logging:LogLevel:Default=Information",
            // Tests run the retention cleanup themselves (RetentionCleaner.RunOnceAsync); a background run would race them.
            "--Voltgate:Retention:IntervalMinutes=0",
        };
        if (_webTls)
        {
            args.AddRange([$"--Voltgate:Web:Certificate:Path={pfx}", "--Voltgate:Web:Certificate:Password=test"]);
        }

        if (Provider == "Postgres")
        {
            args.Add("--Voltgate:Database:Provider=Postgres");
            args.Add($"--ConnectionStrings:Voltgate={TestDatabases.PostgresConnectionString()}");
        }

        args.AddRange(extraArgs);
        _app = await VoltgateHost.BuildAsync([.. args], b => b.Logging.AddProvider(Logs));
        await _app.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            try
            {
                await _app.StopAsync();
            }
            catch (InvalidOperationException)
            {
                // It never started (e.g. its port was taken); there is nothing to stop.
            }

            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is cleaned by the OS.
        }
    }

    /// <summary>An API client signed in as the admin of the given tenant (default: "default").</summary>
    public async Task<HttpClient> AdminClientAsync(string tenant = Tenant.DefaultSlug, string password = AdminPassword, string username = "admin")
    {
        var client = new HttpClient { BaseAddress = WebUrl };
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { tenant, username, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Creates a fresh tenant (own settings, pool and stations) so a test can change settings in isolation.</summary>
    public async Task<string> CreateTenantAsync()
    {
        var slug = "t" + Guid.NewGuid().ToString("N")[..12];
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TenantProvisioner>().CreateAsync(slug, slug, AdminPassword, CancellationToken.None);
        return slug;
    }

    /// <summary>Waits until the batched front-door records (attempts, usage) are in the database.</summary>
    public Task FlushAsync() => Services.GetRequiredService<FrontDoorRecorder>().FlushAsync(CancellationToken.None);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A self-signed localhost/127.0.0.1 certificate with its key, as a PFX with the password "test".</summary>
    public static byte[] SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        return certificate.Export(X509ContentType.Pfx, "test");
    }
}
