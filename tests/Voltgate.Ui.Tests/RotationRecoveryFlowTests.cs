using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.Playwright;
using Voltgate.Server.Tests.Support;
using Xunit.Abstractions;
using static Voltgate.Ui.Tests.UiBrowser;

namespace Voltgate.Ui.Tests;

/// <summary>
/// The server of <see cref="RotationRecoveryFlowTests"/>: the wizard's "Lost after" counts seconds
/// (Voltgate:Rotation:LostAfterInSeconds), so a station that never comes back is Lost within the test.
/// </summary>
public sealed class LostInSecondsUiServer : UiServer
{
    protected override IEnumerable<string> ExtraArguments => ["--Voltgate:Rotation:LostAfterInSeconds=true"];
}

/// <summary>
/// Issue 17's "Done when" in real headless Chromium against real WebSocket stations: an operator moves a mixed
/// OCPP 1.6 / 2.0.1 network from one pool entry to another (started from the entry's impact dialog) and to one
/// generated password per station (started from a station's page), watches every row change live, and recovers
/// every station that did not make it — Retry for the one that rejected, "admit the previous password again" for the
/// one that was Lost, then retires the source entry once no unrotated station uses it. Every claim about who gets in
/// is a real handshake. Screenshots go to screenshots/ (prefix rotation-recovery-).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class RotationRecoveryFlowTests(LostInSecondsUiServer server, ITestOutputHelper output) : IClassFixture<LostInSecondsUiServer>
{
    private const string V16 = "ocpp1.6";
    private const string V201 = "ocpp2.0.1";
    private const string PoolApi = "/api/v1/ocpp-security/basic-auth-passwords";

    [Fact]
    public async Task A_mixed_network_moves_from_one_pool_entry_to_another_and_every_station_that_did_not_make_it_is_recovered()
    {
        using var api = await server.AdminApiAsync();
        var suffix = Suffix();
        var (oldLabel, newLabel) = ("mixed-old-" + suffix, "mixed-new-" + suffix);
        var old = "Old-" + Guid.NewGuid().ToString("N")[..20];
        // 40 hex characters: a 1.6 station gets it as its AuthorizationKey as it is and sends the decoded bytes back,
        // a 2.0.1 station gets and sends the text (both match under the default Lenient hex matching).
        var target = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var oldId = (await UiServer.PostOkAsync(api, PoolApi, new { label = oldLabel, password = old, isHex = false })).GetProperty("id").GetGuid();
        await UiServer.PostOkAsync(api, PoolApi, new { label = newLabel, password = target, isHex = false });

        await using var network = new Network(server.OcppEndpoint);
        var moves16 = await network.AddAsync(api, "MIX-A16-" + suffix, V16, old);
        var moves201 = await network.AddAsync(api, "MIX-B201-" + suffix, V201, old);
        var rejects = await network.AddAsync(api, "MIX-C16-REJ-" + suffix, V16, old, answer: "Rejected");
        var lost = await network.AddAsync(api, "MIX-D16-LOST-" + suffix, V16, old);

        await using var ui = await LaunchAsync(output, "rotation-recovery-entry");
        var page = await ui.NewPageAsync(server.BaseAddress);
        await LoginAsync(page, "admin", UiServer.AdminPassword);
        await SetLanguageAsync(page, "en");

        // 1. OCPP Security Settings: disabling the old entry shows who still uses it and offers to rotate them; the
        //    wizard opens with that entry as the source.
        await page.Locator(TestId("nav-ocpp-security")).ClickAsync();
        await PoolRow(page, oldLabel).Locator(TestId("pool-disable")).ClickAsync();
        await Expect(page.Locator(TestId("impact-station"))).ToHaveCountAsync(4);
        await ui.ShotAsync(page, "impact-dialog");
        await page.Locator(TestId("impact-rotate")).ClickAsync();
        await page.WaitForURLAsync(new Regex($@"/settings/ocpp-security/rotations/new\?passwordId={oldId}$"));
        await Expect(page.Locator(Input("wiz-source-kind-entry"))).ToBeCheckedAsync();
        await Expect(SelectShowing(page, "Pool entry")).ToHaveValueAsync($"{oldLabel} (4 stations)");
        await Expect(page.Locator(TestId("impact-dialog"))).ToHaveCountAsync(0);

        // 2. Target: the other pool entry; stations not back with it within 20 s are Lost.
        await TickAsync(page, "wiz-target-kind-existing");
        await page.Locator(".mud-select", new() { HasText = "Target entry" }).First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = newLabel }).ClickAsync();
        await Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
        await Expect(SelectShowing(page, "Target entry")).ToHaveValueAsync($"{newLabel} (40 characters)");
        await Expect(page.GetByText("Lost after (seconds)")).ToBeVisibleAsync();
        await FillAsync(page, "wiz-lost-after", "20");
        await page.Locator(TestId("wiz-check")).ClickAsync();
        await Expect(page.Locator(TestId("wiz-check-stations"))).ToHaveTextAsync("4 station(s) selected.");
        await Expect(page.Locator(TestId("wiz-check-encoding"))).ToHaveCountAsync(0);
        await ui.ShotAsync(page, "wizard-checked");
        await page.Locator(TestId("wiz-start")).ClickAsync();
        await page.WaitForURLAsync(ProgressUrl());
        var id = Guid.Parse(ProgressUrl().Match(page.Url).Groups[1].Value);
        await Expect(page.Locator(TestId("rot-summary"))).ToContainTextAsync($"stations of \"{oldLabel}\" → entry \"{newLabel}\" · Lost after 20 s");
        await Expect(page.Locator(TestId("rot-stations") + " tbody tr")).ToHaveCountAsync(4);

        // 3. Live: the three that accept are Accepted (pinned), the one that rejects is Rejected and offered a retry.
        foreach (var station in new[] { moves16, moves201, lost })
        {
            Assert.Equal(target, await station.PushedAsync());
            await ExpectRowStateAsync(page, station, "Accepted");
        }

        Assert.Equal(target, await rejects.PushedAsync());
        await ExpectRowStateAsync(page, rejects, "Rejected");
        await Expect(Row(page, rejects).Locator(TestId("rot-row-reason"))).ToContainTextAsync("old password is still admitted");
        await Expect(Row(page, rejects).Locator(TestId("rot-row-retry"))).ToBeVisibleAsync();
        await Expect(page.Locator(TestId("rot-count-Accepted"))).ToHaveAttributeAsync("data-count", "3");
        await ui.ShotAsync(page, "accepted-and-rejected");

        // 4. 1.6 and 2.0.1 come back with the new password and are Done; the Lost one goes away and stays away.
        await lost.DropAsync();
        await network.ReconnectAsync(moves16, target);
        await network.ReconnectAsync(moves201, target);
        await ExpectRowStateAsync(page, moves16, "Done");
        await ExpectRowStateAsync(page, moves201, "Done");
        await Expect(Row(page, moves16).Locator(TestId("rot-row-reason"))).ToContainTextAsync("Reconnected with the new password");
        await Expect(Row(page, moves16).Locator(TestId("rot-row-retry"))).ToHaveCountAsync(0);
        await ExpectRowStateAsync(page, lost, "Lost", timeoutMs: 60_000);
        await Expect(Row(page, lost).Locator(TestId("rot-row-reason"))).ToContainTextAsync("Has not connected since it accepted the change");
        await Expect(page.Locator(TestId("rot-state"))).ToHaveAttributeAsync("data-state", "Completed");
        await Expect(page.Locator(TestId("rot-progress-text"))).ToHaveTextAsync("4 of 4 stations finished · 2 done");
        await Expect(page.Locator(TestId("rot-progress"))).ToHaveAttributeAsync("data-value", "50");
        // Not retirable while stations that did not move still use the old entry.
        await Expect(page.Locator(TestId("rot-retire"))).ToHaveCountAsync(0);
        await Expect(page.Locator(TestId("rot-source-in-use"))).ToContainTextAsync(rejects.Identity);
        await Expect(page.Locator(TestId("rot-source-in-use"))).ToContainTextAsync(lost.Identity);
        await ui.ShotAsync(page, "done-rejected-lost");

        // A01.FR.03 / .04: the finished stations no longer get in with the old password, the rejecting one still does
        // (it is still connected with it), and so far neither does the Lost one: it accepted, so it is pinned.
        Assert.Equal(HttpStatusCode.Unauthorized, await network.HandshakeAsync(moves16, old));
        Assert.Equal(HttpStatusCode.Unauthorized, await network.HandshakeAsync(moves201, old));
        Assert.Equal(HttpStatusCode.Unauthorized, await network.HandshakeAsync(lost, old));

        // The Lost station's own diagnostics say what happened.
        await page.GotoAsync($"/stations/{Uri.EscapeDataString(lost.Identity)}");
        await page.Locator(".mud-tab", new() { HasText = "Connection diagnostics" }).ClickAsync();
        await Expect(page.Locator(TestId("attempts-table"))).ToContainTextAsync("pre-rotation password");
        await ui.ShotAsync(page, "lost-station-diagnostics");

        // 5. Recover the Lost station: admit its previous password again (asks first) — then it gets in with it.
        await page.GotoAsync($"/settings/ocpp-security/rotations/{id}");
        await Row(page, lost).Locator(TestId("rot-row-admit")).ClickAsync();
        await page.Locator(".mud-dialog .mud-button", new() { HasText = "Admit the previous password again" }).ClickAsync();
        await Expect(Row(page, lost).Locator(TestId("rot-row-admitted"))).ToBeVisibleAsync();
        await Expect(Row(page, lost).Locator(TestId("rot-row-admit"))).ToHaveCountAsync(0);
        await ui.ShotAsync(page, "lost-admitted");
        await network.ReconnectAsync(lost, old);
        Assert.Equal(HttpStatusCode.Unauthorized, await network.HandshakeAsync(moves16, old));
        var audit = await api.GetFromJsonAsync<JsonElement>("/api/v1/audit-events?take=200");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "OcppSecurity.RotationAdmitPrevious");

        // 6. Retry both: the rejecting station accepts this time, the recovered one takes the new password after all.
        rejects.Answer = "Accepted";
        await Row(page, rejects).Locator(TestId("rot-row-retry")).ClickAsync();
        await Expect(page.Locator(TestId("rot-state"))).ToHaveAttributeAsync("data-state", "Running");
        Assert.Equal(target, await rejects.PushedAsync());
        await ExpectRowStateAsync(page, rejects, "Accepted");
        await network.ReconnectAsync(rejects, target);
        await ExpectRowStateAsync(page, rejects, "Done");
        await Row(page, lost).Locator(TestId("rot-row-retry")).ClickAsync();
        Assert.Equal(target, await lost.PushedAsync());
        await ExpectRowStateAsync(page, lost, "Accepted");
        await network.ReconnectAsync(lost, target);
        await ExpectRowStateAsync(page, lost, "Done");
        // It moved after all: its old password is no longer admitted, and the row no longer says it is.
        await Expect(Row(page, lost).Locator(TestId("rot-row-admitted"))).ToHaveCountAsync(0);
        await Expect(page.Locator(TestId("rot-state"))).ToHaveAttributeAsync("data-state", "Completed");
        await Expect(page.Locator(TestId("rot-progress-text"))).ToHaveTextAsync("4 of 4 stations finished · 4 done");

        // 7. No unrotated station uses the old entry any more: retiring it is offered, and disables it.
        await Expect(page.Locator(TestId("rot-source-in-use"))).ToHaveCountAsync(0);
        await ui.ShotAsync(page, "all-done-retire-offered");
        await page.Locator(TestId("rot-retire")).ClickAsync();
        await page.Locator(".mud-dialog .mud-button", new() { HasText = "Retire the source entry" }).ClickAsync();
        await Expect(page.Locator(TestId("rot-source-retired"))).ToBeVisibleAsync();
        await Expect(page.Locator(TestId("rot-retire"))).ToHaveCountAsync(0);
        await ui.ShotAsync(page, "source-retired");
        Assert.Equal("Disabled", (await api.GetFromJsonAsync<JsonElement>($"{PoolApi}/{oldId}")).GetProperty("state").GetString());
        foreach (var station in new[] { moves16, moves201, rejects, lost })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await network.HandshakeAsync(station, old));
        }

        var rotation = await api.GetFromJsonAsync<JsonElement>($"/api/v1/ocpp-security/rotations/{id}");
        Assert.Equal("Completed", rotation.GetProperty("state").GetString());
        Assert.Equal(4, rotation.GetProperty("counts").GetProperty("done").GetInt32());
    }

    [Fact]
    public async Task A_mixed_network_started_from_a_station_page_moves_to_one_generated_password_per_station()
    {
        using var api = await server.AdminApiAsync();
        var suffix = Suffix();
        var old = "Old-" + Guid.NewGuid().ToString("N")[..20];
        var oldId = (await UiServer.PostOkAsync(api, PoolApi, new { label = "per-station-old-" + suffix, password = old, isHex = false })).GetProperty("id").GetGuid();
        await using var network = new Network(server.OcppEndpoint);
        var v16 = await network.AddAsync(api, "PER-A16-" + suffix, V16, old);
        var v201 = await network.AddAsync(api, "PER-B201-" + suffix, V201, old);

        await using var ui = await LaunchAsync(output, "rotation-recovery-per-station");
        var page = await ui.NewPageAsync(server.BaseAddress);
        await LoginAsync(page, "admin", UiServer.AdminPassword);
        await SetLanguageAsync(page, "en");

        // 1. "Rotate password" on the station's page opens the wizard with that station; the operator adds the other.
        await page.GotoAsync($"/stations/{Uri.EscapeDataString(v16.Identity)}");
        await page.Locator(TestId("station-rotate")).ClickAsync();
        // A link inside the app: Blazor's enhanced navigation fires no load event, so wait on the URL itself.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/settings/ocpp-security/rotations/new\?station="));
        await Expect(page.Locator(Input("wiz-source-kind-stations"))).ToBeCheckedAsync();
        await Expect(page.Locator(Input("wiz-source-stations"))).ToHaveValueAsync(v16.Identity);
        await page.Locator(Input("wiz-source-stations")).FillAsync($"{v16.Identity}\n{v201.Identity}");
        await page.Locator(Input("wiz-source-stations")).PressAsync("Tab");
        await TickAsync(page, "wiz-target-kind-perstation");
        await page.Locator(TestId("wiz-check")).ClickAsync();
        await Expect(page.Locator(TestId("wiz-check-stations"))).ToHaveTextAsync("2 station(s) selected.");
        await ui.ShotAsync(page, "wizard-per-station");
        var poolBefore = (await api.GetFromJsonAsync<JsonElement>($"{PoolApi}?take=500")).GetProperty("total").GetInt32();
        await page.Locator(TestId("wiz-start")).ClickAsync();
        await page.WaitForURLAsync(ProgressUrl());
        await Expect(page.Locator(TestId("rot-summary"))).ToContainTextAsync("one generated password per station");

        // 2. Each station gets its own password (A01.FR.06), in its protocol's form, and the pool one entry per station.
        var key16 = await v16.PushedAsync();
        var key201 = await v201.PushedAsync();
        Assert.Matches("^[0-9A-Fa-f]{40}$", key16);
        Assert.Matches("^[0-9A-Fa-f]{40}$", key201);
        Assert.NotEqual(key16, key201);
        Assert.Equal(poolBefore + 2, (await api.GetFromJsonAsync<JsonElement>($"{PoolApi}?take=500")).GetProperty("total").GetInt32());
        await ExpectRowStateAsync(page, v16, "Accepted");
        await ExpectRowStateAsync(page, v201, "Accepted");
        await ui.ShotAsync(page, "per-station-accepted");

        // 3. Both come back with their own password; neither gets in with the old one, nor with the other's.
        await network.ReconnectAsync(v16, key16);
        await network.ReconnectAsync(v201, key201);
        await ExpectRowStateAsync(page, v16, "Done");
        await ExpectRowStateAsync(page, v201, "Done");
        await Expect(page.Locator(TestId("rot-state"))).ToHaveAttributeAsync("data-state", "Completed");
        Assert.Equal(HttpStatusCode.Unauthorized, await network.HandshakeAsync(v16, old));
        Assert.Equal(HttpStatusCode.Unauthorized, await network.HandshakeAsync(v201, old));
        Assert.Equal(HttpStatusCode.Unauthorized, await network.HandshakeAsync(v201, key16));

        // 4. The entry they came from is used by nobody now: retire it.
        await page.Locator(TestId("rot-retire")).ClickAsync();
        await page.Locator(".mud-dialog .mud-button", new() { HasText = "Retire the source entry" }).ClickAsync();
        await Expect(page.Locator(TestId("rot-source-retired"))).ToBeVisibleAsync();
        await ui.ShotAsync(page, "per-station-retired");
        Assert.Equal("Disabled", (await api.GetFromJsonAsync<JsonElement>($"{PoolApi}/{oldId}")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_warning_of_the_created_rotation_stays_on_screen_after_the_wizard()
    {
        using var api = await server.AdminApiAsync();
        var settings = await api.GetFromJsonAsync<JsonObject>("/api/v1/ocpp-security/settings");
        var strict = settings!.DeepClone().AsObject();
        strict["hexMatching"] = "Strict";
        (await api.PutAsJsonAsync("/api/v1/ocpp-security/settings", strict)).EnsureSuccessStatusCode();
        try
        {
            var old = "Old-" + Guid.NewGuid().ToString("N")[..20];
            await UiServer.PostOkAsync(api, PoolApi, new { label = "strict-old-" + Suffix(), password = old, isHex = false });
            await using var network = new Network(server.OcppEndpoint);
            var station = await network.AddAsync(api, "STRICT-16-" + Suffix(), V16, old);

            await using var ui = await LaunchAsync(output, "rotation-recovery-warning");
            var page = await ui.NewPageAsync(server.BaseAddress);
            await LoginAsync(page, "admin", UiServer.AdminPassword);
            await SetLanguageAsync(page, "en");
            await page.GotoAsync($"/settings/ocpp-security/rotations/new?station={Uri.EscapeDataString(station.Identity)}");
            await Expect(page.Locator(Input("wiz-source-stations"))).ToHaveValueAsync(station.Identity);
            await page.Locator(TestId("wiz-start")).ClickAsync();
            await page.WaitForURLAsync(ProgressUrl());
            // The rotation runs, and the operator reads what to change before the station reconnects.
            await Expect(page.Locator(TestId("rot-title"))).ToBeVisibleAsync();
            var warning = page.Locator(".mud-snackbar", new() { HasText = "Hex matching is Strict" });
            await Expect(warning).ToBeVisibleAsync();
            await Expect(warning).ToContainTextAsync("Set hex matching to Lenient");
            await ui.ShotAsync(page, "strict-warning");
            Assert.Equal(20, station.Bytes(await station.PushedAsync()).Length);
        }
        finally
        {
            (await api.PutAsJsonAsync("/api/v1/ocpp-security/settings", settings)).EnsureSuccessStatusCode();
        }
    }

    /// <summary>
    /// A station of the test network over a real WebSocket: answers the password push (1.6 ChangeConfiguration of
    /// AuthorizationKey, 2.0.1 SetVariables of SecurityCtrlr.BasicAuthPassword) with <see cref="Answer"/> and hands
    /// the pushed value to the test.
    /// </summary>
    private sealed class MixedStation(string identity, string protocol, string answer)
    {
        private readonly Channel<string> _pushed = Channel.CreateUnbounded<string>();

        public string Identity { get; } = identity;
        public string Protocol { get; } = protocol;
        public string Answer { get; set; } = answer;
        public TestStation? Socket { get; set; }

        public async Task<string> PushedAsync() => await _pushed.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        public JsonObject OnServerCall(string action, JsonNode? payload)
        {
            if (Protocol == V16 && action == "ChangeConfiguration" && payload?["key"]?.GetValue<string>() == "AuthorizationKey")
            {
                _pushed.Writer.TryWrite(payload["value"]!.GetValue<string>());
                return new JsonObject { ["status"] = Answer };
            }

            if (Protocol == V201 && action == "SetVariables" && payload?["setVariableData"]?[0] is { } data
                && data["component"]?["name"]?.GetValue<string>() == "SecurityCtrlr" && data["variable"]?["name"]?.GetValue<string>() == "BasicAuthPassword")
            {
                _pushed.Writer.TryWrite(data["attributeValue"]!.GetValue<string>());
                return new JsonObject
                {
                    ["setVariableResult"] = new JsonArray(new JsonObject { ["attributeStatus"] = Answer, ["component"] = data["component"]!.DeepClone(), ["variable"] = data["variable"]!.DeepClone() }),
                };
            }

            return new JsonObject();
        }

        /// <summary>Closes its socket, as a station does when it goes away.</summary>
        public async Task DropAsync()
        {
            if (Socket is { } socket)
            {
                Socket = null;
                await socket.DisposeAsync();
            }
        }

        /// <summary>The bytes a station sends for a password: 1.6 decodes a hex AuthorizationKey, 2.0.1 sends the text.</summary>
        public byte[] Bytes(string password) =>
            Protocol == V16 && password.Length is >= 32 and <= 40 && password.All(Uri.IsHexDigit) ? Convert.FromHexString(password) : Encoding.UTF8.GetBytes(password);
    }

    private sealed class Network(Uri endpoint) : IAsyncDisposable
    {
        private readonly List<MixedStation> _stations = [];

        public async Task<MixedStation> AddAsync(HttpClient api, string identity, string protocol, string password, string answer = "Accepted")
        {
            await UiServer.PostOkAsync(api, "/api/v1/stations", new { identity });
            var station = new MixedStation(identity, protocol, answer);
            _stations.Add(station);
            await ReconnectAsync(station, password);
            return station;
        }

        /// <summary>Closes the station's socket and connects it again with <paramref name="password"/>; it must get in.</summary>
        public async Task ReconnectAsync(MixedStation station, string password)
        {
            await station.DropAsync();
            var result = await TestStation.ConnectWithHeaderAsync(endpoint, station.Identity, TestStation.BasicHeader(station.Identity, station.Bytes(password)), [station.Protocol]);
            Assert.True(result.Upgraded, $"{station.Identity} was refused ({result.Status})");
            station.Socket = result.Station!;
            station.Socket.OnServerCall = station.OnServerCall;
            await station.Socket.CallOkAsync("BootNotification", station.Protocol == V16
                ? new { chargePointVendor = "Voltgate-Test", chargePointModel = "UI-16" }
                : new { reason = "PowerUp", chargingStation = new { model = "UI-201", vendorName = "Voltgate-Test" } });
        }

        /// <summary>One handshake with <paramref name="password"/>, closed at once if it got in: the status says whether it would.</summary>
        public async Task<HttpStatusCode> HandshakeAsync(MixedStation station, string password)
        {
            var result = await TestStation.ConnectWithHeaderAsync(endpoint, station.Identity, TestStation.BasicHeader(station.Identity, station.Bytes(password)), [station.Protocol]);
            if (result.Station is { } socket)
            {
                await socket.DisposeAsync();
            }

            return result.Status;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var station in _stations)
            {
                await station.DropAsync();
            }
        }
    }

    private static async Task ExpectRowStateAsync(IPage page, MixedStation station, string state, int timeoutMs = 20_000) =>
        await Expect(Row(page, station).Locator(TestId("rot-row-state"))).ToHaveAttributeAsync("data-state", state, new() { Timeout = timeoutMs });

    [GeneratedRegex(@"/settings/ocpp-security/rotations/([0-9a-f-]{36})$")]
    private static partial Regex ProgressUrl();

    private static string Suffix() => Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    private static ILocator Row(IPage page, MixedStation station) =>
        page.Locator(TestId("rot-stations") + " tbody tr", new() { Has = page.Locator(TestId("rot-row-identity"), new() { HasText = station.Identity }) });

    private static ILocator PoolRow(IPage page, string label) =>
        page.Locator(TestId("pool-table") + " tbody tr", new() { Has = page.Locator(TestId("pool-label"), new() { HasText = label }) });

    /// <summary>The MudSelect with this label: a combobox whose value is the text it shows as selected.</summary>
    private static ILocator SelectShowing(IPage page, string label) => page.GetByRole(AriaRole.Combobox, new() { Name = label, Exact = true });
}
