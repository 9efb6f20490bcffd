using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Data;
using Voltgate.Core.OcppSecurity;
using Voltgate.Server.Hosting;
using Voltgate.Server.Ocpp.FrontDoor;
using Voltgate.Server.Tests.Support;
using Xunit.Abstractions;

namespace Voltgate.Server.Tests.Hosting;

/// <summary>
/// The web tier's hardening (docs/security.md): security headers on every response, HSTS only over TLS, a real TLS
/// listener for an https:// web URL (or a refusal to start), forwarded headers only when asked, and the Data
/// Protection key ring encrypted at rest when a certificate is configured.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WebHardeningTests(ServerPool pool, ITestOutputHelper output)
{
    private static readonly string[] Headers = ["Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy"];

    /// <summary>A page, the login page, an API answer, a 401, a 404, a static file, health and the API reference.</summary>
    private static readonly string[] Paths =
    [
        "/", "/account/login", "/api/v1/stations", "/api/v1/no-such-thing", "/no-such-page", "/health", "/health/live",
        "/_framework/blazor.web.js", "/api/reference/", "/openapi/v1.json",
    ];

    private static async Task<(int Responses, int WithAllHeaders)> CheckHeadersAsync(HttpClient client, bool tls, ITestOutputHelper output)
    {
        var withAll = 0;
        foreach (var path in Paths)
        {
            using var response = await client.GetAsync(path);
            var missing = Headers.Where(h => !response.Headers.Contains(h)).ToList();
            Assert.True(missing.Count == 0, $"{path} ({(int)response.StatusCode}) lacks {string.Join(", ", missing)}");
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal(tls, response.Headers.Contains("Strict-Transport-Security"));
            output.WriteLine($"{(int)response.StatusCode} {path}: headers present");
            withAll++;
        }

        return (Paths.Length, withAll);
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers_and_no_HSTS_over_plain_HTTP()
    {
        var server = await pool.GetAsync("Sqlite");
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.WebUrl };

        var (responses, withAll) = await CheckHeadersAsync(anonymous, tls: false, output);

        using var api = await server.AdminClientAsync();
        using var answered = await api.GetAsync("/api/v1/stations");
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.True(answered.Headers.Contains("Content-Security-Policy"));
        output.WriteLine($"security headers: present on {withAll} of {responses} responses (plain HTTP, no HSTS)");
    }

    [Fact]
    public async Task An_https_web_url_serves_TLS_with_HSTS_and_refuses_plain_HTTP()
    {
        await using var server = await VoltgateServer.StartWebTlsAsync("Sqlite");
        X509Certificate2? seen = null;
        using var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                seen = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.RawData);
                return certificate is not null;
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = server.WebUrl };

        var (responses, withAll) = await CheckHeadersAsync(client, tls: true, output);

        Assert.Equal("https", server.WebUrl.Scheme);
        Assert.Equal("CN=localhost", seen?.Subject);
        Assert.Equal(SecurityHeaders.StrictTransportSecurity, (await client.GetAsync("/health")).Headers.GetValues("Strict-Transport-Security").Single());
        using var plain = new HttpClient { BaseAddress = new UriBuilder(server.WebUrl) { Scheme = "http" }.Uri, Timeout = TimeSpan.FromSeconds(10) };
        var refused = await Record.ExceptionAsync(() => plain.GetAsync("/health"));
        Assert.True(refused is HttpRequestException or IOException, $"plain HTTP on the TLS port must fail, got {refused?.GetType().Name ?? "an answer"}");
        output.WriteLine($"security headers: present on {withAll} of {responses} responses (TLS, with HSTS)");
    }

    public static TheoryData<string, string[], string> Refused => new()
    {
        { "https without certificate", ["--Voltgate:Web:Url=https://127.0.0.1:5997"], "Voltgate:Web:Url is https:// but Voltgate:Web:Certificate:Path is not set" },
        { "missing web certificate", ["--Voltgate:Web:Url=https://127.0.0.1:5997", "--Voltgate:Web:Certificate:Path=/nonexistent/web.pfx"], "Voltgate:Web:Certificate:Path '/nonexistent/web.pfx' does not exist." },
        { "wrong web certificate password", ["--Voltgate:Web:Url=https://127.0.0.1:5997", "--Voltgate:Web:Certificate:Path={pfx}", "--Voltgate:Web:Certificate:Password=wrong"], "Voltgate:Web: the certificate could not be loaded" },
        { "bad proxy address", ["--Voltgate:Web:ForwardedHeaders:Enabled=true", "--Voltgate:Web:ForwardedHeaders:KnownProxies:0=proxy.local"], "KnownProxies: 'proxy.local' is not an IP address." },
        { "bad proxy network", ["--Voltgate:Web:ForwardedHeaders:Enabled=true", "--Voltgate:Web:ForwardedHeaders:KnownNetworks:0=10.0.0.0/40"], "KnownNetworks: '10.0.0.0/40' is not a CIDR network" },
        { "missing key ring certificate", ["--Voltgate:DataProtection:Certificate:Path=/nonexistent/dp.pfx"], "Voltgate:DataProtection:Certificate:Path '/nonexistent/dp.pfx' does not exist." },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_bad_web_configuration_refuses_to_start_with_a_one_line_reason(string why, string[] settings, string reason)
    {
        var directory = Path.Combine(Path.GetTempPath(), "voltgate-web-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var pfx = Path.Combine(directory, "web.pfx");
        await File.WriteAllBytesAsync(pfx, VoltgateServer.SelfSignedCertificate());
        string[] args = [$"--Voltgate:DataDirectory={directory}", "--Voltgate:Web:Url=http://127.0.0.1:5997", .. settings.Select(s => s.Replace("{pfx}", pfx, StringComparison.Ordinal))];

        var error = await Assert.ThrowsAsync<OcppConfigurationException>(() => VoltgateHost.BuildAsync(args));

        Assert.True(error.Message.Contains(reason, StringComparison.Ordinal), $"{why}: {error.Message}");
        Assert.DoesNotContain('\n', error.Message);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Forwarded_headers_are_ignored_unless_enabled_and_then_trusted_from_the_known_proxy_only()
    {
        var off = await pool.GetAsync("Sqlite");
        await using var on = await VoltgateServer.StartAsync("Sqlite", "--Voltgate:Web:ForwardedHeaders:Enabled=true", "--Voltgate:Web:ForwardedHeaders:KnownProxies:0=127.0.0.1");
        await using var elsewhere = await VoltgateServer.StartAsync("Sqlite", "--Voltgate:Web:ForwardedHeaders:Enabled=true", "--Voltgate:Web:ForwardedHeaders:KnownNetworks:0=10.0.0.0/8");

        Assert.False(await HstsBehindProxyAsync(off), "forwarded headers are off by default");
        Assert.True(await HstsBehindProxyAsync(on), "the known proxy's X-Forwarded-Proto: https counts as TLS");
        Assert.False(await HstsBehindProxyAsync(elsewhere), "a proxy outside KnownNetworks is not believed");
    }

    /// <summary>Whether a request that says it came over https at the proxy is treated as TLS (HSTS only then).</summary>
    private static async Task<bool> HstsBehindProxyAsync(VoltgateServer server)
    {
        using var client = new HttpClient { BaseAddress = server.WebUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var response = await client.SendAsync(request);
        return response.Headers.Contains("Strict-Transport-Security");
    }

    [Fact]
    public async Task The_key_ring_is_stored_encrypted_with_the_configured_certificate_and_still_opens_secrets()
    {
        var directory = Path.Combine(Path.GetTempPath(), "voltgate-dp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var pfx = Path.Combine(directory, "keyring.pfx");
        await File.WriteAllBytesAsync(pfx, VoltgateServer.SelfSignedCertificate());
        await using var server = await VoltgateServer.StartAsync("Sqlite", $"--Voltgate:DataProtection:Certificate:Path={pfx}", "--Voltgate:DataProtection:Certificate:Password=test");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password); // stored protected by the key ring

        await using var scope = server.Services.CreateAsyncScope();
        var keys = await scope.ServiceProvider.GetRequiredService<VoltgateDbContext>().DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync();
        var protector = scope.ServiceProvider.GetRequiredService<SecretProtector>();

        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        });
        Assert.Equal("round trip", protector.Unprotect(protector.Protect("round trip")));
        output.WriteLine($"key ring: {keys.Count} of {keys.Count} keys encrypted at rest");
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void Keys_written_before_the_certificate_or_under_a_previous_one_still_open_what_they_protected()
    {
        var directory = Directory.CreateTempSubdirectory("voltgate-dp-upgrade-");
        var pfx = Path.Combine(directory.FullName, "keyring.pfx");
        File.WriteAllBytes(pfx, VoltgateServer.SelfSignedCertificate());
        var warnings = new List<string>();

        IDataProtector Protector(DataProtectionSection settings)
        {
            var services = new ServiceCollection();
            services.AddDataProtection().SetApplicationName("Voltgate").PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(directory.FullName, "keys")));
            KeyRingProtection.Configure(services, settings, warnings.Add);
            return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
        }

        var newer = Path.Combine(directory.FullName, "keyring-2.pfx");
        File.WriteAllBytes(newer, VoltgateServer.SelfSignedCertificate());
        var first = new CertificateOptions { Path = pfx, Password = "test" };

        var before = Protector(new DataProtectionSection()).Protect("written unencrypted");
        var after = Protector(new DataProtectionSection { Certificate = first });
        var encrypted = after.Protect("written encrypted");
        var rotated = Protector(new DataProtectionSection { Certificate = new CertificateOptions { Path = newer, Password = "test" }, PreviousCertificates = [first] });

        Assert.Equal("written unencrypted", after.Unprotect(before));
        Assert.Equal("written unencrypted", rotated.Unprotect(before));
        Assert.Equal("written encrypted", rotated.Unprotect(encrypted));
        Assert.Single(warnings, w => w.Contains("stored unencrypted", StringComparison.Ordinal));
        directory.Delete(recursive: true);
    }
}
