using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.FrontDoor;

/// <summary>URL, identity, subprotocol, network and session rules of the front door.</summary>
[Collection(ServerCollection.Name)]
public sealed class TransportTests(ServerPool pool)
{
    [Theory]
    [InlineData("ocpp0.1", null, HttpStatusCode.BadRequest)]
    [InlineData("ocpp0.1,ocpp1.6", "ocpp1.6", HttpStatusCode.SwitchingProtocols)]
    [InlineData("ocpp2.0.1,ocpp1.6", "ocpp2.0.1", HttpStatusCode.SwitchingProtocols)]
    public async Task The_first_offered_protocol_the_server_speaks_is_chosen(string offered, string? chosen, HttpStatusCode status)
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);

        var result = await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, offered.Split(','));

        Assert.Equal(status, result.Status);
        Assert.Equal(chosen, result.Station?.SubProtocol);
        if (result.Station is not null)
        {
            await result.Station.DisposeAsync();
        }
        else
        {
            Assert.Equal("UnsupportedSubprotocol", (await api.LastAttemptAsync(server, identity)).GetProperty("reason").GetString());
        }
    }

    [Fact]
    public async Task No_subprotocol_is_taken_as_ocpp16_only_while_the_tenant_allows_it()
    {
        var server = await pool.GetAsync("Sqlite");
        var tenant = await server.CreateTenantAsync();
        using var api = await server.AdminClientAsync(tenant);
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var endpoint = new Uri(server.AuthEndpoint, tenant + "/");

        var assumed = await TestStation.ConnectAsync(endpoint, identity, password);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, assumed.Status);
        await assumed.Station!.DisposeAsync();

        await api.SettingsAsync(new { assumeOcpp16WhenNoSubprotocol = false });
        var refused = await TestStation.ConnectAsync(endpoint, identity, password);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
    }

    [Theory]
    [InlineData("", HttpStatusCode.BadRequest)]
    [InlineData("a/b/c", HttpStatusCode.NotFound)]
    [InlineData("CP%2F1", HttpStatusCode.BadRequest)]
    [InlineData("X123456789012345678901234567890123456789012345678", HttpStatusCode.BadRequest)]
    [InlineData("no-such-tenant/CP1", HttpStatusCode.NotFound)]
    public async Task Malformed_identities_and_paths_are_refused_before_any_authentication(string path, HttpStatusCode status)
    {
        var server = await pool.GetAsync("Sqlite");

        var result = await TestStation.ConnectWithHeaderAsync(server.AuthEndpoint, path, TestStation.BasicHeader("x", "y"u8.ToArray()), ["ocpp1.6"]);

        Assert.Equal(status, result.Status);
    }

    [Fact]
    public async Task A_percent_encoded_identity_is_decoded_once_and_a_trailing_slash_is_tolerated()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = "RDAM|" + Guid.NewGuid().ToString("N")[..6];
        await api.StationAsync(identity);

        var result = await TestStation.ConnectWithHeaderAsync(server.AuthEndpoint, Uri.EscapeDataString(identity) + "/",
            TestStation.BasicHeader(identity, System.Text.Encoding.UTF8.GetBytes(password)), ["ocpp1.6"]);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, result.Status);
        await result.Station!.DisposeAsync();
    }

    [Fact]
    public async Task A_private_endpoint_refuses_addresses_outside_its_networks_with_403()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity, "private");

        var inside = await TestStation.ConnectWithHeaderAsync(server.OpenEndpoint, identity, null, ["ocpp1.6"]);
        var outside = await TestStation.ConnectWithHeaderAsync(server.OpenEndpoint, identity, null, ["ocpp1.6"], IPAddress.Parse("127.0.0.2"));

        Assert.Equal(HttpStatusCode.SwitchingProtocols, inside.Status);
        await inside.Station!.DisposeAsync();
        Assert.Equal(HttpStatusCode.Forbidden, outside.Status);
    }

    [Fact]
    public async Task Only_ocpp_is_served_on_an_ocpp_port_and_plain_http_gets_a_clear_400()
    {
        var server = await pool.GetAsync("Sqlite");
        using var http = new HttpClient();
        var ocppPort = new UriBuilder(server.AuthEndpoint) { Scheme = "http" }.Uri;

        var api = await http.GetAsync(new Uri(ocppPort, "/api/v1/stations"));
        var plain = await http.GetAsync(new Uri(ocppPort, "/ocpp/CP1"));

        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Contains("WebSocket", await plain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reconnect_supersedes_the_old_socket_and_the_station_stays_online()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);

        var first = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
        var second = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await first.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
        await Task.Delay(200);
        var station = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}");
        Assert.True(station.GetProperty("connection").GetProperty("online").GetBoolean(), "the newer connection must survive the old one's close");
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    [Fact]
    public async Task A_flood_of_bad_handshakes_from_one_identity_is_throttled_without_checking_passwords()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);

        for (var i = 0; i < 8; i++)
        {
            await TestStation.ConnectAsync(server.AuthEndpoint, identity, "wrong-password-" + i.ToString("00000000", System.Globalization.CultureInfo.InvariantCulture), "ocpp1.6");
        }

        var blocked = await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6");

        Assert.NotEqual(HttpStatusCode.SwitchingProtocols, blocked.Status);
        Assert.Equal("RateLimited", (await api.LastAttemptAsync(server, identity)).GetProperty("reason").GetString());
    }
}
