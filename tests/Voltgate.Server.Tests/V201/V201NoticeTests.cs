using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.V201;

/// <summary>Security events, NotifyEvent, firmware and log status: kept per station, bounded, shown in the API.</summary>
[Collection(ServerCollection.Name)]
public sealed class V201NoticeTests(ServerPool pool)
{
    private static readonly object Boot = new { reason = "PowerUp", chargingStation = new { model = "KC-P40", vendorName = "KEBA" } };

    private static async Task<(HttpClient Api, TestStation Station, string Identity)> OnlineAsync(VoltgateServer server)
    {
        var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity("NT");
        await api.StationAsync(identity);
        var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp2.0.1")).Station!;
        await station.CallOkAsync("BootNotification", Boot);
        return (api, station, identity);
    }

    [Fact]
    public async Task Notifications_are_stored_per_station_and_a_critical_security_event_is_audited()
    {
        var server = await pool.GetAsync("Sqlite");
        var (api, station, identity) = await OnlineAsync(server);
        using var _ = api;
        await using var __ = station;

        await station.CallOkAsync("SecurityEventNotification", new { type = "TamperDetectionActivated", timestamp = "2026-12-03T08:00:00Z", techInfo = "lid open" });
        await station.CallOkAsync("SecurityEventNotification", new { type = "InvalidMessages", timestamp = "2026-12-03T08:01:00Z" });
        await station.CallOkAsync("NotifyEvent", new
        {
            generatedAt = "2026-12-03T08:02:00Z",
            seqNo = 0,
            eventData = new[]
            {
                new { eventId = 11, timestamp = "2026-12-03T08:02:00Z", trigger = "Delta", actualValue = "Faulted", component = (object)new { name = "Connector", evse = new { id = 1, connectorId = 1 } }, variable = new { name = "AvailabilityState" }, eventNotificationType = "HardWiredNotification" },
            },
        });
        await station.CallOkAsync("FirmwareStatusNotification", new { status = "Downloading", requestId = 5 });
        await station.CallOkAsync("FirmwareStatusNotification", new { status = "Installed", requestId = 5 });
        await station.CallOkAsync("LogStatusNotification", new { status = "Uploaded", requestId = 9 });

        var all = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/notices");
        var events = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/notices?kind=Event");
        var firmware = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/firmware-status");
        var audit = await api.GetFromJsonAsync<JsonElement>($"/api/v1/audit-events?action=Station.SecurityEvent&actor=station:{identity}");
        var badKind = await api.GetAsync($"/api/v1/stations/{identity}/notices?kind=Nope");

        Assert.Equal(6, all.GetProperty("total").GetInt32());
        var evt = events.GetProperty("items").EnumerateArray().Single();
        Assert.Equal("Delta", evt.GetProperty("code").GetString());
        Assert.Equal(11, evt.GetProperty("requestId").GetInt32());
        Assert.Contains("AvailabilityState", evt.GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.Contains("Faulted", evt.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["Installed", "Downloading"], firmware.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("code").GetString()));
        var audited = audit.GetProperty("items").EnumerateArray().Select(a => a.GetRawText()).ToList();
        Assert.Single(audited);
        Assert.Contains("TamperDetectionActivated", audited[0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
    }

    [Fact]
    public async Task The_history_of_a_kind_is_capped_per_station_and_the_oldest_go()
    {
        await using var server = await VoltgateServer.StartAsync("Sqlite", "--Voltgate:Limits:MaxNoticesPerKind=3");
        var (api, station, identity) = await OnlineAsync(server);
        using var _ = api;
        await using var __ = station;

        foreach (var status in new[] { "Downloading", "Downloaded", "Installing", "Installed", "InstallRebooting" })
        {
            await station.CallOkAsync("FirmwareStatusNotification", new { status, requestId = 1 });
        }

        await station.CallOkAsync("LogStatusNotification", new { status = "Uploading", requestId = 2 });
        var firmware = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/firmware-status");
        var logs = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/notices?kind=LogStatus");

        Assert.Equal(["InstallRebooting", "Installed", "Installing"], firmware.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("code").GetString()));
        Assert.Equal(3, firmware.GetProperty("total").GetInt32());
        Assert.Equal(1, logs.GetProperty("total").GetInt32());
    }
}
