using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.V201;

/// <summary>The device model per station (NotifyReport, GetVariables, SetVariables; 1.6 GetConfiguration) and its API.</summary>
[Collection(ServerCollection.Name)]
public sealed class V201DeviceModelTests(ServerPool pool)
{
    private const string Secret = "Station-Secret-Password-0123456789";
    private static readonly object Boot = new { reason = "PowerUp", chargingStation = new { model = "KC-P40", vendorName = "KEBA" } };

    private async Task<(HttpClient Api, TestStation Station, string Identity)> OnlineAsync(string protocol = "ocpp2.0.1")
    {
        var server = await pool.GetAsync("Sqlite");
        var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity("DM");
        await api.StationAsync(identity);
        var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, protocol)).Station!;
        await station.CallOkAsync("BootNotification", protocol == "ocpp1.6" ? new { chargePointVendor = "KEBA", chargePointModel = "P30" } : Boot);
        return (api, station, identity);
    }

    private static object Variable(string component, string variable, string? value, string mutability = "ReadWrite", int? evse = null) => new
    {
        component = evse is { } e ? (object)new { name = component, evse = new { id = e } } : new { name = component },
        variable = new { name = variable },
        variableAttribute = new[] { value is null ? (object)new { type = "Actual", mutability } : new { type = "Actual", value, mutability } },
        variableCharacteristics = new { dataType = "string", supportsMonitoring = false },
    };

    private static object Report(int requestId, int seqNo, bool tbc, params object[] data) =>
        new { requestId, generatedAt = "2026-12-03T08:00:00Z", seqNo, tbc, reportData = data };

    private static async Task<JsonElement> ModelAsync(HttpClient api, string identity) =>
        await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/device-model?take=500");

    [Fact]
    public async Task A_report_split_over_three_messages_is_stored_whole_once_its_last_part_arrives()
    {
        var (api, station, identity) = await OnlineAsync();
        using var _ = api;
        await using var __ = station;
        station.OnServerCall = (action, _) => action == "GetBaseReport" ? new JsonObject { ["status"] = "Accepted" } : new JsonObject();

        var command = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/GetBaseReport", new { requestId = 7, reportBase = "FullInventory" });
        await station.CallOkAsync("NotifyReport", Report(7, 0, true,
            Variable("OCPPCommCtrlr", "HeartbeatInterval", "300"), Variable("SecurityCtrlr", "BasicAuthPassword", Secret, "WriteOnly")));
        var afterFirst = await ModelAsync(api, identity);
        await station.CallOkAsync("NotifyReport", Report(7, 1, true, Variable("Connector", "AvailabilityState", "Available", "ReadOnly", evse: 1)));
        await station.CallOkAsync("NotifyReport", Report(7, 1, true, Variable("Connector", "AvailabilityState", "Available", "ReadOnly", evse: 1)));
        var afterRepeat = await ModelAsync(api, identity);
        await station.CallOkAsync("NotifyReport", Report(7, 2, false, Variable("Vendor", "Secret", "hidden-too", "WriteOnly")));
        var whole = await ModelAsync(api, identity);
        var log = await api.GetStringAsync($"/api/v1/stations/{identity}/message-log");

        Assert.Equal(HttpStatusCode.OK, command.StatusCode);
        Assert.Equal(0, afterFirst.GetProperty("total").GetInt32());
        Assert.Equal(0, afterRepeat.GetProperty("total").GetInt32());
        Assert.Equal(4, whole.GetProperty("total").GetInt32());
        var items = whole.GetProperty("items").EnumerateArray().ToList();
        var heartbeat = items.Single(i => i.GetProperty("variable").GetProperty("name").GetString() == "HeartbeatInterval");
        Assert.Equal("OCPPCommCtrlr", heartbeat.GetProperty("component").GetProperty("name").GetString());
        Assert.Equal("Actual", heartbeat.GetProperty("attributes")[0].GetProperty("type").GetString());
        Assert.Equal("300", heartbeat.GetProperty("attributes")[0].GetProperty("value").GetString());
        Assert.Equal("ReadWrite", heartbeat.GetProperty("attributes")[0].GetProperty("mutability").GetString());
        Assert.True(heartbeat.TryGetProperty("reportedAt", out var reportedAt) && reportedAt.ValueKind == JsonValueKind.String);
        var connector = items.Single(i => i.GetProperty("variable").GetProperty("name").GetString() == "AvailabilityState");
        Assert.Equal(1, connector.GetProperty("component").GetProperty("evse").GetProperty("id").GetInt32());
        var password = items.Single(i => i.GetProperty("variable").GetProperty("name").GetString() == "BasicAuthPassword");
        Assert.Equal(JsonValueKind.Null, password.GetProperty("attributes")[0].GetProperty("value").ValueKind);
        Assert.DoesNotContain(Secret, whole.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("hidden-too", whole.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, log, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden-too", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_with_a_missing_part_stores_nothing_of_it_and_the_connection_stays_up()
    {
        var (api, station, identity) = await OnlineAsync();
        using var _ = api;
        await using var __ = station;

        await station.CallOkAsync("NotifyReport", Report(3, 0, true, Variable("OCPPCommCtrlr", "HeartbeatInterval", "300")));
        var gap = await station.CallAsync("NotifyReport", Report(3, 2, false, Variable("Connector", "AvailabilityState", "Available", "ReadOnly", evse: 1)));
        var orphan = await station.CallAsync("NotifyReport", Report(4, 1, false, Variable("Connector", "AvailabilityState", "Available", "ReadOnly", evse: 1)));
        var beat = await station.CallOkAsync("Heartbeat", new { });
        var model = await ModelAsync(api, identity);

        Assert.Equal([4, 4], new[] { gap[0]!.GetValue<int>(), orphan[0]!.GetValue<int>() });
        Assert.Equal("PropertyConstraintViolation", gap[2]!.GetValue<string>());
        Assert.Contains("missing", gap[3]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("PropertyConstraintViolation", orphan[2]!.GetValue<string>());
        Assert.NotNull(beat["currentTime"]);
        Assert.Equal(0, model.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("""[]""", "FormatViolation")]
    [InlineData("""{"requestId":1,"generatedAt":"2026-12-03T08:00:00Z"}""", "OccurrenceConstraintViolation")]
    [InlineData("""{"requestId":1,"generatedAt":"2026-12-03T08:00:00Z","seqNo":0,"reportData":[{"component":{"name":"A"},"variable":{"name":"B"},"variableAttribute":[{"value":5}]}]}""", "TypeConstraintViolation")]
    public async Task A_malformed_NotifyReport_gets_its_error_code_stores_nothing_and_the_connection_stays_up(string payload, string code)
    {
        var (api, station, identity) = await OnlineAsync();
        using var _ = api;
        await using var __ = station;

        var answer = await station.SendRawAndReceiveAsync($"""[2,"bad-nr","NotifyReport",{payload}]""", "bad-nr");
        var beat = await station.CallOkAsync("Heartbeat", new { });
        var model = await ModelAsync(api, identity);

        Assert.Equal(4, answer[0]!.GetValue<int>());
        Assert.Equal(code, answer[2]!.GetValue<string>());
        Assert.NotNull(beat["currentTime"]);
        Assert.Equal(0, model.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task GetVariables_and_SetVariables_answers_update_the_model_and_an_invalid_answer_stores_nothing()
    {
        var (api, station, identity) = await OnlineAsync();
        using var _ = api;
        await using var __ = station;
        var valid = true;
        station.OnServerCall = (action, _) => action switch
        {
            "GetVariables" when valid => JsonNode.Parse("""{"getVariableResult":[{"attributeStatus":"Accepted","attributeValue":"120","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}},{"attributeStatus":"UnknownVariable","component":{"name":"X"},"variable":{"name":"Y"}}]}"""),
            "GetVariables" => JsonNode.Parse("""{"getVariableResult":[{"attributeStatus":"Maybe","attributeValue":"999","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"TxEndPoint"}}]}"""),
            "SetVariables" => JsonNode.Parse("""{"setVariableResult":[{"attributeStatus":"Accepted","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}},{"attributeStatus":"Accepted","component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"}}]}"""),
            _ => new JsonObject(),
        };
        var get = new { getVariableData = new[] { new { component = new { name = "OCPPCommCtrlr" }, variable = new { name = "HeartbeatInterval" } } } };

        var read = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/GetVariables", get);
        var afterRead = await ModelAsync(api, identity);
        valid = false;
        var bad = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/GetVariables", get);
        var afterBad = await ModelAsync(api, identity);
        var write = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/SetVariables", new
        {
            setVariableData = new object[]
            {
                new { attributeValue = "60", component = new { name = "OCPPCommCtrlr" }, variable = new { name = "HeartbeatInterval" } },
                new { attributeValue = Secret, component = new { name = "SecurityCtrlr" }, variable = new { name = "BasicAuthPassword" } },
            },
        });
        var afterWrite = await ModelAsync(api, identity);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(1, afterRead.GetProperty("total").GetInt32());
        Assert.Equal("120", afterRead.GetProperty("items")[0].GetProperty("attributes")[0].GetProperty("value").GetString());
        Assert.Equal(HttpStatusCode.BadGateway, bad.StatusCode);
        Assert.Equal("InvalidResponse", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(afterRead.GetRawText(), afterBad.GetRawText());
        Assert.Equal(HttpStatusCode.OK, write.StatusCode);
        var items = afterWrite.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("60", items.Single(i => i.GetProperty("variable").GetProperty("name").GetString() == "HeartbeatInterval").GetProperty("attributes")[0].GetProperty("value").GetString());
        var password = items.Single(i => i.GetProperty("variable").GetProperty("name").GetString() == "BasicAuthPassword");
        Assert.Equal(JsonValueKind.Null, password.GetProperty("attributes")[0].GetProperty("value").ValueKind);
        Assert.DoesNotContain(Secret, afterWrite.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_16_stations_configuration_keys_are_its_device_model_under_OCPP16Configuration()
    {
        var (api, station, identity) = await OnlineAsync("ocpp1.6");
        using var _ = api;
        await using var __ = station;
        station.OnServerCall = (action, _) => action == "GetConfiguration"
            ? JsonNode.Parse($$"""{"configurationKey":[{"key":"HeartbeatInterval","readonly":false,"value":"300"},{"key":"NumberOfConnectors","readonly":true,"value":"2"},{"key":"AuthorizationKey","readonly":false,"value":"{{Secret}}"}]}""")
            : JsonNode.Parse("""{"status":"Accepted"}""");

        var read = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/GetConfiguration", new { });
        await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/ChangeConfiguration", new { key = "HeartbeatInterval", value = "60" });
        var model = await ModelAsync(api, identity);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var items = model.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.All(items, i => Assert.Equal("OCPP16Configuration", i.GetProperty("component").GetProperty("name").GetString()));
        Assert.Equal("60", items.Single(i => i.GetProperty("variable").GetProperty("name").GetString() == "HeartbeatInterval").GetProperty("attributes")[0].GetProperty("value").GetString());
        Assert.Equal("ReadOnly", items.Single(i => i.GetProperty("variable").GetProperty("name").GetString() == "NumberOfConnectors").GetProperty("attributes")[0].GetProperty("mutability").GetString());
        Assert.DoesNotContain(Secret, model.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pending_station_may_send_its_report_but_nothing_else()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity("DP");
        (await api.PostAsJsonAsync("/api/v1/stations", new { identity, registrationStatus = "Pending" })).EnsureSuccessStatusCode();
        await using var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp2.0.1")).Station!;

        var boot = await station.CallOkAsync("BootNotification", Boot);
        var report = await station.CallAsync("NotifyReport", Report(1, 0, false, Variable("OCPPCommCtrlr", "HeartbeatInterval", "300")));
        var status = await station.CallAsync("StatusNotification", new { timestamp = "2026-12-03T08:00:00Z", connectorStatus = "Available", evseId = 1, connectorId = 1 });
        var model = await ModelAsync(api, identity);

        Assert.Equal("Pending", boot["status"]!.GetValue<string>());
        Assert.Equal(3, report[0]!.GetValue<int>());
        Assert.Equal("SecurityError", status[2]!.GetValue<string>());
        Assert.Equal(1, model.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_device_model_of_an_unknown_station_is_404()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();

        var response = await api.GetAsync("/api/v1/stations/NOPE-" + Guid.NewGuid().ToString("N")[..8] + "/device-model");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
