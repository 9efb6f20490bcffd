using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Voltgate.Server.Tests.Support;
using Xunit.Abstractions;

namespace Voltgate.Ui.Tests;

/// <summary>
/// The station page's Message log tab in real headless Chromium (issue 18 item 2): the station's frames are listed,
/// filtered by action, tailed live; the export link answers JSON lines of that station only; "record in full for an
/// hour" and back to the default change what the recording line says; a secret in a recorded ChangeConfiguration is
/// shown as <c>***</c>, never as its value.
/// </summary>
public sealed class MessageLogFlowTests(UiServer server, ITestOutputHelper output) : IClassFixture<UiServer>
{
    /// <summary>A bound on waiting, not a speed requirement: the history is written in batches and the tab polls once a second.</summary>
    private const float TailTimeoutMs = 10_000;

    private const string Secret = "0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task An_operator_reads_filters_tails_exports_and_records_a_stations_frames_in_full_with_its_secrets_redacted()
    {
        var identity = "E2E-LOG-" + Guid.NewGuid().ToString("N")[..6];
        var other = "E2E-LOG-OTHER-" + Guid.NewGuid().ToString("N")[..6];
        var password = "pw-" + Guid.NewGuid().ToString("N")[..20];
        using var api = await server.AdminApiAsync();
        (await api.PostAsJsonAsync("/api/v1/ocpp-security/basic-auth-passwords", new { label = "e2e-log", password, isHex = false })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/stations", new { identity })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/stations", new { identity = other })).EnsureSuccessStatusCode();
        await using var station = (await TestStation.ConnectAsync(server.OcppEndpoint, identity, password, "ocpp1.6")).Station!;
        station.OnServerCall = (_, _) => new JsonObject { ["status"] = "Accepted" };
        await station.CallOkAsync("BootNotification", new { chargePointVendor = "KEBA", chargePointModel = "P30" });
        await station.CallOkAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Available" });
        await station.CallOkAsync("Heartbeat", new { });
        // Another station's frame: the export of the first must not carry it.
        await using var neighbour = (await TestStation.ConnectAsync(server.OcppEndpoint, other, password, "ocpp1.6")).Station!;
        var otherId = "other-" + Guid.NewGuid().ToString("N")[..8];
        await neighbour.SendRawAndReceiveAsync($"[2,\"{otherId}\",\"Heartbeat\",{{}}]", otherId);

        await using var browser = await UiBrowser.LaunchAsync(output, "message-log");
        var page = await browser.NewPageAsync(server.BaseAddress);
        await UiBrowser.LoginAsync(page, "admin", UiServer.AdminPassword);
        await page.GotoAsync($"/stations/{identity}");
        await Expect(page.Locator(UiBrowser.TestId("station-title"))).ToHaveTextAsync(identity);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Message log" }).ClickAsync();
        var log = page.Locator(UiBrowser.TestId("message-log"));
        var rows = log.Locator("tbody tr");

        // 1. The station's frames, both directions.
        await Expect(log).ToContainTextAsync("Call BootNotification", new() { Timeout = TailTimeoutMs });
        await Expect(log).ToContainTextAsync("CallResult BootNotification");
        await Expect(log).ToContainTextAsync("Call StatusNotification");
        await Expect(log).ToContainTextAsync("CallResult Heartbeat");
        await Expect(log).ToContainTextAsync("→ CSMS");
        await Expect(log).ToContainTextAsync("← CSMS");
        await Expect(log).Not.ToContainTextAsync(otherId);
        await browser.ShotAsync(page, "listed");

        // 2. Filtered by action: only the Heartbeat and its answer are left.
        await UiBrowser.FillAsync(page, "message-log-action", "Heartbeat");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0)).ToContainTextAsync("CallResult Heartbeat");
        await Expect(rows.Nth(1)).ToContainTextAsync("Call Heartbeat");
        await Expect(log).Not.ToContainTextAsync("BootNotification");
        await browser.ShotAsync(page, "filtered");
        await UiBrowser.FillAsync(page, "message-log-action", "");
        await Expect(log).ToContainTextAsync("BootNotification");

        // 3. Live tail (on by default): a frame sent now shows without a reload.
        await Expect(page.Locator(UiBrowser.Input("message-log-live"))).ToBeCheckedAsync();
        var tailId = "tail-" + Guid.NewGuid().ToString("N")[..8];
        await station.SendRawAndReceiveAsync($"[2,\"{tailId}\",\"Heartbeat\",{{}}]", tailId);
        await Expect(log).ToContainTextAsync(tailId, new() { Timeout = TailTimeoutMs });
        await browser.ShotAsync(page, "tailed");

        // 4. The export link, fetched with the operator's own sign-in: JSON lines of this station, oldest first.
        var href = await page.Locator(UiBrowser.TestId("message-log-export")).GetAttributeAsync("href");
        Assert.Equal($"/api/v1/stations/{identity}/message-log/export", href);
        var export = await page.APIRequest.GetAsync(href!);
        Assert.Equal(200, export.Status);
        Assert.StartsWith("application/x-ndjson", export.Headers["content-type"], StringComparison.Ordinal);
        var lines = (await export.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var items = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.True(items.Count >= 8, string.Join('\n', lines)); // Boot, Status, Heartbeat, the tailed Heartbeat: each CALL and its answer
        Assert.Equal("BootNotification", items[0].GetProperty("action").GetString());
        Assert.Contains(items, i => i.GetProperty("messageId").GetString() == tailId);
        Assert.DoesNotContain(items, i => i.GetProperty("messageId").GetString() == otherId);

        // 5. Recording: the default (metadata), then in full for an hour — and a secret sent meanwhile shows as ***.
        var recording = page.Locator(UiBrowser.TestId("message-log-recording"));
        await Expect(recording).ToContainTextAsync("Recording: Metadata");
        await Expect(recording).Not.ToContainTextAsync("until");
        await page.Locator(UiBrowser.TestId("message-log-record-full")).ClickAsync();
        await Expect(recording).ToContainTextAsync("Recording: Full until");
        var changed = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/ChangeConfiguration", new { key = "AuthorizationKey", value = Secret });
        changed.EnsureSuccessStatusCode();
        var change = rows.Filter(new() { HasText = "Call ChangeConfiguration" });
        await Expect(change).ToContainTextAsync("AuthorizationKey", new() { Timeout = TailTimeoutMs });
        await Expect(change.First).ToContainTextAsync("\"value\":\"***\"");
        await Expect(log).Not.ToContainTextAsync(Secret);
        Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Contains(station.ServerCalls, c => c.Action == "ChangeConfiguration" && c.Payload!["value"]!.GetValue<string>() == Secret); // the station did get it
        await browser.ShotAsync(page, "full-redacted");
        var fullExport = await (await page.APIRequest.GetAsync(href!)).TextAsync();
        Assert.Contains("AuthorizationKey", fullExport, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, fullExport, StringComparison.Ordinal);

        await page.Locator(UiBrowser.TestId("message-log-record-default")).ClickAsync();
        await Expect(recording).ToContainTextAsync("Recording: Metadata");
        await Expect(recording).Not.ToContainTextAsync("until");
        await Expect(page.Locator(UiBrowser.TestId("message-log-record-default"))).ToHaveCountAsync(0);
        await Expect(page.Locator(UiBrowser.TestId("message-log-record-full"))).ToBeVisibleAsync();
        var state = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/message-log/recording");
        Assert.Equal("Metadata", state.GetProperty("recording").GetString());
        Assert.False(state.GetProperty("overridden").GetBoolean());
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
