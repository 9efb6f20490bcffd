using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Data;
using Voltgate.Core.OcppHandlers.V16;
using Voltgate.Ocpp.V16;
using Voltgate.Server.Ocpp;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Sessions;

/// <summary>OCPP-J 1.6 RPC over a real connection: round trips, and a clear CALLERROR for each kind of bad input.</summary>
[Collection(ServerCollection.Name)]
public sealed class MessageTests(ServerPool pool)
{
    /// <summary>A station registered with the given status, and a pool password it can connect with.</summary>
    private static async Task<(VoltgateServer Server, HttpClient Api, string Identity, string Password)> RegisteredAsync(ServerPool pool, string provider = "Sqlite", string status = "Accepted")
    {
        var server = await pool.GetAsync(provider);
        var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        (await api.PostAsJsonAsync("/api/v1/stations", new { identity, registrationStatus = status })).EnsureSuccessStatusCode();
        return (server, api, identity, password);
    }

    private static async Task<(VoltgateServer Server, HttpClient Api, TestStation Station, string Identity)> ConnectedAsync(ServerPool pool, string provider = "Sqlite", string status = "Accepted")
    {
        var (server, api, identity, password) = await RegisteredAsync(pool, provider, status);
        var result = await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6");
        return (server, api, result.Station!, identity);
    }

    private static object Boot => new { chargePointVendor = "KEBA", chargePointModel = "KC-P30-EC2404B2-M0R", firmwareVersion = "1.16.0", chargePointSerialNumber = "22334455" };

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_charging_session_round_trips_and_is_persisted(string provider)
    {
        var (_, api, station, identity) = await ConnectedAsync(pool, provider);
        await using var _ = station;
        using var __ = api;
        var tag = "TAG-" + identity[^6..];
        (await api.PostAsJsonAsync("/api/v1/id-tags", new { idTag = tag })).EnsureSuccessStatusCode();

        var boot = await station.CallOkAsync("BootNotification", Boot);
        Assert.Equal("Accepted", boot["status"]!.GetValue<string>());
        Assert.Equal(300, boot["interval"]!.GetValue<int>());
        var currentTime = (await station.CallOkAsync("Heartbeat", new { }))["currentTime"]!.GetValue<string>();
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$", currentTime);
        Assert.InRange(DateTimeOffset.Parse(currentTime, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        await station.CallOkAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Preparing" });
        Assert.Equal("Invalid", (await station.CallOkAsync("Authorize", new { idTag = "NOT-A-CARD" }))["idTagInfo"]!["status"]!.GetValue<string>());
        Assert.Equal("Accepted", (await station.CallOkAsync("Authorize", new { idTag = tag }))["idTagInfo"]!["status"]!.GetValue<string>());
        var start = await station.CallOkAsync("StartTransaction", new { connectorId = 1, idTag = tag, meterStart = 1000, timestamp = "2026-11-24T10:00:00Z" });
        var transactionId = start["transactionId"]!.GetValue<int>();
        Assert.Equal("Accepted", start["idTagInfo"]!["status"]!.GetValue<string>());
        Assert.Equal("ConcurrentTx", (await station.CallOkAsync("Authorize", new { idTag = tag }))["idTagInfo"]!["status"]!.GetValue<string>());
        await station.CallOkAsync("MeterValues", new
        {
            connectorId = 1,
            transactionId,
            meterValue = new[] { new { timestamp = "2026-11-24T10:05:00Z", sampledValue = new[] { new { value = "1500", measurand = "Energy.Active.Import.Register", unit = "Wh" } } } },
        });
        var stop = await station.CallOkAsync("StopTransaction", new { transactionId, meterStop = 2000, timestamp = "2026-11-24T10:10:00Z", reason = "EVDisconnected" });
        Assert.NotNull(stop);

        var replayed = await station.CallOkAsync("StartTransaction", new { connectorId = 1, idTag = tag, meterStart = 1000, timestamp = "2026-11-24T10:00:00Z" });
        Assert.Equal(transactionId, replayed["transactionId"]!.GetValue<int>());
        var record = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}");
        Assert.Equal("KEBA", record.GetProperty("vendor").GetString());
        Assert.Equal("1.16.0", record.GetProperty("firmwareVersion").GetString());
        Assert.True(record.GetProperty("connection").GetProperty("online").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Meter_values_replayed_after_an_outage_are_stored_once(string provider)
    {
        var (_, api, station, _) = await ConnectedAsync(pool, provider);
        await using var _ = station;
        using var __ = api;
        await station.CallOkAsync("BootNotification", Boot);
        var start = await station.CallOkAsync("StartTransaction", new { connectorId = 1, idTag = "REPLAY", meterStart = 0, timestamp = "2026-11-24T08:00:00Z" });
        var transactionId = start["transactionId"]!.GetValue<int>();
        var meterValues = new
        {
            connectorId = 1,
            transactionId,
            meterValue = new[]
            {
                new { timestamp = "2026-11-24T08:05:00Z", sampledValue = new[] { new { value = "500", measurand = "Energy.Active.Import.Register", unit = "Wh" }, new { value = "11000", measurand = "Power.Active.Import", unit = "W" } } },
            },
        };

        await station.CallOkAsync("MeterValues", meterValues);
        await station.CallOkAsync("MeterValues", meterValues);
        await station.CallOkAsync("MeterValues", meterValues with { });

        var detail = await api.GetFromJsonAsync<JsonElement>($"/api/v1/transactions/{transactionId}");
        Assert.Equal(2, detail.GetProperty("meterValues").GetArrayLength());
    }

    [Fact]
    public async Task Meter_values_are_stored_as_sent_with_the_digests_leniencies_and_a_foreign_transaction_dropped()
    {
        var (server, api, station, identity) = await ConnectedAsync(pool);
        await using var _ = station;
        using var __ = api;
        await station.CallOkAsync("BootNotification", Boot);
        var own = (await station.CallOkAsync("StartTransaction", new { connectorId = 2, idTag = "LENIENT", meterStart = 0, timestamp = "2026-11-24T09:00:00Z" }))["transactionId"]!.GetValue<int>();

        // Raw frames: an integral float connectorId, a number as value, an offset with a fraction, a space and no zone (digest §6.8/§6.9).
        var lenient = await station.SendRawAndReceiveAsync(
            $$"""[2,"mv-1","MeterValues",{"connectorId":2.0,"transactionId":{{own}},"meterValue":[{"timestamp":"2026-11-24T11:05:00.25+02:00","sampledValue":[{"value":1234.50,"context":"Sample.Periodic","format":"Raw","measurand":"Current.Import","phase":"L1","location":"Outlet","unit":"A"},{"value":"7"}]},{"timestamp":"2026-11-24 09:06:00","sampledValue":[{"value":"8","unit":"Wh"}]}]}]""",
            "mv-1");
        var foreign = await station.SendRawAndReceiveAsync(
            """[2,"mv-2","MeterValues",{"connectorId":1,"transactionId":999999,"meterValue":[{"timestamp":"2026-11-24T09:07:00Z","sampledValue":[{"value":"9","measurand":"Energy.Active.Import.Register"}]}]}]""",
            "mv-2");
        Assert.Equal("[3,\"mv-1\",{}]", lenient.ToJsonString());
        Assert.Equal("[3,\"mv-2\",{}]", foreign.ToJsonString());

        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var owner = await db.Stations.IgnoreQueryFilters().Where(s => s.Identity == identity).Select(s => new { s.Id, s.TenantId }).SingleAsync();
        var stationId = owner.Id;
        // Found by the station's and the tenant's ids: the keys are stored in the form EF queries by.
        var rows = (await db.MeterSamples.IgnoreQueryFilters().Where(m => m.StationId == stationId && m.TenantId == owner.TenantId).ToListAsync())
            .OrderBy(m => m.Value, StringComparer.Ordinal)
            .Select(m => (m.ConnectorId, m.TransactionId, m.Timestamp, m.Value, m.Measurand, m.Unit, m.Context, m.Phase, m.Location, m.Format))
            .ToList();
        var at = new DateTimeOffset(2026, 11, 24, 9, 5, 0, 250, TimeSpan.Zero);
        Assert.Equal(
            [
                (2, (int?)own, at, "1234.50", (string?)"Current.Import", (string?)"A", (string?)"Sample.Periodic", (string?)"L1", (string?)"Outlet", (string?)"Raw"),
                (2, own, at, "7", "Energy.Active.Import.Register", null, null, null, null, null),
                (2, own, at.AddMinutes(1).AddMilliseconds(-250), "8", "Energy.Active.Import.Register", "Wh", null, null, null, null),
                (1, null, at.AddMinutes(2).AddMilliseconds(-250), "9", "Energy.Active.Import.Register", null, null, null, null, null),
            ],
            rows);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Replays_are_caught_whether_older_than_live_samples_stored_by_StopTransaction_or_sent_after_a_reconnect(string provider)
    {
        var (server, api, identity, password) = await RegisteredAsync(pool, provider);
        using var _ = api;
        var first = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
        await first.CallOkAsync("BootNotification", Boot);
        var transactionId = (await first.CallOkAsync("StartTransaction", new { connectorId = 1, idTag = "REPLAY2", meterStart = 0, timestamp = "2026-11-24T08:00:00Z" }))["transactionId"]!.GetValue<int>();
        object Meter(string at, string value) => new { connectorId = 1, transactionId, meterValue = new[] { new { timestamp = at, sampledValue = new[] { new { value, unit = "Wh" } } } } };

        await first.CallOkAsync("MeterValues", Meter("2026-11-24T08:05:00Z", "500"));
        await first.CallOkAsync("MeterValues", Meter("2026-11-24T08:10:00Z", "700"));   // newer than anything stored
        await first.CallOkAsync("MeterValues", Meter("2026-11-24T08:05:00Z", "500"));   // older than the newest: a replay
        await first.CallOkAsync("StopTransaction", new
        {
            transactionId,
            meterStop = 1000,
            timestamp = "2026-11-24T08:20:00Z",
            transactionData = new[] { new { timestamp = "2026-11-24T08:15:00Z", sampledValue = new[] { new { value = "900", unit = "Wh" } } } },
        });
        await first.CallOkAsync("MeterValues", Meter("2026-11-24T08:15:00Z", "900"));   // stored by StopTransaction, not by the batcher
        await first.DisposeAsync();
        await using var second = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
        await second.CallOkAsync("MeterValues", Meter("2026-11-24T08:10:00Z", "700"));  // replayed after a reconnect

        var detail = await api.GetFromJsonAsync<JsonElement>($"/api/v1/transactions/{transactionId}");
        var values = detail.GetProperty("meterValues").EnumerateArray().Select(v => v.GetProperty("value").GetString()).Order().ToList();
        Assert.Equal(["500", "700", "900"], values);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_replay_of_samples_another_node_stored_while_the_station_was_away_is_caught(string provider)
    {
        var (server, api, identity, password) = await RegisteredAsync(pool, provider);
        using var _ = api;
        object Meter(string at, string value) => new { connectorId = 1, meterValue = new[] { new { timestamp = at, sampledValue = new[] { new { value, unit = "Wh" } } } } };
        var first = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
        await first.CallOkAsync("MeterValues", Meter("2026-11-24T08:05:00Z", "500"));
        await first.DisposeAsync();
        var sessions = server.Services.GetRequiredService<StationSessions>();
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var owner = await db.Stations.IgnoreQueryFilters().Where(s => s.Identity == identity).Select(s => new { s.Id, s.TenantId }).SingleAsync();
        for (var i = 0; i < 100 && sessions.Find(owner.TenantId, identity) is not null; i++)
        {
            await Task.Delay(50);
        }

        Assert.Null(sessions.Find(owner.TenantId, identity));
        // Meanwhile the station was on another node, which stored a newer sample; the station then comes back here and
        // replays it because that node's answer never reached it.
        var elsewhere = V16MeterValues.Create(owner.TenantId, owner.Id, 1, null,
            [new MeterValue { Timestamp = DateTimeOffset.Parse("2026-11-24T08:10:00Z", CultureInfo.InvariantCulture), SampledValue = [new SampledValue { Value = "700", Unit = UnitOfMeasure.Wh }] }]);
        db.MeterSamples.AddRange(elsewhere);
        await db.SaveChangesAsync();
        await using var second = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
        await second.CallOkAsync("MeterValues", Meter("2026-11-24T08:10:00Z", "700"));
        await second.CallOkAsync("MeterValues", Meter("2026-11-24T08:15:00Z", "900"));

        var values = await db.MeterSamples.IgnoreQueryFilters().Where(m => m.StationId == owner.Id).Select(m => m.Value).ToListAsync();
        Assert.Equal(["500", "700", "900"], values.Order());
    }

    [Fact]
    public async Task A_pending_station_may_boot_but_gets_SecurityError_for_anything_else()
    {
        var (_, api, station, _) = await ConnectedAsync(pool, status: "Pending");
        await using var _ = station;
        using var __ = api;

        var boot = await station.CallOkAsync("BootNotification", Boot);
        var heartbeat = await station.CallAsync("Heartbeat", new { });

        Assert.Equal("Pending", boot["status"]!.GetValue<string>());
        Assert.Equal(4, heartbeat[0]!.GetValue<int>());
        Assert.Equal("SecurityError", heartbeat[2]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> BadFrames => new()
    {
        { "invalid JSON", "[2,\"b1\",\"Heartbeat\",{", "GenericError" },
        { "unknown action", "[2,\"b1\",\"FlyToTheMoon\",{}]", "NotImplemented" },
        { "server-only action", "[2,\"b1\",\"Reset\",{\"type\":\"Hard\"}]", "NotSupported" },
        { "wrong field type", "[2,\"b1\",\"StatusNotification\",{\"connectorId\":\"one\",\"errorCode\":\"NoError\",\"status\":\"Available\"}]", "TypeConstraintViolation" },
        { "missing required field", "[2,\"b1\",\"Authorize\",{}]", "OccurenceConstraintViolation" },
        { "too long", "[2,\"b1\",\"Authorize\",{\"idTag\":\"123456789012345678901\"}]", "PropertyConstraintViolation" },
        { "payload not an object", "[2,\"b1\",\"Heartbeat\",[]]", "FormationViolation" },
        { "wrong message type id", "[7,\"b1\",\"Heartbeat\",{}]", "ProtocolError" },
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task A_bad_frame_gets_a_clear_CALLERROR_and_the_connection_stays_usable(string why, string frame, string code)
    {
        var (_, api, station, _) = await ConnectedAsync(pool);
        await using var _ = station;
        using var __ = api;
        await station.CallOkAsync("BootNotification", Boot);

        // An unreadable frame has no readable id: the answer uses "-1".
        var answer = await station.SendRawAndReceiveAsync(frame, code == "GenericError" ? "-1" : "b1");

        Assert.True(answer[0]!.GetValue<int>() == 4, why);
        Assert.Equal(code, answer[2]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(answer[3]!.GetValue<string>()), "the description must say what was wrong");
        Assert.NotNull(await station.CallOkAsync("Heartbeat", new { }));
    }

    [Fact]
    public async Task An_oversize_frame_closes_the_connection_with_1009()
    {
        var (_, api, station, _) = await ConnectedAsync(pool);
        await using var _ = station;
        using var __ = api;

        await station.SendRawAsync("[2,\"big\",\"DataTransfer\",{\"vendorId\":\"x\",\"data\":\"" + new string('a', 10_000) + "\"}]");

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await station.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_frame_longer_than_the_first_receive_buffer_is_read_whole_and_answered()
    {
        var (_, api, station, _) = await ConnectedAsync(pool);
        await using var _ = station;
        using var __ = api;
        await station.CallOkAsync("BootNotification", Boot);
        var data = new string('z', 6_000); // over the 4 KiB the server reads into first, under MaxFrameBytes (8,192)

        var answer = await station.SendRawAndReceiveAsync("[2,\"long\",\"DataTransfer\",{\"vendorId\":\"x\",\"data\":\"" + data + "\"}]", "long");

        Assert.Equal(3, answer[0]!.GetValue<int>());
        Assert.Equal("UnknownVendorId", answer[2]!["status"]!.GetValue<string>());
        Assert.NotNull(await station.CallOkAsync("Heartbeat", new { }));
    }

    [Fact]
    public async Task A_late_or_unknown_CALLRESULT_is_dropped_without_an_answer()
    {
        var (_, api, station, _) = await ConnectedAsync(pool);
        await using var _ = station;
        using var __ = api;

        await station.SendRawAsync("[3,\"nobody-asked\",{}]");

        Assert.NotNull(await station.CallOkAsync("Heartbeat", new { }));
    }

    [Fact]
    public async Task Frames_are_kept_in_the_message_log_with_the_authorization_key_redacted()
    {
        var (server, api, station, identity) = await ConnectedAsync(pool);
        await using var _ = station;
        using var __ = api;
        // The shared server keeps metadata only (the default); this station is recorded in full, payloads redacted.
        var full = await api.PutAsJsonAsync($"/api/v1/stations/{identity}/message-log/recording", new { recording = "Full" });
        Assert.Equal(System.Net.HttpStatusCode.OK, full.StatusCode);
        await station.CallOkAsync("BootNotification", Boot);
        await station.SendRawAndReceiveAsync("[2,\"k1\",\"DataTransfer\",{\"vendorId\":\"x\",\"data\":\"hello\"}]", "k1");
        await server.Services.GetRequiredService<Voltgate.Core.MessageHistory.IMessageRecorder>().FlushAsync(CancellationToken.None);

        var log = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/message-log");

        var frames = log.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("action").GetString() + " " + f.GetProperty("payload").GetRawText()).ToList();
        Assert.Contains(frames, f => f.StartsWith("BootNotification", StringComparison.Ordinal) && f.Contains("chargePointVendor", StringComparison.Ordinal));
        Assert.Contains(frames, f => f.StartsWith("DataTransfer", StringComparison.Ordinal) && f.Contains("UnknownVendorId", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_station_notification_is_audited_under_the_stations_tenant_and_name_between_unscoped_messages()
    {
        // Heartbeat, StatusNotification and MeterValues run without a DI scope; an audited notification gets one with
        // the station's tenant and actor. Interleaving them shows neither path leaks into the other.
        var (_, api, station, identity) = await ConnectedAsync(pool);
        await using var _ = station;
        using var __ = api;
        await station.CallOkAsync("BootNotification", Boot);
        await station.CallOkAsync("Heartbeat", new { });
        await station.CallOkAsync("FirmwareStatusNotification", new { status = "Installed" });
        await station.CallOkAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Available" });

        var audit = await api.GetFromJsonAsync<JsonElement>($"/api/v1/audit-events?action=Station.FirmwareStatus&actor=station:{identity}");

        var entry = Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.Equal($"station:{identity}", entry.GetProperty("actor").GetString());
        Assert.Equal(identity, entry.GetProperty("target").GetString());
        Assert.Equal("Installed", entry.GetProperty("details").GetProperty("status").GetString());
        var connectors = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/connectors");
        var connector = Assert.Single(connectors.GetProperty("items").EnumerateArray());
        Assert.Equal("Available", connector.GetProperty("status").GetString());
    }
}
