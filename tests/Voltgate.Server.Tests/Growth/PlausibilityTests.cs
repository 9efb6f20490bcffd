using System.Net.Http.Json;
using System.Text.Json;
using Voltgate.Server.Tests.Support;
using Xunit.Abstractions;
using static Voltgate.Server.Tests.Growth.BoundedGrowthTests;

namespace Voltgate.Server.Tests.Growth;

/// <summary>
/// What the schema allows but no station means (issue 19, finding 5; docs/reliability.md, "Plausibility"): each
/// is refused with the OCPP 1.6 code and nothing stored, or stored with a flag the API and the UI show.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class PlausibilityTests(ServerPool pool, ITestOutputHelper output)
{
    [Theory]
    [InlineData(-1)]
    [InlineData(2147483647)]
    [InlineData(0)] // StartTransaction names a connector, never the station itself
    public async Task A_start_on_an_implausible_connector_is_refused_and_nothing_is_stored(int connectorId)
    {
        var (api, station, identity) = await BootedAsync();
        using var _ = api;
        await using var __ = station;

        var answer = await station.CallAsync("StartTransaction", new { connectorId, idTag = "CARD", meterStart = 0, timestamp = Now(-60) });

        AssertError(answer, "PropertyConstraintViolation", "connectorId");
        output.WriteLine($"StartTransaction connectorId {connectorId}: {answer[2]} \"{answer[3]}\"");
        Assert.Equal(0, await TransactionCountAsync(api, identity));
    }

    [Theory]
    [InlineData("""{"connectorId":-1,"meterValue":[{"timestamp":"2026-12-01T10:00:00Z","sampledValue":[{"value":"1"}]}]}""", "MeterValues", "connectorId")]
    [InlineData("""{"connectorId":2147483647,"meterValue":[{"timestamp":"2026-12-01T10:00:00Z","sampledValue":[{"value":"1"}]}]}""", "MeterValues", "connectorId")]
    [InlineData("""{"connectorId":1,"meterValue":[{"timestamp":"9999-12-31T23:59:59Z","sampledValue":[{"value":"1"}]}]}""", "MeterValues", "timestamp")]
    [InlineData("""{"connectorId":1,"meterValue":[{"timestamp":"1970-01-01T00:00:00Z","sampledValue":[{"value":"1"}]}]}""", "MeterValues", "timestamp")]
    [InlineData("""{"connectorId":2147483647,"errorCode":"NoError","status":"Available"}""", "StatusNotification", "connectorId")]
    [InlineData("""{"connectorId":-1,"errorCode":"NoError","status":"Available"}""", "StatusNotification", "connectorId")]
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":"9999-01-01T00:00:00Z"}""", "StatusNotification", "timestamp")]
    [InlineData("""{"connectorId":1,"idTag":"CARD","meterStart":0,"timestamp":"9999-01-01T00:00:00Z"}""", "StartTransaction", "timestamp")]
    public async Task An_implausible_value_is_refused_with_PropertyConstraintViolation_and_nothing_is_stored(string payload, string action, string field)
    {
        var (api, station, identity) = await BootedAsync();
        using var _ = api;
        await using var __ = station;

        var answer = await station.SendRawAndReceiveAsync($"""[2,"p1","{action}",{payload}]""", "p1");

        AssertError(answer, "PropertyConstraintViolation", field);
        output.WriteLine($"{action} {payload}: {answer[2]} \"{answer[3]}\"");
        var connectors = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/connectors");
        Assert.Equal(0, connectors.GetProperty("total").GetInt32());
        Assert.Equal(0, await TransactionCountAsync(api, identity));
        Assert.False(station.Closed.IsCompleted);
    }

    [Fact]
    public async Task A_stop_below_its_start_is_stored_flagged_with_no_negative_energy()
    {
        var (api, station, _) = await BootedAsync();
        using var _ = api;
        await using var __ = station;
        var start = await station.CallOkAsync("StartTransaction", new { connectorId = 1, idTag = "CARD", meterStart = 1000, timestamp = Now(-600) });
        var transactionId = start["transactionId"]!.GetValue<int>();

        await station.CallOkAsync("StopTransaction", new { transactionId, meterStop = 10, timestamp = Now(-60) });

        var detail = await api.GetFromJsonAsync<JsonElement>($"/api/v1/transactions/{transactionId}");
        var transaction = detail.GetProperty("transaction");
        Assert.Equal(10, transaction.GetProperty("meterStopWh").GetInt64());
        Assert.Equal(JsonValueKind.Null, transaction.GetProperty("energyWh").ValueKind);
        Assert.Equal("MeterStopBelowStart", detail.GetProperty("anomalies").GetString());
        output.WriteLine($"meterStop 10 < meterStart 1000: answered CALLRESULT, stored meterStop 10, energy null, anomalies {detail.GetProperty("anomalies")}");
    }

    [Fact]
    public async Task A_stop_in_the_year_9999_is_stored_at_the_time_received_flagged()
    {
        var (api, station, _) = await BootedAsync();
        using var _ = api;
        await using var __ = station;
        var start = await station.CallOkAsync("StartTransaction", new { connectorId = 1, idTag = "CARD", meterStart = 0, timestamp = Now(-600) });
        var transactionId = start["transactionId"]!.GetValue<int>();

        await station.CallOkAsync("StopTransaction", new { transactionId, meterStop = 500, timestamp = "9999-12-31T23:59:59Z" });

        var detail = await api.GetFromJsonAsync<JsonElement>($"/api/v1/transactions/{transactionId}");
        var stoppedAt = detail.GetProperty("transaction").GetProperty("stoppedAt").GetDateTimeOffset();
        Assert.InRange(stoppedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal("StopTimeReplaced", detail.GetProperty("anomalies").GetString());
        Assert.Equal(500, detail.GetProperty("transaction").GetProperty("energyWh").GetInt64());
    }

    [Fact]
    public async Task NUL_and_bidi_overrides_in_vendor_strings_are_stripped()
    {
        var server = await pool.GetAsync("Sqlite");
        var api = await server.AdminClientAsync();
        using var _ = api;
        var (station, identity) = await BoundedGrowthTests.BootedAsync(server, api);
        await using var __ = station;

        var answer = await station.SendRawAndReceiveAsync(
            """[2,"v1","BootNotification",{"chargePointVendor":"KE\u0000BA\u202e","chargePointModel":"\u202eP30\u0007","firmwareVersion":"1.0\u2066"}]""", "v1");

        Assert.Equal(3, answer[0]!.GetValue<int>());
        var view = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}");
        Assert.Equal("KEBA", view.GetProperty("vendor").GetString());
        Assert.Equal("P30", view.GetProperty("model").GetString());
        Assert.Equal("1.0", view.GetProperty("firmwareVersion").GetString());
        output.WriteLine("BootNotification vendor \"KE\\u0000BA\\u202e\": answered Accepted, stored \"KEBA\"");
    }

    private async Task<(HttpClient Api, TestStation Station, string Identity)> BootedAsync()
    {
        var server = await pool.GetAsync("Sqlite");
        var api = await server.AdminClientAsync();
        var (station, identity) = await BoundedGrowthTests.BootedAsync(server, api);
        return (api, station, identity);
    }

    private static async Task<int> TransactionCountAsync(HttpClient api, string identity) =>
        (await api.GetFromJsonAsync<JsonElement>($"/api/v1/transactions?station={identity}")).GetProperty("total").GetInt32();
}
