using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.V201;

/// <summary>
/// OCPP 2.0.1 TransactionEvent over real sockets onto the one transaction model: station-named ids, seqNo replays,
/// a lost Started, duplicate Ended, meter values in the one sample table, idTokenInfo from the one ID tag list.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class V201TransactionEventTests(ServerPool pool)
{
    private static readonly object Boot = new { reason = "PowerUp", chargingStation = new { model = "KC-P40", vendorName = "KEBA" } };

    // Times relative to now: the plausibility window refuses times far from the server's clock.
    private static readonly DateTimeOffset T0 = WholeSeconds(DateTimeOffset.UtcNow.AddHours(-2));

    private static DateTimeOffset WholeSeconds(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static string At(int minutes) => T0.AddMinutes(minutes).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private async Task<(VoltgateServer Server, HttpClient Api, TestStation Station, string Identity)> ConnectedAsync(string provider)
    {
        var server = await pool.GetAsync(provider);
        var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity("TE");
        await api.StationAsync(identity);
        var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp2.0.1")).Station!;
        await station.CallOkAsync("BootNotification", Boot);
        return (server, api, station, identity);
    }

    private static object Energy(int minutes, long wh, string? context = null) =>
        new { timestamp = At(minutes), sampledValue = new object[] { context is null ? new { value = wh, measurand = "Energy.Active.Import.Register" } : new { value = wh, measurand = "Energy.Active.Import.Register", context } } };

    private static JsonObject Event(string eventType, int seqNo, string transactionId, int minutes, string trigger = "MeterValuePeriodic", object? idToken = null,
        int? evse = null, object[]? meterValue = null, string? stoppedReason = null, bool? offline = null)
    {
        var payload = new JsonObject
        {
            ["eventType"] = eventType,
            ["timestamp"] = At(minutes),
            ["triggerReason"] = trigger,
            ["seqNo"] = seqNo,
            ["transactionInfo"] = stoppedReason is null ? new JsonObject { ["transactionId"] = transactionId }
                : new JsonObject { ["transactionId"] = transactionId, ["stoppedReason"] = stoppedReason },
        };
        if (idToken is not null)
        {
            payload["idToken"] = JsonSerializer.SerializeToNode(idToken);
        }

        if (evse is { } e)
        {
            payload["evse"] = new JsonObject { ["id"] = e, ["connectorId"] = 1 };
        }

        if (meterValue is not null)
        {
            payload["meterValue"] = JsonSerializer.SerializeToNode(meterValue);
        }

        if (offline is { } o)
        {
            payload["offline"] = o;
        }

        return payload;
    }

    private static async Task<JsonElement> TransactionAsync(HttpClient api, string identity, string stationTransactionId)
    {
        var list = await api.GetFromJsonAsync<JsonElement>($"/api/v1/transactions?station={identity}");
        var row = list.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("stationTransactionId").GetString() == stationTransactionId);
        return await api.GetFromJsonAsync<JsonElement>($"/api/v1/transactions/{row.GetProperty("id").GetInt32()}");
    }

    private static async Task<int> CountAsync(HttpClient api, string identity) =>
        (await api.GetFromJsonAsync<JsonElement>($"/api/v1/transactions?station={identity}")).GetProperty("total").GetInt32();

    private static int[] SeqNos(JsonElement detail) => [.. detail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("seqNo").GetInt32())];

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_whole_transaction_with_meter_values_is_stored_beside_16_transactions(string provider)
    {
        var (server, api, station, identity) = await ConnectedAsync(provider);
        using var _ = api;
        var tag = "TE-" + identity[^6..];
        (await api.PostAsJsonAsync("/api/v1/id-tags", new { idTag = tag })).EnsureSuccessStatusCode();
        var token = new { idToken = tag, type = "ISO14443" };

        var started = await station.CallOkAsync("TransactionEvent", Event("Started", 0, "tx-a", 0, "Authorized", token, evse: 2, meterValue: [Energy(0, 1000, "Transaction.Begin")]));
        var concurrent = await station.CallOkAsync("Authorize", new { idToken = token });
        var updated = await station.CallOkAsync("TransactionEvent", Event("Updated", 1, "tx-a", 5, meterValue:
            [new { timestamp = At(5), sampledValue = new object[] { new { value = 1.5, measurand = "Energy.Active.Import.Register", unitOfMeasure = new { unit = "kWh" } }, new { value = 7200, measurand = "Power.Active.Import" } } }]));
        var ended = await station.CallOkAsync("TransactionEvent", Event("Ended", 2, "tx-a", 10, "EVDeparted", meterValue: [Energy(10, 2500, "Transaction.End")], stoppedReason: "EVDisconnected"));
        await station.DisposeAsync();
        // A 1.6 transaction of another station, in the same list.
        var password16 = Arrange.RandomPassword();
        await api.PasswordAsync(password16);
        var identity16 = Arrange.NewIdentity("TE16");
        await api.StationAsync(identity16);
        await using var station16 = (await TestStation.ConnectAsync(server.AuthEndpoint, identity16, password16, "ocpp1.6")).Station!;
        await station16.CallOkAsync("BootNotification", new { chargePointVendor = "KEBA", chargePointModel = "P30" });
        var start16 = await station16.CallOkAsync("StartTransaction", new { connectorId = 1, idTag = "OTHER", meterStart = 0, timestamp = At(1) });

        var detail = await TransactionAsync(api, identity, "tx-a");
        var tx = detail.GetProperty("transaction");
        var all = await api.GetFromJsonAsync<JsonElement>("/api/v1/transactions?take=500");
        var tx16 = all.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("id").GetInt32() == start16["transactionId"]!.GetValue<int>());
        await server.FlushAsync();
        var shown = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}");

        Assert.Equal("Accepted", started["idTokenInfo"]!["status"]!.GetValue<string>());
        Assert.Equal("ConcurrentTx", concurrent["idTokenInfo"]!["status"]!.GetValue<string>());
        Assert.Null(updated["idTokenInfo"]);
        Assert.Null(ended["idTokenInfo"]);
        Assert.Equal("ocpp2.0.1", tx.GetProperty("protocol").GetString());
        Assert.Equal(2, tx.GetProperty("connectorId").GetInt32());
        Assert.Equal(tag, tx.GetProperty("idTag").GetString());
        Assert.Equal(1000, tx.GetProperty("meterStartWh").GetInt64());
        Assert.Equal(2500, tx.GetProperty("meterStopWh").GetInt64());
        Assert.Equal(1500, tx.GetProperty("energyWh").GetInt64());
        Assert.Equal("EVDisconnected", tx.GetProperty("stopReason").GetString());
        Assert.False(tx.GetProperty("active").GetBoolean());
        Assert.Equal(T0, tx.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(T0.AddMinutes(10), tx.GetProperty("stoppedAt").GetDateTimeOffset());
        Assert.Equal(4, detail.GetProperty("meterValuesTotal").GetInt32());
        Assert.Contains(detail.GetProperty("meterValues").EnumerateArray(), m => m.GetProperty("value").GetString() == "1.5" && m.GetProperty("unit").GetString() == "kWh");
        Assert.Equal([0, 1, 2], SeqNos(detail));
        Assert.Equal(["Started", "Updated", "Ended"], detail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("eventType").GetString()));
        Assert.Equal("ocpp1.6", tx16.GetProperty("protocol").GetString());
        Assert.Equal(JsonValueKind.Null, tx16.GetProperty("stationTransactionId").ValueKind);
        Assert.False(shown.GetProperty("connection").GetProperty("online").GetBoolean());
        Assert.Equal("ocpp2.0.1", shown.GetProperty("connection").GetProperty("protocol").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_replayed_seqNo_gets_the_same_answer_and_stores_nothing_twice(string provider)
    {
        var (_, api, station, identity) = await ConnectedAsync(provider);
        await using var __ = station;
        using var _ = api;
        var started = Event("Started", 0, "tx-r", 0, "CablePluggedIn", new { idToken = "NOBODY", type = "eMAID" }, evse: 1, meterValue: [Energy(0, 100)]);
        var updated = Event("Updated", 1, "tx-r", 3, meterValue: [Energy(3, 400)]);

        var first = await station.CallOkAsync("TransactionEvent", started);
        await station.CallOkAsync("TransactionEvent", updated);
        var again = await station.CallOkAsync("TransactionEvent", started);
        await station.CallOkAsync("TransactionEvent", updated);
        var detail = await TransactionAsync(api, identity, "tx-r");

        // An unknown idToken is Invalid, and the transaction is still recorded (the station decides to stop it).
        Assert.Equal("Invalid", first["idTokenInfo"]!["status"]!.GetValue<string>());
        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        Assert.Equal(1, await CountAsync(api, identity));
        Assert.Equal(2, detail.GetProperty("meterValuesTotal").GetInt32());
        Assert.Equal([0, 1], SeqNos(detail));
        Assert.Equal(300, detail.GetProperty("transaction").GetProperty("energyWh").GetInt64());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SeqNo_gaps_are_stored_as_they_come_and_a_late_lower_seqNo_fills_them(string provider)
    {
        var (_, api, station, identity) = await ConnectedAsync(provider);
        await using var __ = station;
        using var _ = api;

        await station.CallOkAsync("TransactionEvent", Event("Started", 0, "tx-g", 0, evse: 1, meterValue: [Energy(0, 0)]));
        await station.CallOkAsync("TransactionEvent", Event("Updated", 4, "tx-g", 8, meterValue: [Energy(8, 800)]));
        await station.CallOkAsync("TransactionEvent", Event("Updated", 2, "tx-g", 4, meterValue: [Energy(4, 400)], offline: true));
        await station.CallOkAsync("TransactionEvent", Event("Updated", 4, "tx-g", 8, meterValue: [Energy(8, 800)]));
        var detail = await TransactionAsync(api, identity, "tx-g");

        Assert.Equal([0, 2, 4], SeqNos(detail));
        Assert.True(detail.GetProperty("events")[1].GetProperty("offline").GetBoolean());
        Assert.Equal(3, detail.GetProperty("meterValuesTotal").GetInt32());
        Assert.Equal(800, detail.GetProperty("transaction").GetProperty("energyWh").GetInt64());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_transaction_whose_Started_was_lost_is_recorded_and_a_late_Started_completes_it(string provider)
    {
        var (_, api, station, identity) = await ConnectedAsync(provider);
        await using var __ = station;
        using var _ = api;

        await station.CallOkAsync("TransactionEvent", Event("Updated", 3, "tx-l", 6, evse: 3, meterValue: [Energy(6, 600)]));
        var lost = (await TransactionAsync(api, identity, "tx-l")).GetProperty("transaction");
        var lostAnomalies = (await TransactionAsync(api, identity, "tx-l")).GetProperty("anomalies").GetString();
        await station.CallOkAsync("TransactionEvent", Event("Ended", 4, "tx-l", 9, "StopAuthorized", meterValue: [Energy(9, 900)], stoppedReason: "Remote"));
        await station.CallOkAsync("TransactionEvent", Event("Started", 0, "tx-l", 0, "Authorized", meterValue: [Energy(0, 100, "Transaction.Begin")], offline: true));
        // Ended without anything before it: recorded too.
        await station.CallOkAsync("TransactionEvent", Event("Ended", 7, "tx-e", 2, "EVDeparted", evse: 1));
        var completed = await TransactionAsync(api, identity, "tx-l");
        var endedOnly = await TransactionAsync(api, identity, "tx-e");

        Assert.Equal(3, lost.GetProperty("connectorId").GetInt32());
        Assert.Equal(T0.AddMinutes(6), lost.GetProperty("startedAt").GetDateTimeOffset());
        Assert.True(lost.GetProperty("active").GetBoolean());
        Assert.Contains("StartedLost", lostAnomalies, StringComparison.Ordinal);
        var t = completed.GetProperty("transaction");
        Assert.Equal(T0, t.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(800, t.GetProperty("energyWh").GetInt64());
        Assert.Equal("Remote", t.GetProperty("stopReason").GetString());
        Assert.DoesNotContain("StartedLost", completed.GetProperty("anomalies").GetString(), StringComparison.Ordinal);
        Assert.Equal([0, 3, 4], SeqNos(completed));
        var e = endedOnly.GetProperty("transaction");
        Assert.False(e.GetProperty("active").GetBoolean());
        Assert.Equal("Local", e.GetProperty("stopReason").GetString());
        Assert.Equal(JsonValueKind.Null, e.GetProperty("energyWh").ValueKind);
        Assert.Contains("StartedLost", endedOnly.GetProperty("anomalies").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_duplicate_Ended_is_answered_and_the_first_stop_stands(string provider)
    {
        var (_, api, station, identity) = await ConnectedAsync(provider);
        await using var __ = station;
        using var _ = api;
        await station.CallOkAsync("TransactionEvent", Event("Started", 0, "tx-d", 0, evse: 1, meterValue: [Energy(0, 0)]));
        var end = Event("Ended", 1, "tx-d", 5, "EVDeparted", meterValue: [Energy(5, 500)], stoppedReason: "EVDisconnected");

        await station.CallOkAsync("TransactionEvent", end);
        await station.CallOkAsync("TransactionEvent", end);
        await station.CallOkAsync("TransactionEvent", Event("Ended", 2, "tx-d", 7, "Deauthorized", meterValue: [Energy(7, 999)], stoppedReason: "DeAuthorized"));
        var after = await station.CallOkAsync("Heartbeat", new { });
        var detail = await TransactionAsync(api, identity, "tx-d");
        var t = detail.GetProperty("transaction");

        Assert.NotNull(after["currentTime"]);
        Assert.Equal(1, await CountAsync(api, identity));
        Assert.Equal("EVDisconnected", t.GetProperty("stopReason").GetString());
        Assert.Equal(500, t.GetProperty("meterStopWh").GetInt64());
        Assert.Equal(T0.AddMinutes(5), t.GetProperty("stoppedAt").GetDateTimeOffset());
        // The second Ended is kept as an event (its samples too: the operator sees what the station sent).
        Assert.Equal([0, 1, 2], SeqNos(detail));
        Assert.Equal(3, detail.GetProperty("meterValuesTotal").GetInt32());
    }

    [Theory]
    [InlineData("""{"eventType":"Started","timestamp":"2026-12-01T10:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"tx-bad"},"idToken":{"idToken":"X","type":"Badge"}}""", "TypeConstraintViolation")]
    [InlineData("""{"eventType":"Started","timestamp":"2026-12-01T10:00:00Z","triggerReason":"Authorized","seqNo":0}""", "OccurrenceConstraintViolation")]
    [InlineData("""{"eventType":"Begun","timestamp":"2026-12-01T10:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"tx-bad"}}""", "TypeConstraintViolation")]
    [InlineData("""{"eventType":"Started","timestamp":"2026-12-01T10:00:00Z","triggerReason":"Authorized","seqNo":"zero","transactionInfo":{"transactionId":"tx-bad"}}""", "TypeConstraintViolation")]
    [InlineData("""{"eventType":"Started","timestamp":"2026-12-01T10:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"0123456789012345678901234567890123456789"}}""", "PropertyConstraintViolation")]
    [InlineData("""[]""", "FormatViolation")]
    [InlineData("""{"eventType":"Started","timestamp":"2026-12-01T10:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"tx-bad"},"evse":{"id":9999}}""", "PropertyConstraintViolation")]
    public async Task A_bad_TransactionEvent_gets_its_error_code_stores_nothing_and_the_connection_stays_up(string payload, string code)
    {
        var (_, api, station, identity) = await ConnectedAsync("Sqlite");
        await using var __ = station;
        using var _ = api;

        var answer = await station.SendRawAndReceiveAsync($"""[2,"bad-te","TransactionEvent",{payload}]""", "bad-te");
        var after = await station.CallOkAsync("TransactionEvent", Event("Started", 0, "tx-ok", 0, evse: 1));

        Assert.Equal(4, answer[0]!.GetValue<int>());
        Assert.Equal(code, answer[2]!.GetValue<string>());
        Assert.NotNull(after);
        Assert.Equal(1, await CountAsync(api, identity));
    }
}
