using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Stations;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.StationOps;

/// <summary>Station operations over real sockets: diagnostics explanations, live events, configuration, CSV import, transactions.</summary>
[Collection(ServerCollection.Name)]
public sealed class StationOpsTests(ServerPool pool)
{
    private static object Boot => new { chargePointVendor = "KEBA", chargePointModel = "P30", firmwareVersion = "1.16.0" };

    private async Task<(VoltgateServer Server, HttpClient Api, TestStation Station, string Identity)> OnlineAsync()
    {
        var server = await pool.GetAsync("Sqlite");
        var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
        return (server, api, station, identity);
    }

    [Fact]
    public async Task A_username_mismatch_is_explained_with_the_username_the_station_sent()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var header = TestStation.BasicHeader("wrong-user", Encoding.UTF8.GetBytes(Arrange.RandomPassword()));

        var result = await TestStation.ConnectWithHeaderAsync(server.AuthEndpoint, identity, header, ["ocpp1.6"]);
        await server.FlushAsync();
        var page = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/connection-attempts?lang=en");
        var attempt = page.GetProperty("items")[0];

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
        Assert.Equal("UsernameMismatch", attempt.GetProperty("reason").GetString());
        Assert.Equal("wrong-user", attempt.GetProperty("presentedUsername").GetString());
        Assert.Contains($"sends user \"wrong-user\"; it must send its own identity \"{identity}\"", attempt.GetProperty("explanation").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_matching_only_in_the_other_hex_form_names_the_entry_to_fix()
    {
        var server = await pool.GetAsync("Sqlite");
        var tenant = await server.CreateTenantAsync();
        using var api = await server.AdminClientAsync(tenant);
        await api.SettingsAsync(new { hexMatching = "Strict" });
        var secret = "00112233445566778899aabbccddeeff00112233";
        var response = await api.PostAsJsonAsync("/api/v1/ocpp-security/basic-auth-passwords", new { label = "KEBA fleet key", password = secret, isHex = false });
        var entryId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var endpoint = new Uri(server.AuthEndpoint, tenant + "/");

        var result = await TestStation.ConnectWithHeaderAsync(endpoint, identity, TestStation.BasicHeader(identity, Convert.FromHexString(secret)), ["ocpp1.6"]);
        await server.FlushAsync();
        var attempt = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/connection-attempts")).GetProperty("items")[0];
        var german = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/connection-attempts?lang=de")).GetProperty("items")[0];

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
        Assert.Equal("PasswordMatchesOnlyOtherHexForm", attempt.GetProperty("reason").GetString());
        Assert.Equal(entryId, attempt.GetProperty("passwordId").GetGuid());
        Assert.Contains("\"KEBA fleet key\" only in its hex-decoded form", attempt.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.Contains("Is hex = YES", attempt.GetProperty("hint").GetString(), StringComparison.Ordinal);
        Assert.Contains("Ist Hex = JA", german.GetProperty("hint").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connecting_and_status_notifications_are_published_as_live_events()
    {
        var server = await pool.GetAsync("Sqlite");
        var events = new List<StationEvent>();
        var tenantId = Guid.Empty;
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var bus = server.Services.GetRequiredService<IStationEvents>();
        await using (var scope = server.Services.CreateAsyncScope())
        {
            tenantId = (await scope.ServiceProvider.GetRequiredService<Core.Tenancy.TenantDirectory>().FindAsync("default", default))!.Id;
        }

        using var subscription = bus.Subscribe(tenantId, e =>
        {
            lock (events)
            {
                events.Add(e);
            }
        });
        var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
        await station.CallOkAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Charging" });
        await station.DisposeAsync();
        await WaitUntilAsync(() => Mine().Any(e => e.Kind == StationEventKind.Disconnected));

        var kinds = Mine().Select(e => e.Kind).ToList();
        Assert.Equal(StationEventKind.Connected, kinds[0]);
        Assert.Contains(Mine(), e => e is { Kind: StationEventKind.ConnectorStatus, ConnectorId: 1, Status: "Charging" });

        List<StationEvent> Mine()
        {
            lock (events)
            {
                return events.Where(e => e.Identity == identity && e.Kind != StationEventKind.ConnectionAttempt).ToList();
            }
        }
    }

    [Fact]
    public async Task Changing_a_read_only_key_returns_the_stations_Rejected_answer()
    {
        var (_, api, station, identity) = await OnlineAsync();
        using var _ = api;
        await using var __ = station;
        station.OnServerCall = (action, payload) => action == "ChangeConfiguration" && payload!["key"]!.GetValue<string>() == "ChargePointVendor"
            ? new JsonObject { ["status"] = "Rejected" }
            : new JsonObject { ["status"] = "Accepted" };

        var response = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/ChangeConfiguration", new { key = "ChargePointVendor", value = "ACME" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Rejected", body.GetProperty("response").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_csv_import_writes_the_good_rows_and_reports_the_bad_ones_by_line()
    {
        var server = await pool.GetAsync("Sqlite");
        var tenant = await server.CreateTenantAsync();
        using var api = await server.AdminClientAsync(tenant);
        (await api.PostAsJsonAsync("/api/v1/id-tags", new { idTag = "EXISTING-1", status = "Accepted" })).EnsureSuccessStatusCode();
        var csv = "idTag,status,expiryDate,parentIdTag,owner\r\n" +
                  "GOOD-1,Accepted,2030-01-01T00:00:00Z,,Alice\r\n" +
                  "TOO-LONG-ID-TAG-123456789,Accepted,,,\r\n" +
                  "GOOD-2,Blocked,,GOOD-1,\"Bob, Jr.\"\r\n" +
                  "BAD-STATUS,Maybe,,,\r\n" +
                  "BAD-DATE,Accepted,tomorrow,,\r\n" +
                  "GOOD-1,Accepted,,,\r\n" +
                  "EXISTING-1,Blocked,,,\r\n";

        var response = await api.PostAsync("/api/v1/id-tags/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        var export = await api.GetStringAsync("/api/v1/id-tags/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, report.GetProperty("created").GetInt32());
        Assert.Equal(1, report.GetProperty("updated").GetInt32());
        Assert.Equal(4, report.GetProperty("failed").GetInt32());
        var errorLines = report.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("outcome").GetString() == "Error").Select(r => r.GetProperty("line").GetInt32());
        Assert.Equal([3, 5, 6, 7], errorLines);
        Assert.Contains("GOOD-2,Blocked,,GOOD-1,\"Bob, Jr.\"", export, StringComparison.Ordinal);
        Assert.Contains("EXISTING-1,Blocked", export, StringComparison.Ordinal);
        Assert.DoesNotContain("BAD-STATUS", export, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync("/api/v1/id-tags/import", new StringContent("tag;status\r\n", Encoding.UTF8, "text/csv"))).StatusCode);
    }

    [Fact]
    public async Task A_KEBA_suffix_is_stripped_when_the_tenant_setting_is_on()
    {
        var server = await pool.GetAsync("Sqlite");
        var tenant = await server.CreateTenantAsync();
        using var api = await server.AdminClientAsync(tenant);
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        (await api.PostAsJsonAsync("/api/v1/id-tags", new { idTag = "04A2B3C4" })).EnsureSuccessStatusCode();
        await using var station = (await TestStation.ConnectAsync(new Uri(server.AuthEndpoint, tenant + "/"), identity, password, "ocpp1.6")).Station!;

        var before = await station.CallOkAsync("Authorize", new { idTag = "04A2B3C4_19283746" });
        (await api.PutAsJsonAsync("/api/v1/id-tags/settings", new { idTagSuffixSeparator = "_" })).EnsureSuccessStatusCode();
        var after = await station.CallOkAsync("Authorize", new { idTag = "04A2B3C4_19283746" });

        Assert.Equal("Invalid", before["idTagInfo"]!["status"]!.GetValue<string>());
        Assert.Equal("Accepted", after["idTagInfo"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Transactions_are_listed_with_energy_and_their_meter_values_and_exported_as_csv()
    {
        var (_, api, station, identity) = await OnlineAsync();
        using var _ = api;
        await using var __ = station;
        var tag = "TX-" + identity[^6..];
        (await api.PostAsJsonAsync("/api/v1/id-tags", new { idTag = tag })).EnsureSuccessStatusCode();
        await station.CallOkAsync("BootNotification", Boot);
        var start = await station.CallOkAsync("StartTransaction", new { connectorId = 1, idTag = tag, meterStart = 10_000, timestamp = "2026-11-24T10:00:00Z" });
        var id = start["transactionId"]!.GetValue<int>();
        await station.CallOkAsync("MeterValues", new
        {
            connectorId = 1,
            transactionId = id,
            meterValue = new[]
            {
                new { timestamp = "2026-11-24T10:05:00Z", sampledValue = new object[] { new { value = "10.5", measurand = "Energy.Active.Import.Register", unit = "kWh" }, new { value = "7200", measurand = "Power.Active.Import", unit = "W" } } },
            },
        });

        var active = await api.GetFromJsonAsync<JsonElement>($"/api/v1/transactions?station={identity}&active=true");
        await station.CallOkAsync("StopTransaction", new { transactionId = id, meterStop = 12_000, timestamp = "2026-11-24T10:10:00Z", reason = "EVDisconnected" });
        var detail = await api.GetFromJsonAsync<JsonElement>($"/api/v1/transactions/{id}");
        var csv = await api.GetStringAsync($"/api/v1/transactions/export?station={identity}");

        Assert.Equal(1, active.GetProperty("total").GetInt32());
        Assert.Equal(500, active.GetProperty("items")[0].GetProperty("energyWh").GetInt64());
        Assert.Equal(2000, detail.GetProperty("transaction").GetProperty("energyWh").GetInt64());
        Assert.Equal("EVDisconnected", detail.GetProperty("transaction").GetProperty("stopReason").GetString());
        Assert.Equal(2, detail.GetProperty("meterValues").GetArrayLength());
        Assert.Contains($"{id},{identity},1,{tag},2026-11-24T10:00:00Z,2026-11-24T10:10:00Z,10000,12000,2000,EVDisconnected", csv, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/transactions/99999999")).StatusCode);
    }

    [Fact]
    public async Task StopTransaction_for_an_unknown_id_is_answered_and_changes_nothing()
    {
        var (_, api, station, identity) = await OnlineAsync();
        using var _ = api;
        await using var __ = station;

        var answer = await station.CallAsync("StopTransaction", new { transactionId = 987_654_321, meterStop = 5, timestamp = "2026-11-24T10:10:00Z", idTag = "NOBODY" });
        var list = await api.GetFromJsonAsync<JsonElement>($"/api/v1/transactions?station={identity}");

        Assert.Equal(3, answer[0]!.GetValue<int>());
        Assert.Equal("Invalid", answer[2]!["idTagInfo"]!["status"]!.GetValue<string>());
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task MeterValues_for_a_connector_that_does_not_exist_are_accepted_and_stored()
    {
        // Decision: 1.6 has no way for the CSMS to know a station's connectors beyond what it reports, and a
        // CALLERROR would make the station retry the message forever; so it is acknowledged and stored as sent.
        var (_, api, station, identity) = await OnlineAsync();
        using var _ = api;
        await using var __ = station;

        var answer = await station.CallAsync("MeterValues", new
        {
            connectorId = 42,
            meterValue = new[] { new { timestamp = "2026-11-24T10:05:00Z", sampledValue = new[] { new { value = "1" } } } },
        });

        Assert.Equal(3, answer[0]!.GetValue<int>());
    }

    [Fact]
    public async Task Stations_can_be_filtered_by_online_state_and_text_and_deactivated()
    {
        var (_, api, station, identity) = await OnlineAsync();
        using var _ = api;
        await using var __ = station;
        var offline = Arrange.NewIdentity("OFF");
        await api.StationAsync(offline);

        var online = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations?online=true&search={identity}");
        var offlineHit = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations?online=false&search={identity}");
        var deactivated = await api.DeleteAsync($"/api/v1/stations/{offline}");
        var record = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{offline}");

        Assert.Equal(1, online.GetProperty("total").GetInt32());
        Assert.Equal(0, offlineHit.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        Assert.False(record.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Stations_sort_online_first_or_offline_first_and_an_unknown_sort_is_refused_with_the_field_named()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var group = Arrange.NewIdentity("SORT");
        await api.StationAsync(group + "-a");
        await api.StationAsync(group + "-b");
        await using var station = (await TestStation.ConnectAsync(server.AuthEndpoint, group + "-b", password, "ocpp1.6")).Station!;

        async Task<string[]> OrderAsync(string sort) =>
            [.. (await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations?search={group}{sort}")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("identity").GetString()!)];

        Assert.Equal([group + "-a", group + "-b"], await OrderAsync(""));
        Assert.Equal([group + "-b", group + "-a"], await OrderAsync("&sort=online"));
        Assert.Equal([group + "-a", group + "-b"], await OrderAsync("&sort=-online"));
        var bad = await api.GetAsync($"/api/v1/stations?search={group}&sort=connected");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("sort", out _), problem.ToString());
        Assert.Equal([group + "-a", group + "-b"], await OrderAsync("&sort=identity"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "the expected live event did not arrive within 5 s");
    }
}
