using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.MessageHistory;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.MessageHistory;

/// <summary>
/// The persistent message history (issue 18 item 2): frames outlive a restart, are redacted, searchable by action,
/// direction, message id and time, exportable as JSON lines, kept within their window, and recorded in full per
/// station on request.
/// </summary>
public sealed class MessageHistoryTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    private const string Secret = "Sup3rSecretAuthorizationKey0123456789";

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Frames_survive_a_restart_redacted_and_searchable(string provider)
    {
        var directory = Path.Combine(Path.GetTempPath(), "voltgate-history-" + Guid.NewGuid().ToString("N"));
        var shared = provider == "Postgres"
            ? $"--ConnectionStrings:Voltgate={TestDatabases.PostgresConnectionString()}"
            : $"--Voltgate:DataDirectory={directory}";
        var identity = Arrange.NewIdentity();
        try
        {
            DateTimeOffset beforeHeartbeat;
            await using (var first = await VoltgateServer.StartAsync(provider, shared, "--Voltgate:MessageHistory:Recording=Full"))
            {
                using var api = await first.AdminClientAsync();
                var password = Arrange.RandomPassword();
                await api.PasswordAsync(password);
                await api.StationAsync(identity);
                await using var station = (await TestStation.ConnectAsync(first.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
                await station.CallOkAsync("BootNotification", new { chargePointVendor = "ACME", chargePointModel = "History" });
                await Task.Delay(20);
                beforeHeartbeat = DateTimeOffset.UtcNow;
                await station.CallOkAsync("Heartbeat", new { });
                // A command carrying a secret: the history must keep neither its value nor the station's echo of it.
                station.OnServerCall = (_, _) => new System.Text.Json.Nodes.JsonObject { ["status"] = "Accepted" };
                var sent = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/ChangeConfiguration", new { key = "AuthorizationKey", value = Secret });
                Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
                await first.Services.GetRequiredService<IMessageRecorder>().FlushAsync(CancellationToken.None);
            }

            await using var second = await VoltgateServer.StartAsync(provider, shared, "--Voltgate:MessageHistory:Recording=Full");
            using var api2 = await second.AdminClientAsync();
            var all = await api2.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/message-log?take=100");
            var total = all.GetProperty("total").GetInt32();
            Assert.True(total >= 6, all.GetRawText()); // Boot, Heartbeat, ChangeConfiguration: each CALL and its answer
            Assert.DoesNotContain(Secret, all.GetRawText(), StringComparison.Ordinal);

            var change = (await api2.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/message-log?action=ChangeConfiguration")).GetProperty("items");
            Assert.Equal(2, change.GetArrayLength());
            Assert.Equal("CallResult", change[0].GetProperty("messageType").GetString()); // newest first; the answer knows its CALL's action
            Assert.Equal("In", change[0].GetProperty("direction").GetString());
            Assert.Equal("Accepted", change[0].GetProperty("payload").GetProperty("status").GetString());
            Assert.Equal("Call", change[1].GetProperty("messageType").GetString());
            Assert.Equal("Out", change[1].GetProperty("direction").GetString());
            Assert.Equal("***", change[1].GetProperty("payload").GetProperty("value").GetString());

            var boots = await api2.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/message-log?action=BootNotification");
            Assert.Equal(2, boots.GetProperty("total").GetInt32());
            Assert.Equal("ACME", boots.GetProperty("items")[1].GetProperty("payload").GetProperty("chargePointVendor").GetString());

            var outbound = await api2.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/message-log?direction=out&action=Heartbeat");
            Assert.Equal(1, outbound.GetProperty("total").GetInt32());
            Assert.Equal("CallResult", outbound.GetProperty("items")[0].GetProperty("messageType").GetString());

            var heartbeatId = outbound.GetProperty("items")[0].GetProperty("messageId").GetString();
            var byId = await api2.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/message-log?messageId={heartbeatId}");
            Assert.Equal(2, byId.GetProperty("total").GetInt32()); // the CALL and its answer share the id

            var at = Uri.EscapeDataString(beforeHeartbeat.ToString("O"));
            Assert.Equal(2, (await api2.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/message-log?from={at}&action=Heartbeat")).GetProperty("total").GetInt32());
            Assert.Equal(0, (await api2.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/message-log?to={at}&action=Heartbeat")).GetProperty("total").GetInt32());
            Assert.Equal(2, (await api2.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/message-log?to={at}&action=BootNotification")).GetProperty("total").GetInt32());

            var page = await api2.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/message-log?skip=1&take=2");
            Assert.Equal(total, page.GetProperty("total").GetInt32());
            Assert.Equal(2, page.GetProperty("items").GetArrayLength());
            Assert.Equal(all.GetProperty("items")[1].GetRawText(), page.GetProperty("items")[0].GetRawText());

            // The export: the same frames, oldest first, one JSON object per line.
            var export = await api2.GetAsync($"/api/v1/stations/{identity}/message-log/export");
            Assert.Equal("application/x-ndjson", export.Content.Headers.ContentType?.MediaType);
            var lines = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(total, lines.Length);
            Assert.Equal("BootNotification", JsonDocument.Parse(lines[0]).RootElement.GetProperty("action").GetString());
            Assert.DoesNotContain(Secret, string.Join('\n', lines), StringComparison.Ordinal);
        }
        finally
        {
            TryDelete(directory);
        }
    }

    [Fact]
    public async Task A_malformed_search_is_refused_with_the_parameter_and_the_reason()
    {
        await using var server = await VoltgateServer.StartAsync("Sqlite", "--Voltgate:MessageHistory:Recording=Metadata");
        using var api = await server.AdminClientAsync();
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var url = $"/api/v1/stations/{identity}/message-log";

        await AssertRefusedAsync(api, $"{url}?from=yesterday", "from", "not a time");
        await AssertRefusedAsync(api, $"{url}?to=2026-13-45T99:00:00Z", "to", "not a time");
        await AssertRefusedAsync(api, $"{url}?from=2026-12-03", "from", "not a time"); // a date alone is ambiguous: refused, not guessed
        await AssertRefusedAsync(api, $"{url}?from=2026-12-03T10:00:00Z&to=2026-12-03T09:00:00Z", "from", "later than");
        await AssertRefusedAsync(api, $"{url}?take=0", "take", "1 to 500");
        await AssertRefusedAsync(api, $"{url}?take=501", "take", "1 to 500");
        await AssertRefusedAsync(api, $"{url}?take=ten", "take", "1 to 500");
        await AssertRefusedAsync(api, $"{url}?skip=-1", "skip", "whole number");
        await AssertRefusedAsync(api, $"{url}?direction=sideways", "direction", "In");
        await AssertRefusedAsync(api, $"{url}/export?from=soon", "from", "not a time");

        // Refused before anything was read or changed: a valid search still answers, and unknown stations stay 404.
        var ok = await api.GetAsync($"{url}?from=2026-12-03T09:00:00Z&to=2026-12-03T10:00:00%2B01:00&take=500&direction=In");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/stations/NO-SUCH-STATION/message-log")).StatusCode);

        var badMinutes = await api.PutAsJsonAsync($"{url}/recording", new { recording = "Full", minutes = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, badMinutes.StatusCode);
        Assert.Contains("minutes", await badMinutes.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var state = await api.GetFromJsonAsync<JsonElement>($"{url}/recording");
        Assert.Equal("Metadata", state.GetProperty("recording").GetString());
        Assert.False(state.GetProperty("overridden").GetBoolean());
    }

    [Fact]
    public async Task Metadata_by_default_and_a_station_recorded_in_full_on_request()
    {
        await using var server = await VoltgateServer.StartAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        await using var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
        var recorder = server.Services.GetRequiredService<IMessageRecorder>();

        await station.CallOkAsync("Heartbeat", new { });
        await recorder.FlushAsync(CancellationToken.None);
        var metadata = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/message-log?action=Heartbeat");
        Assert.Equal(2, metadata.GetProperty("total").GetInt32());
        Assert.All(metadata.GetProperty("items").EnumerateArray(), i =>
        {
            Assert.Equal(JsonValueKind.Null, i.GetProperty("payload").ValueKind);
            Assert.True(i.GetProperty("length").GetInt32() > 0);
        });

        var full = await api.PutAsJsonAsync($"/api/v1/stations/{identity}/message-log/recording", new { recording = "Full", minutes = 30 });
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        var state = await full.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Full", state.GetProperty("recording").GetString());
        Assert.Equal("Metadata", state.GetProperty("default").GetString());
        Assert.True(state.GetProperty("until").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(29));

        await station.CallOkAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Available" });
        await recorder.FlushAsync(CancellationToken.None);
        var recorded = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/message-log?action=StatusNotification&direction=In");
        Assert.Equal("Available", recorded.GetProperty("items")[0].GetProperty("payload").GetProperty("status").GetString());

        var reset = await api.PutAsJsonAsync($"/api/v1/stations/{identity}/message-log/recording", new { recording = (string?)null });
        Assert.False((await reset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("overridden").GetBoolean());
        await station.CallOkAsync("Heartbeat", new { });
        await recorder.FlushAsync(CancellationToken.None);
        var again = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/message-log?action=Heartbeat&take=1");
        Assert.Equal(JsonValueKind.Null, again.GetProperty("items")[0].GetProperty("payload").ValueKind);
    }

    [Fact]
    public async Task The_cleanup_keeps_each_station_within_its_count_and_age()
    {
        await using var server = await VoltgateServer.StartAsync("Sqlite", "--Voltgate:MessageHistory:MaxPerStation=4", "--Voltgate:MessageHistory:CleanupInterval=01:00:00");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var (busy, quiet) = (Arrange.NewIdentity(), Arrange.NewIdentity());
        await api.StationAsync(busy);
        await api.StationAsync(quiet);
        await using var a = (await TestStation.ConnectAsync(server.AuthEndpoint, busy, password, "ocpp1.6")).Station!;
        await using var b = (await TestStation.ConnectAsync(server.AuthEndpoint, quiet, password, "ocpp1.6")).Station!;
        for (var i = 0; i < 5; i++)
        {
            await a.CallOkAsync("Heartbeat", new { });
        }

        await b.CallOkAsync("Heartbeat", new { });
        await server.Services.GetRequiredService<IMessageRecorder>().FlushAsync(CancellationToken.None);
        var newest = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{busy}/message-log?take=4")).GetProperty("items").GetRawText();

        var cleanup = server.Services.GetRequiredService<MessageHistoryCleanup>();
        Assert.Equal(6, await cleanup.RunOnceAsync(CancellationToken.None));

        var kept = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{busy}/message-log?take=10");
        Assert.Equal(4, kept.GetProperty("total").GetInt32());
        Assert.Equal(newest, kept.GetProperty("items").GetRawText()); // the newest four, untouched
        Assert.Equal(2, (await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{quiet}/message-log")).GetProperty("total").GetInt32());

        // Age: everything older than a cutoff goes, in batches, for every station.
        await using var scope = server.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<MessageHistoryStore>();
        var tenantId = (await scope.ServiceProvider.GetRequiredService<Voltgate.Core.Tenancy.TenantDirectory>().FindAsync("default", CancellationToken.None))!.Id;
        Assert.Equal(0, await store.DeleteOlderThanAsync(tenantId, DateTimeOffset.UtcNow.AddHours(-1), 100, CancellationToken.None));
        Assert.Equal(4, await store.DeleteOlderThanAsync(tenantId, DateTimeOffset.UtcNow.AddSeconds(1), 4, CancellationToken.None));
        Assert.Equal(2, await store.DeleteOlderThanAsync(tenantId, DateTimeOffset.UtcNow.AddSeconds(1), 4, CancellationToken.None));
    }

    private static async Task AssertRefusedAsync(HttpClient api, string url, string parameter, string reason)
    {
        var response = await api.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var messages = problem.GetProperty("errors").GetProperty(parameter).EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Contains(messages, m => m!.Contains(reason, StringComparison.Ordinal));
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
