using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.V201;

/// <summary>OCPP 2.0.1 stations through the same front door and pool as 1.6 ones, onto the same domain.</summary>
[Collection(ServerCollection.Name)]
public sealed class V201StationTests(ServerPool pool)
{
    private static readonly object Boot = new { reason = "PowerUp", chargingStation = new { model = "KC-P40", vendorName = "KEBA", serialNumber = "S-1", firmwareVersion = "1.2.3" } };

    private async Task<(VoltgateServer Server, HttpClient Api, string Identity, string Password)> ArrangeAsync()
    {
        var server = await pool.GetAsync("Sqlite");
        var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity("V2");
        await api.StationAsync(identity);
        return (server, api, identity, password);
    }

    [Theory]
    [InlineData(new[] { "ocpp2.0.1" }, "ocpp2.0.1")]
    [InlineData(new[] { "ocpp2.0.1", "ocpp1.6" }, "ocpp2.0.1")]
    [InlineData(new[] { "ocpp1.6", "ocpp2.0.1" }, "ocpp1.6")]
    [InlineData(new[] { "ocpp2.1", "ocpp2.0.1" }, "ocpp2.0.1")]
    public async Task The_first_offered_protocol_the_server_speaks_wins_and_is_shown(string[] offered, string chosen)
    {
        var (server, api, identity, password) = await ArrangeAsync();
        using var _ = api;

        var result = await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, offered);
        await using var station = result.Station!;
        var shown = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}");

        Assert.Equal(chosen, station.SubProtocol);
        Assert.Equal(chosen, shown.GetProperty("connection").GetProperty("protocol").GetString());
    }

    [Fact]
    public async Task A_station_may_change_protocol_between_connections()
    {
        var (server, api, identity, password) = await ArrangeAsync();
        using var _ = api;

        await using (var first = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!)
        {
            await first.CallOkAsync("BootNotification", new { chargePointVendor = "KEBA", chargePointModel = "P30" });
        }

        await using var second = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp2.0.1")).Station!;
        var boot = await second.CallOkAsync("BootNotification", Boot);
        var shown = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}");

        Assert.Equal("Accepted", boot["status"]!.GetValue<string>());
        Assert.Equal("ocpp2.0.1", shown.GetProperty("connection").GetProperty("protocol").GetString());
        Assert.Equal("KC-P40", shown.GetProperty("model").GetString());
    }

    [Fact]
    public async Task A_201_station_boots_beats_and_reports_EVSE_status_onto_the_one_connector_model()
    {
        var (server, api, identity, password) = await ArrangeAsync();
        using var _ = api;
        await using var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp2.0.1")).Station!;

        var boot = await station.CallOkAsync("BootNotification", Boot);
        var beat = await station.CallOkAsync("Heartbeat", new { });
        await station.CallOkAsync("StatusNotification", new { timestamp = "2026-12-01T10:00:00Z", connectorStatus = "Occupied", evseId = 2, connectorId = 1 });
        var connectors = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/connectors");

        Assert.Equal("Accepted", boot["status"]!.GetValue<string>());
        Assert.True(boot["interval"]!.GetValue<int>() > 0);
        Assert.NotNull(beat["currentTime"]);
        var evse2 = connectors.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("connectorId").GetInt32() == 2);
        Assert.Equal("Occupied", evse2.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Authorize_answers_idTokenInfo_from_the_one_id_tag_list()
    {
        var (server, api, identity, password) = await ArrangeAsync();
        using var _ = api;
        var tag = "T2-" + identity[^6..];
        (await api.PostAsJsonAsync("/api/v1/id-tags", new { idTag = tag })).EnsureSuccessStatusCode();
        await using var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp2.0.1")).Station!;
        await station.CallOkAsync("BootNotification", Boot);

        var known = await station.CallOkAsync("Authorize", new { idToken = new { idToken = tag, type = "ISO14443" } });
        var unknown = await station.CallOkAsync("Authorize", new { idToken = new { idToken = "NOBODY", type = "eMAID" } });

        Assert.Equal("Accepted", known["idTokenInfo"]!["status"]!.GetValue<string>());
        Assert.Equal("Invalid", unknown["idTokenInfo"]!["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("StartTransaction", """{"connectorId":1,"idTag":"X","meterStart":0,"timestamp":"2026-12-01T10:00:00Z"}""", "NotImplemented")]
    [InlineData("Authorize", """{"idToken":{"idToken":"X","type":"Badge"}}""", "TypeConstraintViolation")]
    [InlineData("Authorize", """{"idTag":"X"}""", "OccurrenceConstraintViolation")]
    [InlineData("Heartbeat", """[]""", "FormatViolation")]
    [InlineData("RequestStartTransaction", """{"idToken":{"idToken":"X","type":"Central"},"remoteStartId":1}""", "NotSupported")]
    public async Task Bad_calls_get_the_201_error_code_and_the_connection_stays_up(string action, string payload, string code)
    {
        var (server, api, identity, password) = await ArrangeAsync();
        using var _ = api;
        await using var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp2.0.1")).Station!;
        await station.CallOkAsync("BootNotification", Boot);

        var answer = await station.SendRawAndReceiveAsync($"""[2,"bad-1","{action}",{payload}]""", "bad-1");
        var after = await station.CallOkAsync("Heartbeat", new { });

        Assert.Equal(4, answer[0]!.GetValue<int>());
        Assert.Equal(code, answer[2]!.GetValue<string>());
        Assert.NotNull(after["currentTime"]);
    }

    [Fact]
    public async Task A_201_action_on_a_16_connection_is_NotImplemented_in_16_terms()
    {
        var (server, api, identity, password) = await ArrangeAsync();
        using var _ = api;
        await using var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
        await station.CallOkAsync("BootNotification", new { chargePointVendor = "KEBA", chargePointModel = "P30" });

        var answer = await station.CallAsync("TransactionEvent", new { eventType = "Started", timestamp = "2026-12-01T10:00:00Z", triggerReason = "Authorized", seqNo = 0, transactionInfo = new { transactionId = "T1" } });

        Assert.Equal("NotImplemented", answer[2]!.GetValue<string>());
    }

    [Fact]
    public async Task A_201_station_must_send_the_password_as_text_not_in_its_hex_byte_form()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var hexSecret = Convert.ToHexString(Guid.NewGuid().ToByteArray()); // 32 hex characters
        await api.PasswordAsync(hexSecret, isHex: true);
        var identity = Arrange.NewIdentity("V2");
        await api.StationAsync(identity);

        var asBytes = await TestStation.ConnectWithHeaderAsync(server.AuthEndpoint, identity, TestStation.BasicHeader(identity, Convert.FromHexString(hexSecret)), ["ocpp2.0.1"]);
        var asText = await TestStation.ConnectWithHeaderAsync(server.AuthEndpoint, identity, TestStation.BasicHeader(identity, System.Text.Encoding.UTF8.GetBytes(hexSecret)), ["ocpp2.0.1"]);
        var asBytes16 = await TestStation.ConnectWithHeaderAsync(server.AuthEndpoint, identity, TestStation.BasicHeader(identity, Convert.FromHexString(hexSecret)), ["ocpp1.6"]);

        Assert.Equal(HttpStatusCode.Unauthorized, asBytes.Status);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, asText.Status);
        await asText.Station!.DisposeAsync();
        Assert.Equal(HttpStatusCode.SwitchingProtocols, asBytes16.Status);
        await asBytes16.Station!.DisposeAsync();
    }
}
