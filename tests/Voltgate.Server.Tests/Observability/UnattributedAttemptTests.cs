using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Data;
using Voltgate.Core.Stations;
using Voltgate.Server.Ocpp.FrontDoor;
using Voltgate.Server.Tests.Support;
using Xunit.Abstractions;

namespace Voltgate.Server.Tests.Observability;

/// <summary>
/// Refusals before a station is known are recorded per source, endpoint, reason and minute and shown to instance
/// administrators only (issue 18, item 4); their number is capped, so a flood cannot fill the disk.
/// </summary>
public sealed class UnattributedAttemptTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Each_refusal_before_a_station_is_known_is_recorded_with_its_reason_and_source(string provider)
    {
        await using var server = await VoltgateServer.StartAsync(provider, "--Voltgate:Diagnostics:FlushSeconds=300");
        using var plain = new HttpClient();
        using var other = SourceAddressClient.Create(server.OpenEndpoint, IPAddress.Parse("127.0.0.2"));

        for (var i = 0; i < 3; i++)
        {
            // Bad path, three times: one row of count 3.
            Assert.False((await TestStation.ConnectAsync(new Uri(server.AuthEndpoint, "/elsewhere/"), "CP-1", null, "ocpp1.6")).Upgraded);
        }

        Assert.False((await TestStation.ConnectAsync(new Uri(server.AuthEndpoint, "/ocpp/no-such-tenant/"), "CP-1", null, "ocpp1.6")).Upgraded);
        Assert.Equal(HttpStatusCode.BadRequest, (await plain.GetAsync(new Uri(server.AuthEndpoint, "/ocpp/CP-1"))).StatusCode);
        // The "open" endpoint admits 127.0.0.1/32 only.
        var network = await TestStation.ConnectWithHeaderAsync(server.OpenEndpoint, "CP-1", null, ["ocpp1.6"], IPAddress.Parse("127.0.0.2"));
        Assert.Equal(HttpStatusCode.Forbidden, network.Status);
        await FailTlsAsync(server.PublicEndpoint);
        // The TLS refusal is noted when Kestrel lets go of the connection, a moment after the client sees it close.
        await Task.Delay(300);

        await server.Services.GetRequiredService<UnattributedAttemptWriter>().FlushAsync(CancellationToken.None);
        using var api = await server.AdminClientAsync();
        var items = (await api.GetFromJsonAsync<JsonElement>("/api/v1/diagnostics/unattributed-attempts")).GetProperty("items").EnumerateArray().ToList();
        output.WriteLine(string.Join("\n", items));

        var badPath = Assert.Single(items, i => i.GetProperty("reason").GetString() == "BadPath");
        Assert.Equal(3, badPath.GetProperty("count").GetInt32());
        Assert.Equal("127.0.0.1", badPath.GetProperty("sourceAddress").GetString());
        Assert.Equal("default", badPath.GetProperty("endpoint").GetString());
        Assert.StartsWith("/elsewhere/", badPath.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var tenant = Assert.Single(items, i => i.GetProperty("reason").GetString() == "UnknownTenant");
        Assert.Equal("no-such-tenant", tenant.GetProperty("detail").GetString());
        Assert.Single(items, i => i.GetProperty("reason").GetString() == "NotAnUpgrade");
        var net = Assert.Single(items, i => i.GetProperty("reason").GetString() == "NetworkNotAllowed");
        Assert.Equal("127.0.0.2", net.GetProperty("sourceAddress").GetString());
        Assert.Equal("open", net.GetProperty("endpoint").GetString());
        var tls = Assert.Single(items, i => i.GetProperty("reason").GetString() == "TlsHandshakeFailed");
        Assert.Equal("public", tls.GetProperty("endpoint").GetString());
    }

    [Fact]
    public async Task Only_the_administrators_of_the_default_tenant_see_them()
    {
        await using var server = await VoltgateServer.StartAsync("Sqlite");
        var slug = await server.CreateTenantAsync();
        using var otherAdmin = await server.AdminClientAsync(slug);
        using var anonymous = new HttpClient { BaseAddress = server.WebUrl };

        var refused = await otherAdmin.GetAsync("/api/v1/diagnostics/unattributed-attempts");
        var unauthenticated = await anonymous.GetAsync("/api/v1/diagnostics/unattributed-attempts");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        // Another tenant's administrator never holds Instance.Tenants: refused before any row is read.
        Assert.DoesNotContain("sourceAddress", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_flood_from_many_sources_is_capped_in_memory_and_on_disk(string provider)
    {
        const int MaxRows = 100;
        const int MaxPending = 300;
        await using var server = await VoltgateServer.StartAsync(provider, "--Voltgate:Diagnostics:FlushSeconds=300",
            $"--Voltgate:Diagnostics:MaxUnattributedAttempts={MaxRows}", $"--Voltgate:Diagnostics:MaxPendingAggregates={MaxPending}");
        var attempts = server.Services.GetRequiredService<UnattributedAttempts>();
        var writer = server.Services.GetRequiredService<UnattributedAttemptWriter>();

        // Real sockets from 150 loopback sources: 150 rows, then trimmed to the newest 100.
        for (var i = 1; i <= 150; i++)
        {
            using var client = SourceAddressClient.Create(server.AuthEndpoint, IPAddress.Parse($"127.0.1.{i}"));
            Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/flood")).StatusCode);
        }

        await writer.FlushAsync(CancellationToken.None);
        Assert.Equal(MaxRows, await RowsAsync(server));
        var sources = await SourcesAsync(server);
        Assert.DoesNotContain("127.0.1.1", sources);
        Assert.Contains("127.0.1.150", sources);

        // A flood of 20,000 distinct sources between two writes: memory holds MaxPending, the rest is only counted.
        for (var i = 0; i < 20_000; i++)
        {
            attempts.Record(new IPAddress([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]), "default", UnattributedReason.BadPath, "/x");
        }

        Assert.Equal(MaxPending, attempts.PendingCount);
        Assert.Equal(20_000 - MaxPending, attempts.Overflowed);
        await writer.FlushAsync(CancellationToken.None);
        Assert.Equal(MaxRows, await RowsAsync(server));
        output.WriteLine($"after a flood of 20,000 sources: {await RowsAsync(server)} rows, {attempts.Overflowed} attempts only counted");
    }

    /// <summary>Plain bytes (no ClientHello) to a TLS listener: the handshake fails.</summary>
    private static async Task FailTlsAsync(Uri endpoint)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint.Host, endpoint.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync("GET /ocpp/CP-1 HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        var buffer = new byte[256];
        try
        {
            while (await stream.ReadAsync(buffer) > 0)
            {
            }
        }
        catch (IOException)
        {
            // The server resets the connection.
        }
    }

    private static async Task<int> RowsAsync(VoltgateServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<VoltgateDbContext>().UnattributedAttempts.CountAsync();
    }

    private static async Task<List<string>> SourcesAsync(VoltgateServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<VoltgateDbContext>().UnattributedAttempts.Select(a => a.SourceAddress).ToListAsync();
    }
}
