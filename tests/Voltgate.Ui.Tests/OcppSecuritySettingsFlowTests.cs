using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Voltgate.Ui.Tests.Station;
using Xunit.Abstractions;
using static Voltgate.Ui.Tests.UiBrowser;

namespace Voltgate.Ui.Tests;

/// <summary>
/// The OCPP Security Settings flow in real headless Chromium, walking the KEBA BasicAuth set-up step by step: the
/// admin opens Settings › System Settings › OCPP Security Settings, adds a 40-character hex password with Is hex left
/// on NO, an ocpp-rpc station logs in with it, the list shows the station and when, and Delete shows that station
/// before anything is deleted. Plus bad input at the field (nothing stored) and the German labels.
/// Screenshots of every step go to the test output folder's screenshots/ (prefix ocppsec-).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class OcppSecuritySettingsFlowTests(UiServer server, ITestOutputHelper output) : IClassFixture<UiServer>
{
    private const string PoolApi = "/api/v1/ocpp-security/basic-auth-passwords";

    [Fact]
    public async Task Help_article_flow_adds_a_40_hex_password_a_station_uses_it_and_delete_shows_that_station()
    {
        await using var ui = await LaunchAsync(output, "ocppsec-article");
        var page = await ui.NewPageAsync(server.BaseAddress);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        const string label = "KEBA garage";
        const string identity = "KEBA-GARAGE-01";

        // "In be.ENERGISED, go to Settings/System Settings/OCPP Security Settings."
        await LoginAsync(page, "admin", UiServer.AdminPassword);
        await SetLanguageAsync(page, "en");
        var nav = page.Locator(TestId("nav"));
        await Expect(nav.GetByText("Settings", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(nav.GetByText("System Settings", new() { Exact = true })).ToBeVisibleAsync();
        await page.Locator(TestId("nav-ocpp-security")).ClickAsync();
        await Expect(page.Locator(TestId("ocpp-security-title"))).ToHaveTextAsync("Settings › System Settings › OCPP Security Settings");
        await Expect(page.Locator(TestId("pool-table"))).ToBeVisibleAsync();
        await ui.ShotAsync(page, "page");

        // The station is new to the tenant: admit unknown stations as Accepted (they still need a pool password).
        await page.Locator("[data-testid='settings-unknown'] .mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Admit as Accepted" }).ClickAsync();
        await page.Locator(TestId("settings-save")).ClickAsync();
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Saved");
        var settings = await GetJsonAsync(page, "/api/v1/ocpp-security/settings");
        Assert.Equal("AdmitAsAccepted", settings.GetProperty("unknownStationPolicy").GetString());
        await ui.ShotAsync(page, "settings-admit-as-accepted");

        // "add new BasicAuth passwords … between 32 and 40 characters … in hex format. The field 'Is hex' remains on NO."
        await page.Locator(TestId("pool-add")).ClickAsync();
        await TickAsync(page, "add-mode-enter");
        await FillAsync(page, "add-label", label);
        await FillAsync(page, "add-password", secret);
        await Expect(page.Locator(TestId("add-ishex-value"))).ToHaveTextAsync("NO");
        await ui.ShotAsync(page, "add-enter-40-hex-is-hex-no");
        await page.Locator(TestId("add-save")).ClickAsync();

        // Saved: the secret is shown once, with a copy button that really copies it.
        await Expect(page.Locator(TestId("secret-value"))).ToHaveTextAsync(secret);
        await Expect(page.Locator(TestId("add-shown-once"))).ToContainTextAsync("will not be shown again");
        await page.Locator(TestId("secret-copy")).ClickAsync();
        Assert.Equal(secret, await ClipboardAsync(page, secret));
        await ui.ShotAsync(page, "added-secret-shown-once");
        await page.Locator(TestId("add-close")).ClickAsync();

        // The list shows it: 40 characters, Is hex NO, Active, no station yet, the KEBA x-series badge.
        var row = Row(page, label);
        await Expect(row.Locator(TestId("pool-length"))).ToHaveTextAsync("40");
        await Expect(row.Locator(TestId("pool-ishex"))).ToHaveTextAsync("NO");
        await Expect(row.Locator(TestId("pool-state"))).ToContainTextAsync("Active");
        await Expect(row.Locator(TestId("pool-stations"))).ToHaveTextAsync("0");
        await Expect(row.Locator(TestId("pool-last-used"))).ToHaveTextAsync("never");
        await Expect(row.Locator(TestId("pool-profile-keba-x-series"))).ToBeVisibleAsync();
        await Expect(page.Locator(TestId("secret-value"))).ToHaveCountAsync(0);
        await ui.ShotAsync(page, "list-shows-new-password");

        // "The BasicAuth password entered in the charging station interface must match one of the passwords stored":
        // an independent OCPP-J client (ocpp-rpc, strictMode) logs in through privateauth with it.
        var boot = await OcppRpcStation.BootAsync(server.OcppEndpoint, identity, secret, "KEBA AG", "KeContact P30 x", "1.15.0");
        Assert.Equal("ocpp1.6", boot.Protocol);
        Assert.Equal("Accepted", boot.Status);

        // The list shows 1 station and a last-used time (after a reload), and names the station on click.
        await WaitForAsync(async () => (await EntryAsync(page, label)).GetProperty("stationCount").GetInt32() == 1);
        await page.ReloadAsync();
        row = Row(page, label);
        await Expect(row.Locator(TestId("pool-stations"))).ToHaveTextAsync("1");
        await Expect(row.Locator(TestId("pool-last-used"))).ToHaveTextAsync(DateTimeText());
        await row.Locator(TestId("pool-stations")).ClickAsync();
        await Expect(page.Locator(TestId("pool-stations-detail"))).ToContainTextAsync(identity);
        await ui.ShotAsync(page, "list-one-station-last-used");

        // "Do not change already existing passwords": Delete first shows the station that would lose its connection
        // and wants the label typed; cancelling deletes nothing.
        await row.Locator(TestId("pool-delete")).ClickAsync();
        await Expect(page.Locator(TestId("impact-stations"))).ToContainTextAsync(identity);
        await Expect(page.Locator(TestId("impact-station"))).ToContainTextAsync(DateTimeInText());
        await Expect(page.Locator(TestId("impact-ok"))).ToBeDisabledAsync();
        await FillAsync(page, "impact-confirm-label", "KEBA");
        await Expect(page.Locator(TestId("impact-ok"))).ToBeDisabledAsync();
        await ui.ShotAsync(page, "delete-impact-dialog");
        await page.Locator(TestId("impact-cancel")).ClickAsync();
        await Expect(page.Locator(TestId("impact-dialog"))).ToHaveCountAsync(0);
        await Expect(row.Locator(TestId("pool-stations"))).ToHaveTextAsync("1");
        var entry = await EntryAsync(page, label);
        Assert.Equal("Active", entry.GetProperty("state").GetString());
        Assert.Equal(1, entry.GetProperty("stationCount").GetInt32());

        // The tenant now has a KEBA x-series station: a password it cannot use is warned about while typing, and
        // refused with "enforce" ticked; nothing is stored.
        var countBefore = (await ListAsync(page)).Count;
        await page.Locator(TestId("pool-add")).ClickAsync();
        await TickAsync(page, "add-mode-enter");
        await FillAsync(page, "add-label", "Not for KEBA");
        await FillAsync(page, "add-password", "Garage-Password-2024");
        await Expect(page.Locator(TestId("add-profile-warning"))).ToContainTextAsync("KEBA x-series");
        await TickAsync(page, "add-enforce");
        await page.Locator(TestId("add-save")).ClickAsync();
        await Expect(FieldError(page, "add-password")).ToContainTextAsync("KEBA x-series");
        await ui.ShotAsync(page, "add-refused-by-keba-profile");
        await page.Locator(TestId("add-cancel")).ClickAsync();
        Assert.Equal(countBefore, (await ListAsync(page)).Count);

        // Reveal (the admin has the right): the same secret again, with copy.
        await row.Locator(TestId("pool-reveal")).ClickAsync();
        await Expect(page.Locator(TestId("secret-value"))).ToHaveTextAsync(secret);
        await ui.ShotAsync(page, "reveal");
        await page.Locator(TestId("reveal-close")).ClickAsync();
    }

    [Fact]
    public async Task Bad_input_shows_the_message_at_the_field_stores_nothing_and_the_page_speaks_German()
    {
        await using var ui = await LaunchAsync(output, "ocppsec-input");
        var page = await ui.NewPageAsync(server.BaseAddress);
        await LoginAsync(page, "admin", UiServer.AdminPassword);
        try
        {
            await SetLanguageAsync(page, "en");
            await page.GotoAsync("/settings/ocpp-security");
            await Expect(page.Locator(TestId("pool-table"))).ToBeVisibleAsync();
            var countBefore = (await ListAsync(page)).Count;

            // 15 characters: too short, said at the password field.
            await page.Locator(TestId("pool-add")).ClickAsync();
            await TickAsync(page, "add-mode-enter");
            await FillAsync(page, "add-label", "Too short");
            await FillAsync(page, "add-password", "abcdefabcdef123");
            await page.Locator(TestId("add-save")).ClickAsync();
            await Expect(FieldError(page, "add-password")).ToHaveTextAsync("The password must have at least 16 characters.");
            await ui.ShotAsync(page, "15-characters");

            // Odd-length hex with Is hex YES.
            await FillAsync(page, "add-password", "abcdefabcdefabcde");
            await TickAsync(page, "add-ishex");
            await Expect(page.Locator(TestId("add-ishex-value"))).ToHaveTextAsync("YES");
            await page.Locator(TestId("add-save")).ClickAsync();
            await Expect(FieldError(page, "add-password")).ToHaveTextAsync("A hex password must have an even number of characters (two per byte).");

            // An empty label.
            await FillAsync(page, "add-label", "");
            await page.Locator(TestId("add-save")).ClickAsync();
            await Expect(FieldError(page, "add-label")).ToHaveTextAsync("A label is required.");
            await ui.ShotAsync(page, "odd-hex-and-empty-label");
            await page.Locator(TestId("add-cancel")).ClickAsync();
            Assert.Equal(countBefore, (await ListAsync(page)).Count);

            // The one-click KEBA x-series preset: 40 random hex characters, Is hex NO.
            await page.Locator(TestId("pool-add")).ClickAsync();
            await page.Locator(TestId("add-keba-preset")).ClickAsync();
            await Expect(page.Locator(TestId("add-ishex-value"))).ToHaveTextAsync("NO");
            await Expect(page.Locator(Input("add-label"))).ToHaveValueAsync("KEBA x-series");
            await ui.ShotAsync(page, "keba-preset");
            await page.Locator(TestId("add-save")).ClickAsync();
            await Expect(page.Locator(TestId("secret-value"))).ToHaveTextAsync(HexPattern());
            await page.Locator(TestId("add-close")).ClickAsync();
            var generated = Row(page, "KEBA x-series");
            await Expect(generated.Locator(TestId("pool-length"))).ToHaveTextAsync("40");
            await Expect(generated.Locator(TestId("pool-ishex"))).ToHaveTextAsync("NO");

            // Edit changes label and note only (the dialog says why the secret cannot change); disable and enable
            // go through the impact dialog and need the box ticked.
            await generated.Locator(TestId("pool-edit")).ClickAsync();
            await Expect(page.Locator(TestId("edit-secret-immutable"))).ToContainTextAsync("can never be changed");
            await FillAsync(page, "edit-note", "Garage, left wall");
            await page.Locator(TestId("edit-save")).ClickAsync();
            await Expect(generated.Locator(TestId("pool-label"))).ToContainTextAsync("Garage, left wall");
            await generated.Locator(TestId("pool-disable")).ClickAsync();
            await Expect(page.Locator(TestId("impact-no-stations"))).ToBeVisibleAsync();
            await Expect(page.Locator(TestId("impact-ok"))).ToBeDisabledAsync();
            await TickAsync(page, "impact-confirm");
            await Expect(page.Locator(TestId("impact-ok"))).ToBeEnabledAsync();
            await ui.ShotAsync(page, "disable-impact-dialog");
            await page.Locator(TestId("impact-ok")).ClickAsync();
            await Expect(generated.Locator(TestId("pool-state"))).ToContainTextAsync("Disabled");
            await generated.Locator(TestId("pool-enable")).ClickAsync();
            await TickAsync(page, "impact-confirm");
            await page.Locator(TestId("impact-ok")).ClickAsync();
            await Expect(generated.Locator(TestId("pool-state"))).ToContainTextAsync("Active");

            // German: menu path, the German labels, and the field message.
            await SetLanguageAsync(page, "de");
            await page.GotoAsync("/settings/ocpp-security");
            await Expect(page.Locator(TestId("ocpp-security-title"))).ToHaveTextAsync("Einstellungen › Systemeinstellungen › OCPP-Sicherheitseinstellungen");
            await Expect(page.Locator(TestId("pool-add"))).ToHaveTextAsync("Hinzufügen");
            await Expect(page.Locator("[data-testid='pool-table'] th", new() { HasText = "Ist Hex" })).ToHaveCountAsync(1);
            await Expect(Row(page, "KEBA x-series").Locator(TestId("pool-reveal"))).ToHaveTextAsync("Anzeigen");
            await Expect(page.Locator(TestId("settings-panel"))).ToContainTextAsync("Abgleich von Hex-Passwörtern");
            await ui.ShotAsync(page, "german-page");
            await page.Locator(TestId("pool-add")).ClickAsync();
            await TickAsync(page, "add-mode-enter");
            await FillAsync(page, "add-label", "Zu kurz");
            await FillAsync(page, "add-password", "abcdefabcdef123");
            await page.Locator(TestId("add-save")).ClickAsync();
            await Expect(FieldError(page, "add-password")).ToHaveTextAsync("Das Passwort muss mindestens 16 Zeichen haben.");
            await Expect(page.Locator(".mud-dialog")).ToContainTextAsync("BasicAuth-Passwort");
            await Expect(page.Locator(".mud-dialog")).ToContainTextAsync("Ist Hex: NEIN");
            await ui.ShotAsync(page, "german-add-15-characters");
            await page.Locator(TestId("add-cancel")).ClickAsync();
            Assert.Equal(countBefore + 1, (await ListAsync(page)).Count);
        }
        finally
        {
            await SetLanguageAsync(page, "en");
        }
    }

    private static ILocator Row(IPage page, string label) =>
        page.Locator("[data-testid='pool-table'] tbody tr", new() { Has = page.Locator("[data-testid='pool-label']", new() { HasText = label }) });

    /// <summary>The error text MudBlazor shows under the field with this test id.</summary>
    private static ILocator FieldError(IPage page, string testId) =>
        page.Locator(".mud-input-control", new() { Has = page.Locator(Input(testId)) }).Locator(".mud-input-helper-text.mud-input-error");

    private static async Task<JsonElement> GetJsonAsync(IPage page, string path)
    {
        var response = await page.APIRequest.GetAsync(path);
        Assert.Equal(200, response.Status);
        return (await response.JsonAsync())!.Value;
    }

    private static async Task<List<JsonElement>> ListAsync(IPage page) =>
        [.. (await GetJsonAsync(page, PoolApi)).GetProperty("items").EnumerateArray()];

    private static async Task<JsonElement> EntryAsync(IPage page, string label) =>
        (await ListAsync(page)).Single(e => e.GetProperty("label").GetString() == label);

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "The condition did not become true within 15 s.");
            await Task.Delay(250);
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")]
    private static partial Regex DateTimeText();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")]
    private static partial Regex DateTimeInText();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex HexPattern();

    /// <summary>The clipboard's text once it equals <paramref name="expected"/> (the copy is asynchronous), or whatever it holds after 5 s.</summary>
    private static async Task<string> ClipboardAsync(IPage page, string expected)
    {
        try
        {
            await page.WaitForFunctionAsync("async expected => (await navigator.clipboard.readText()) === expected", expected, new() { Timeout = 5_000 });
        }
        catch (TimeoutException)
        {
            // Fall through: the assertion shows what the clipboard holds instead.
        }

        return await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
    }
}

/// <summary>Browser tests run one at a time: each starts a server and a Chromium, and the machine has 2 cores.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection
{
    public const string Name = "Browser";
}
