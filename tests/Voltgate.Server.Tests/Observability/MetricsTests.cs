using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Voltgate.Server.Tests.Support;
using Xunit.Abstractions;

namespace Voltgate.Server.Tests.Observability;

/// <summary>
/// The Prometheus scrape endpoint (issue 18, item 3): after a station connects, sends calls and gets a command, a
/// scrape finds every metric docs/operations.md documents and every one the Grafana dashboard uses; a scrape from an
/// address outside Voltgate:Metrics:AllowedNetworks is refused and shows nothing.
/// </summary>
public sealed partial class MetricsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_scrape_after_station_traffic_finds_every_documented_metric()
    {
        await using var server = await VoltgateServer.StartAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        await using var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
        await station.CallOkAsync("BootNotification", new { chargePointVendor = "V", chargePointModel = "M" });
        await station.CallOkAsync("Heartbeat", new { });
        await station.CallAsync("MadeUpAction", new { });
        station.OnServerCall = (_, _) => new JsonObject { ["status"] = "Accepted" };
        (await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/Reset", new { type = "Soft" })).EnsureSuccessStatusCode();

        // A back-off block: five wrong passwords for one identity, then the sixth handshake is refused unheard.
        var blocked = Arrange.NewIdentity();
        await api.StationAsync(blocked);
        for (var i = 0; i < 6; i++)
        {
            var refused = await TestStation.ConnectAsync(server.AuthEndpoint, blocked, "wrong-password-" + i, "ocpp1.6");
            Assert.False(refused.Upgraded);
        }

        // An unattributed refusal: a path that names no station.
        using var raw = new HttpClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await raw.GetAsync(new Uri(server.AuthEndpoint, "/not-ocpp"))).StatusCode);

        using var scraper = new HttpClient { BaseAddress = server.WebUrl };
        var response = await scraper.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var exposed = MetricFamilies(text);
        output.WriteLine($"{exposed.Count} voltgate metric families exposed: {string.Join(", ", exposed.Order())}");

        var documented = DocumentedNames();
        Assert.True(documented.Count >= 10, $"docs/operations.md lists only {documented.Count} metric names");
        var missing = documented.Where(n => !exposed.Contains(n)).ToList();
        Assert.True(missing.Count == 0, "documented but not scraped: " + string.Join(", ", missing));

        var dashboard = DashboardNames();
        var unknown = dashboard.Where(n => !documented.Contains(n)).ToList();
        Assert.True(unknown.Count == 0, "the dashboard uses undocumented metrics: " + string.Join(", ", unknown));

        // Tags are closed sets: the made-up action is "Unknown", and no identity appears anywhere.
        Assert.Contains("action=\"Unknown\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(identity, text, StringComparison.Ordinal);
        Assert.Matches(StationsConnectedLine(), text);
    }

    [Fact]
    public async Task A_scrape_from_an_address_outside_the_allow_list_is_refused()
    {
        // Loopback is not in the list, so the test's own client is a disallowed address.
        await using var server = await VoltgateServer.StartAsync("Sqlite", "--Voltgate:Metrics:AllowedNetworks:0=10.99.0.0/16");
        using var scraper = new HttpClient { BaseAddress = server.WebUrl };

        var response = await scraper.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("voltgate_", body, StringComparison.Ordinal);
        Assert.Contains("Voltgate:Metrics:AllowedNetworks", body, StringComparison.Ordinal);

        // A forged X-Forwarded-For does not help: forwarded headers are not trusted unless configured.
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        forged.Headers.Add("X-Forwarded-For", "10.99.0.5");
        Assert.Equal(HttpStatusCode.Forbidden, (await scraper.SendAsync(forged)).StatusCode);
    }

    [Fact]
    public async Task Metrics_are_not_served_on_an_ocpp_listener()
    {
        await using var server = await VoltgateServer.StartAsync("Sqlite");
        using var client = new HttpClient();

        var response = await client.GetAsync(new Uri(server.AuthEndpoint, "/metrics"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("voltgate_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_metrics_switched_off_there_is_no_scrape_endpoint()
    {
        await using var server = await VoltgateServer.StartAsync("Sqlite", "--Voltgate:Metrics:Enabled=false");
        using var client = new HttpClient();

        var response = await client.GetAsync(new Uri(server.WebUrl, "/metrics"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("voltgate_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Voltgate:Metrics:AllowedNetworks:0=loopback", "Voltgate:Metrics:AllowedNetworks")]
    [InlineData("--Voltgate:Telemetry:OtlpEndpoint=collector:4317", "Voltgate:Telemetry:OtlpEndpoint")]
    [InlineData("--Voltgate:Telemetry:OtlpProtocol=carrier-pigeon", "Voltgate:Telemetry:OtlpProtocol")]
    public async Task A_malformed_telemetry_setting_stops_the_start_with_its_key(string setting, string key)
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => VoltgateServer.StartAsync("Sqlite", setting));

        Assert.Contains(key, ex.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The metric families in a Prometheus text exposition (from its # TYPE lines).</summary>
    internal static HashSet<string> MetricFamilies(string exposition) =>
        [.. TypeLine().Matches(exposition).Select(m => m.Groups[1].Value)];

    internal static HashSet<string> DocumentedNames()
    {
        var doc = File.ReadAllText(RepoFile("docs", "operations.md"));
        var start = doc.IndexOf("<!-- metrics:begin -->", StringComparison.Ordinal);
        var end = doc.IndexOf("<!-- metrics:end -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/operations.md has no metrics table between its markers");
        return [.. MetricName().Matches(doc[start..end]).Select(m => m.Value)];
    }

    private static HashSet<string> DashboardNames()
    {
        var json = File.ReadAllText(RepoFile("docs", "grafana-dashboard.json"));
        Assert.NotNull(JsonNode.Parse(json));
        return [.. MetricName().Matches(json).Select(m => Regex.Replace(m.Value, "_(bucket|sum|count)$", ""))];
    }

    internal static string RepoFile(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Voltgate.slnx")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return Path.Combine([dir!.FullName, .. parts]);
    }

    [GeneratedRegex(@"^# TYPE (voltgate_[a-z0-9_]+) ", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"voltgate_[a-z0-9_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"voltgate_stations_connected\{[^}]*protocol=""ocpp1\.6""[^}]*variant=""privateauth""[^}]*\} [1-9]")]
    private static partial Regex StationsConnectedLine();
}
