using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Voltgate.Server.Tests.Support;
using Xunit.Abstractions;
using static Voltgate.Ui.Tests.UiBrowser;

namespace Voltgate.Ui.Tests;

/// <summary>
/// Password rotation in real headless Chromium: the operator starts a rotation from OCPP Security Settings, watches a
/// real WebSocket station accept and come back with the new password (rows and counts change without a reload),
/// pauses, resumes and cancels; bad input shows the service's clear message and creates nothing; a user without
/// *Rotate OCPP passwords* sees no wizard. Screenshots go to screenshots/ (prefix rotation-).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class RotationFlowTests(UiServer server, ITestOutputHelper output) : IClassFixture<UiServer>
{
    private const string RotationsApi = "/api/v1/ocpp-security/rotations";

    [Fact]
    public async Task The_wizard_starts_a_rotation_and_the_progress_page_follows_the_station_live_then_pause_resume_cancel()
    {
        using var api = await server.AdminApiAsync();
        var old = "pw-" + Guid.NewGuid().ToString("N")[..20];
        await UiServer.PostOkAsync(api, "/api/v1/ocpp-security/basic-auth-passwords", new { label = "rotation-old", password = old, isHex = false });
        var (online, offline) = ("ROT-ON-" + Suffix(), "ROT-OFF-" + Suffix());
        await UiServer.PostOkAsync(api, "/api/v1/stations", new { identity = online });
        await UiServer.PostOkAsync(api, "/api/v1/stations", new { identity = offline });

        // A real station over a real WebSocket that accepts the change and remembers the key.
        var connected = await TestStation.ConnectAsync(server.OcppEndpoint, online, old, "ocpp1.6");
        Assert.True(connected.Upgraded, $"the station could not connect: {connected.Status}");
        var station = connected.Station!;
        var key = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        station.OnServerCall = (action, payload) =>
        {
            if (action == "ChangeConfiguration" && payload?["key"]?.GetValue<string>() == "AuthorizationKey")
            {
                key.TrySetResult(payload["value"]!.GetValue<string>());
                // Hold the answer until the page has shown the station as Sent.
                answered.Task.Wait(TimeSpan.FromSeconds(20));
                return new JsonObject { ["status"] = "Accepted" };
            }

            return new JsonObject();
        };

        await using var ui = await LaunchAsync(output, "rotation-flow");
        var page = await ui.NewPageAsync(server.BaseAddress);
        await LoginAsync(page, "admin", UiServer.AdminPassword);
        await SetLanguageAsync(page, "en");

        // 1. From Settings › System Settings › OCPP Security Settings to the wizard.
        await page.Locator(TestId("nav-ocpp-security")).ClickAsync();
        await page.Locator(TestId("rotation-wizard")).ClickAsync();
        await Expect(page.Locator(TestId("wiz-title"))).ToHaveTextAsync("New password rotation");
        await page.Locator(Input("wiz-source-stations")).FillAsync($"{online}\n{offline}");
        await page.Locator(Input("wiz-source-stations")).PressAsync("Tab");
        await FillAsync(page, "wiz-target-label", "rotation-new");
        await page.Locator(TestId("wiz-check")).ClickAsync();
        await Expect(page.Locator(TestId("wiz-check-stations"))).ToHaveTextAsync("2 station(s) selected.");
        await Expect(page.Locator(TestId("wiz-check-profile-keba-x-series"))).ToContainTextAsync("no selected station");
        await ui.ShotAsync(page, "wizard-checked");

        // 2. Start: the progress page opens with both rows.
        await page.Locator(TestId("wiz-start")).ClickAsync();
        await page.WaitForURLAsync(ProgressUrl());
        var id = Guid.Parse(ProgressUrl().Match(page.Url).Groups[1].Value);
        var onlineRow = Row(page, online);
        var offlineRow = Row(page, offline);
        await Expect(page.Locator(TestId("rot-stations") + " tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator(TestId("rot-state"))).ToHaveAttributeAsync("data-state", "Running");

        // 3. Live: Sent while the station holds its answer, Accepted once it answers, Done once it is back.
        await key.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await Expect(onlineRow.Locator(TestId("rot-row-state"))).ToHaveAttributeAsync("data-state", "Sent");
        await Expect(page.Locator(TestId("rot-count-Sent"))).ToHaveAttributeAsync("data-count", "1");
        await Expect(offlineRow.Locator(TestId("rot-row-reason"))).ToContainTextAsync("Offline");
        await ui.ShotAsync(page, "progress-sent");
        answered.SetResult();
        await Expect(onlineRow.Locator(TestId("rot-row-state"))).ToHaveAttributeAsync("data-state", "Accepted", new() { Timeout = 15_000 });
        await Expect(page.Locator(TestId("rot-count-Accepted"))).ToHaveAttributeAsync("data-count", "1");
        await station.DisposeAsync();
        var back = await TestStation.ConnectWithHeaderAsync(server.OcppEndpoint, online, TestStation.BasicHeader(online, Convert.FromHexString(await key.Task)), ["ocpp1.6"]);
        Assert.True(back.Upgraded, $"the new password was refused: {back.Status}");
        await using var _ = back.Station!;
        await Expect(onlineRow.Locator(TestId("rot-row-state"))).ToHaveAttributeAsync("data-state", "Done", new() { Timeout = 15_000 });
        await Expect(page.Locator(TestId("rot-count-Done"))).ToHaveAttributeAsync("data-count", "1");
        await Expect(page.Locator(TestId("rot-count-Waiting"))).ToHaveAttributeAsync("data-count", "1");
        await Expect(page.Locator(TestId("rot-progress-text"))).ToHaveTextAsync("1 of 2 stations finished · 1 done");
        await Expect(page.Locator(TestId("rot-progress"))).ToHaveAttributeAsync("data-value", "50");
        await ui.ShotAsync(page, "progress-done");

        // 4. Pause, resume, cancel: the offline station, never sent, keeps its password.
        await page.Locator(TestId("rot-pause")).ClickAsync();
        await Expect(page.Locator(TestId("rot-state"))).ToHaveAttributeAsync("data-state", "Paused");
        Assert.Equal("Paused", (await RotationAsync(api, id)).GetProperty("state").GetString());
        await ui.ShotAsync(page, "paused");
        await page.Locator(TestId("rot-resume")).ClickAsync();
        await Expect(page.Locator(TestId("rot-state"))).ToHaveAttributeAsync("data-state", "Running");
        await page.Locator(TestId("rot-cancel")).ClickAsync();
        await page.Locator(".mud-dialog .mud-button", new() { HasText = "Cancel rotation" }).ClickAsync();
        await Expect(page.Locator(TestId("rot-state"))).ToHaveAttributeAsync("data-state", "Cancelled");
        await Expect(offlineRow.Locator(TestId("rot-row-state"))).ToHaveAttributeAsync("data-state", "Cancelled");
        await Expect(page.Locator(TestId("rot-pause"))).ToHaveCountAsync(0);
        await ui.ShotAsync(page, "cancelled");
        var rotation = await RotationAsync(api, id);
        Assert.Equal("Cancelled", rotation.GetProperty("state").GetString());
        Assert.Equal(1, rotation.GetProperty("counts").GetProperty("done").GetInt32());

        // 5. The list shows it.
        await page.GotoAsync("/settings/ocpp-security/rotations");
        await Expect(page.Locator(TestId("rotations-table"))).ToContainTextAsync("1 of 2 done");
    }

    [Fact]
    public async Task Bad_input_shows_the_clear_message_and_creates_nothing()
    {
        using var api = await server.AdminApiAsync();
        var old = "pw-" + Guid.NewGuid().ToString("N")[..20];
        await UiServer.PostOkAsync(api, "/api/v1/ocpp-security/basic-auth-passwords", new { label = "keba-old-" + Suffix(), password = old, isHex = false });
        // 26 characters, not hex: a KEBA x-series cannot use it.
        var notForKeba = "Depot-" + Guid.NewGuid().ToString("N")[..20];
        var targetLabel = "not-for-keba-" + Suffix();
        await UiServer.PostOkAsync(api, "/api/v1/ocpp-security/basic-auth-passwords", new { label = targetLabel, password = notForKeba, isHex = false });
        var keba = "ROT-KEBA-" + Suffix();
        await UiServer.PostOkAsync(api, "/api/v1/stations", new { identity = keba });
        var connected = await TestStation.ConnectAsync(server.OcppEndpoint, keba, old, "ocpp1.6");
        await using (var station = connected.Station!)
        {
            await station.CallOkAsync("BootNotification", new { chargePointVendor = "KEBA AG", chargePointModel = "KC-P30-ESS400X2-E00", firmwareVersion = "1.16.0" });
        }

        var before = await CountAsync(api);
        var poolBefore = await PoolSizeAsync(api);
        await using var ui = await LaunchAsync(output, "rotation-bad-input");
        var page = await ui.NewPageAsync(server.BaseAddress);
        await LoginAsync(page, "admin", UiServer.AdminPassword);
        await SetLanguageAsync(page, "en");

        // From the station's page, prefilled with the station.
        await page.GotoAsync($"/stations/{keba}");
        await page.Locator(TestId("station-rotate")).ClickAsync();
        await Expect(page.Locator(Input("wiz-source-stations"))).ToHaveValueAsync(keba);

        // A target the KEBA rule forbids: the check says so, and Start shows the service's refusal.
        await TickAsync(page, "wiz-target-kind-existing");
        await page.Locator(".mud-select", new() { HasText = "Target entry" }).First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = targetLabel }).ClickAsync();
        await Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
        await page.Locator(TestId("wiz-check")).ClickAsync();
        await Expect(page.Locator(TestId("wiz-check-profile-keba-x-series"))).ToContainTextAsync("does NOT fit");
        await page.Locator(TestId("wiz-start")).ClickAsync();
        await Expect(page.Locator(TestId("wiz-error-message"))).ToHaveTextAsync("The rotation was not created.");
        await Expect(page.Locator(TestId("wiz-error"))).ToContainTextAsync("OCPP 1.6 cannot carry this password");
        await Expect(page.Locator(TestId("wiz-error"))).ToContainTextAsync($"Station {keba} is KEBA x-series (firmware 1.15+): it needs 32–40 hex characters");
        await ui.ShotAsync(page, "keba-refused");
        Assert.Matches(@"/settings/ocpp-security/rotations/new", page.Url);

        // An unknown station.
        await TickAsync(page, "wiz-target-kind-generate");
        await page.Locator(Input("wiz-source-stations")).FillAsync($"{keba}, NO-SUCH-STATION");
        await page.Locator(Input("wiz-source-stations")).PressAsync("Tab");
        await page.Locator(TestId("wiz-start")).ClickAsync();
        await Expect(page.Locator(TestId("wiz-error"))).ToContainTextAsync("Unknown station(s) (or outside your data scope): NO-SUCH-STATION.");

        // No pool entry chosen as the source.
        await TickAsync(page, "wiz-source-kind-entry");
        await page.Locator(TestId("wiz-start")).ClickAsync();
        await Expect(page.Locator(TestId("wiz-error"))).ToContainTextAsync("Choose the pool entry whose stations should move.");
        await ui.ShotAsync(page, "no-source-entry");

        // Nothing created: no rotation, and no generated pool entry either.
        Assert.Equal(before, await CountAsync(api));
        Assert.Equal(poolBefore, await PoolSizeAsync(api));
    }

    [Fact]
    public async Task A_user_without_the_rotate_right_sees_no_wizard()
    {
        using var api = await server.AdminApiAsync();
        var name = "NoRotate-" + Suffix();
        var group = await UiServer.PostOkAsync(api, "/api/v1/groups", new { name, dataScope = "Instance" });
        var groupId = group.GetProperty("id").GetGuid();
        var rights = await api.GetFromJsonAsync<JsonElement>($"/api/v1/groups/{groupId}/rights");
        var granted = rights.GetProperty("rights").EnumerateArray().Select(r => r.GetProperty("name").GetString()!)
            .Select(n => new { name = n, granted = n is "Settings.OcppSecuritySettings" or "Stations.View" }).ToList();
        (await api.PutAsJsonAsync($"/api/v1/groups/{groupId}/rights", new { rights = granted })).EnsureSuccessStatusCode();
        const string password = "No-Rotate-Password-1";
        var username = "norotate" + Suffix().ToLowerInvariant();
        await UiServer.PostOkAsync(api, "/api/v1/users", new { username, displayName = "No Rotate", groupIds = new[] { groupId }, password });
        var identity = "ROT-SEE-" + Suffix();
        await UiServer.PostOkAsync(api, "/api/v1/stations", new { identity });

        await using var ui = await LaunchAsync(output, "rotation-no-right");
        var page = await ui.NewPageAsync(server.BaseAddress);
        await LoginAsync(page, username, password);
        await page.Locator(TestId("nav-ocpp-security")).ClickAsync();
        await Expect(page.Locator(TestId("pool-table"))).ToBeVisibleAsync();
        await Expect(page.Locator(TestId("rotation-wizard"))).ToHaveCountAsync(0);
        await Expect(page.Locator(TestId("rotation-panel"))).ToHaveCountAsync(0);
        await ui.ShotAsync(page, "no-rotation-panel");

        await page.GotoAsync($"/stations/{identity}");
        await Expect(page.Locator(TestId("station-title"))).ToHaveTextAsync(identity);
        await Expect(page.Locator(TestId("station-rotate"))).ToHaveCountAsync(0);

        await page.GotoAsync("/settings/ocpp-security/rotations/new");
        await Expect(page.Locator(TestId("access-denied"))).ToBeVisibleAsync();
        Assert.Equal(403, (await page.APIRequest.GetAsync(RotationsApi)).Status);
    }

    [GeneratedRegex(@"/settings/ocpp-security/rotations/([0-9a-f-]{36})$")]
    private static partial Regex ProgressUrl();

    private static string Suffix() => Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    private static ILocator Row(IPage page, string identity) =>
        page.Locator(TestId("rot-stations") + " tbody tr", new() { Has = page.Locator(TestId("rot-row-identity"), new() { HasText = identity }) });

    private static async Task<JsonElement> RotationAsync(HttpClient api, Guid id) => await api.GetFromJsonAsync<JsonElement>($"{RotationsApi}/{id}");

    private static async Task<int> CountAsync(HttpClient api) =>
        (await api.GetFromJsonAsync<JsonElement>($"{RotationsApi}?take=500")).GetProperty("total").GetInt32();

    private static async Task<int> PoolSizeAsync(HttpClient api) =>
        (await api.GetFromJsonAsync<JsonElement>("/api/v1/ocpp-security/basic-auth-passwords?take=500")).GetProperty("total").GetInt32();
}
