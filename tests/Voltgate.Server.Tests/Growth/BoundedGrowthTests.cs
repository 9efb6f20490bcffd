using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Voltgate.Server.Tests.Support;
using Xunit.Abstractions;

namespace Voltgate.Server.Tests.Growth;

/// <summary>
/// Untrusted input cannot grow storage without bound (issue 19, finding 5): sample limits per message, per
/// transaction and per station and minute; refused handshakes folded per source, identity, reason and minute; a
/// transaction's meter values answered a page at a time.
/// </summary>
public sealed class BoundedGrowthTests(ITestOutputHelper output)
{
    private const int PerMessage = 50;
    private const int PerTransaction = 400;
    private const int PerStationMinute = 1_000;

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_sample_flood_is_refused_beyond_the_limits_and_the_stored_count_is_bounded(string provider)
    {
        await using var server = await VoltgateServer.StartAsync(provider,
            $"--Voltgate:Limits:MaxSamplesPerMessage={PerMessage}", $"--Voltgate:Limits:MaxSamplesPerTransaction={PerTransaction}",
            $"--Voltgate:Limits:MaxSamplesPerStationPerMinute={PerStationMinute}");
        using var api = await server.AdminClientAsync();
        var (station, _) = await BootedAsync(server, api);
        await using var __ = station;
        var start = await station.CallOkAsync("StartTransaction", new { connectorId = 1, idTag = "CARD", meterStart = 0, timestamp = Now(-3600) });
        var transactionId = start["transactionId"]!.GetValue<int>();

        // One message over the per-message limit: refused whole.
        var tooBig = await station.CallAsync("MeterValues", MeterValues(transactionId, PerMessage + 1, offset: 0));
        AssertError(tooBig, "OccurenceConstraintViolation", "MaxSamplesPerMessage");
        Assert.Equal(0, await StoredAsync(api, transactionId));

        // The transaction's limit: 8 messages of 50 fit, the 9th and later are refused.
        var sent = PerMessage + 1;
        JsonArray? refused = null;
        for (var i = 0; i < 12; i++)
        {
            var answer = await station.CallAsync("MeterValues", MeterValues(transactionId, PerMessage, offset: (i + 1) * PerMessage));
            sent += PerMessage;
            if (answer[0]!.GetValue<int>() == 4)
            {
                refused ??= answer;
            }
        }

        AssertError(refused!, "GenericError", "MaxSamplesPerTransaction");
        Assert.Equal(PerTransaction, await StoredAsync(api, transactionId));

        // The station's minute budget: 400 of 1,000 are used, so 12 more messages without a transaction fit.
        var withoutTransaction = 0;
        for (var i = 0; i < 20; i++)
        {
            var answer = await station.CallAsync("MeterValues", MeterValues(null, PerMessage, offset: 10_000 + (i * PerMessage)));
            sent += PerMessage;
            if (answer[0]!.GetValue<int>() == 3)
            {
                withoutTransaction += PerMessage;
            }
            else
            {
                AssertError(answer, "GenericError", "MaxSamplesPerStationPerMinute");
            }
        }

        Assert.InRange(withoutTransaction, PerStationMinute - PerTransaction - PerMessage, PerStationMinute - PerTransaction + PerMessage);
        var stored = PerTransaction + withoutTransaction;
        output.WriteLine($"samples flood ({provider}): {sent} sent, {stored} stored (limits {PerMessage}/message, {PerTransaction}/transaction, {PerStationMinute}/station/minute)");
        var heartbeat = await station.CallOkAsync("Heartbeat", new { });
        Assert.NotNull(heartbeat);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_refused_handshake_flood_writes_a_bounded_number_of_rows(string provider)
    {
        await using var server = await VoltgateServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var identity = Arrange.NewIdentity();
        await api.PasswordAsync(Arrange.RandomPassword());
        await api.StationAsync(identity);
        const int attempts = 500;
        var source = IPAddress.Parse("127.0.0.7");
        for (var i = 0; i < attempts; i++)
        {
            var wrong = await TestStation.ConnectWithHeaderAsync(server.AuthEndpoint, identity,
                TestStation.BasicHeader(identity, Encoding.UTF8.GetBytes($"wrong-password-{i:D8}")), ["ocpp1.6"], source);
            Assert.False(wrong.Upgraded);
        }

        await server.FlushAsync();
        var page = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/connection-attempts?take=500");
        var rows = page.GetProperty("items").EnumerateArray().ToList();
        var counted = rows.Sum(r => r.GetProperty("count").GetInt32());
        output.WriteLine($"refused handshakes ({provider}): {attempts} attempts, {rows.Count} rows ({string.Join(", ", rows.Select(r => $"{r.GetProperty("reason").GetString()} x{r.GetProperty("count").GetInt32()}"))})");
        Assert.Equal(attempts, counted);
        // One row per reason (PasswordMismatch, then RateLimited) and minute; the flood spans at most two minutes.
        Assert.InRange(rows.Count, 1, 4);
        Assert.All(rows, r => Assert.Equal("127.0.0.7", r.GetProperty("sourceAddress").GetString()));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Meter_values_are_paged_and_bad_pages_are_refused_with_a_problem(string provider)
    {
        await using var server = await VoltgateServer.StartAsync(provider);
        using var api = await server.AdminClientAsync();
        var (station, _) = await BootedAsync(server, api);
        await using var __ = station;
        var start = await station.CallOkAsync("StartTransaction", new { connectorId = 1, idTag = "CARD", meterStart = 0, timestamp = Now(-3600) });
        var transactionId = start["transactionId"]!.GetValue<int>();
        for (var i = 0; i < 6; i++)
        {
            await station.CallOkAsync("MeterValues", MeterValues(transactionId, 100, offset: i * 100));
        }

        var detail = await api.GetFromJsonAsync<JsonElement>($"/api/v1/transactions/{transactionId}");
        Assert.Equal(100, detail.GetProperty("meterValues").GetArrayLength()); // the default page, not all 600
        Assert.Equal(600, detail.GetProperty("meterValuesTotal").GetInt32());

        var last = await api.GetFromJsonAsync<JsonElement>($"/api/v1/transactions/{transactionId}/meter-values?skip=500&take=500");
        Assert.Equal(100, last.GetProperty("items").GetArrayLength());
        Assert.Equal(600, last.GetProperty("total").GetInt32());
        var full = await api.GetFromJsonAsync<JsonElement>($"/api/v1/transactions/{transactionId}/meter-values?take=500");
        Assert.Equal(500, full.GetProperty("items").GetArrayLength());

        foreach (var bad in new[] { "take=0", "take=501", "skip=-1", "take=abc", "take=100000" })
        {
            foreach (var path in new[] { $"/api/v1/transactions/{transactionId}/meter-values?{bad}", $"/api/v1/transactions/{transactionId}?{bad}" })
            {
                using var response = await api.GetAsync(path);
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        var after = await api.GetFromJsonAsync<JsonElement>($"/api/v1/transactions/{transactionId}/meter-values?take=1");
        Assert.Equal(600, after.GetProperty("total").GetInt32());
        output.WriteLine($"meter values paging ({provider}): 600 stored, pages of at most 500, 10 bad pages answered 400");
    }

    internal static async Task<(TestStation Station, string Identity)> BootedAsync(VoltgateServer server, HttpClient api, string vendor = "KEBA")
    {
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        (await api.PostAsJsonAsync("/api/v1/stations", new { identity, registrationStatus = "Accepted" })).EnsureSuccessStatusCode();
        var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
        await station.CallOkAsync("BootNotification", new { chargePointVendor = vendor, chargePointModel = "P30" });
        return (station, identity);
    }

    internal static string Now(int seconds) => DateTimeOffset.UtcNow.AddSeconds(seconds).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    internal static void AssertError(JsonArray answer, string code, string descriptionNames)
    {
        Assert.True(answer[0]!.GetValue<int>() == 4, $"expected a CALLERROR, got {answer.ToJsonString()}");
        Assert.Equal(code, answer[2]!.GetValue<string>());
        Assert.Contains(descriptionNames, answer[3]!.GetValue<string>(), StringComparison.Ordinal);
    }

    // Distinct times, so no sample is taken for a replay of another.
    private static object MeterValues(int? transactionId, int count, int offset)
    {
        var values = Enumerable.Range(0, count).Select(i => new
        {
            timestamp = DateTimeOffset.UtcNow.AddHours(-2).AddSeconds(offset + i).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            sampledValue = new[] { new { value = (offset + i).ToString(System.Globalization.CultureInfo.InvariantCulture) } },
        }).ToArray();
        return transactionId is { } id
            ? new { connectorId = 1, transactionId = id, meterValue = values }
            : (object)new { connectorId = 1, meterValue = values };
    }

    private static async Task<int> StoredAsync(HttpClient api, int transactionId) =>
        (await api.GetFromJsonAsync<JsonElement>($"/api/v1/transactions/{transactionId}/meter-values?take=1")).GetProperty("total").GetInt32();
}
