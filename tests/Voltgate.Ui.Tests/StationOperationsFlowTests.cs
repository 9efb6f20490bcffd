using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Voltgate.Server.Tests.Support;
using Xunit.Abstractions;

namespace Voltgate.Ui.Tests;

/// <summary>
/// The station operations flow in real headless Chromium: a station connects and the stations page shows it online
/// without a reload; a wrong-password attempt appears in its diagnostics with the right explanation; the operator
/// sends Reset and sees the station's answer; a charging session's energy chart appears.
/// </summary>
public sealed class StationOperationsFlowTests(UiServer server, ITestOutputHelper output) : IClassFixture<UiServer>
{
    private readonly string _shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
    private int _step = 20;

    [Fact]
    public async Task An_operator_watches_a_station_come_online_diagnoses_it_commands_it_and_sees_its_session()
    {
        Directory.CreateDirectory(_shots);
        const string identity = "E2E-CP-1";
        var password = "pw-" + Guid.NewGuid().ToString("N")[..20];
        using var api = await server.AdminApiAsync();
        (await api.PostAsJsonAsync("/api/v1/ocpp-security/basic-auth-passwords", new { label = "e2e", password, isHex = false })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/stations", new { identity })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/id-tags", new { idTag = "E2E-CARD" })).EnsureSuccessStatusCode();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await UiBrowser.LaunchChromiumAsync(playwright);
        await using var context = await browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString(), ViewportSize = new() { Width = 1500, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.Locator("input[name='username']").FillAsync("admin");
        await page.Locator("input[name='password']").FillAsync(UiServer.AdminPassword);
        await page.Locator("[data-testid='login-submit']").ClickAsync();
        await Expect(page.Locator("[data-testid='nav']")).ToBeVisibleAsync();

        // 1. The stations page shows the station offline; it connects; the row turns online without a reload.
        await page.Locator("a[href='/stations']").ClickAsync();
        var state = page.Locator($"[data-testid='station-state-{identity}']");
        await Expect(state).ToContainTextAsync("Offline");
        await ShotAsync(page, "stations-offline");
        await using var station = (await TestStation.ConnectAsync(server.OcppEndpoint, identity, password, "ocpp1.6")).Station!;
        station.OnServerCall = (action, _) => action == "Reset" ? new JsonObject { ["status"] = "Accepted" } : new JsonObject();
        await station.CallOkAsync("BootNotification", new { chargePointVendor = "KEBA", chargePointModel = "P30 x-series", firmwareVersion = "1.16.0" });
        await station.CallOkAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Available" });
        await Expect(state).ToContainTextAsync("Online", new() { Timeout = 10_000 });
        await Expect(page.Locator("[data-testid='stations-table'] [data-testid='connector-1']")).ToContainTextAsync("Available");
        await ShotAsync(page, "stations-online-without-reload");

        // 2. A wrong password: the attempt shows in the station's diagnostics with the right explanation.
        var refused = await TestStation.ConnectAsync(server.OcppEndpoint, identity, "wrong-password-123456", "ocpp1.6");
        Assert.False(refused.Upgraded, "a wrong password must be refused");
        await page.Locator($"[data-testid='station-link-{identity}']").ClickAsync();
        await Expect(page.Locator("[data-testid='station-title']")).ToHaveTextAsync(identity);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Connection diagnostics" }).ClickAsync();
        await Expect(page.Locator("[data-testid='attempts-table']")).ToContainTextAsync("PasswordMismatch", new() { Timeout = 10_000 });
        await Expect(page.Locator("[data-testid='attempts-table']")).ToContainTextAsync("matches no active BasicAuth password");
        await ShotAsync(page, "diagnostics-wrong-password");

        // 3. The operator sends Reset and sees the station's answer.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Remote commands" }).ClickAsync();
        await page.Locator("[data-testid='command-send']").ClickAsync();
        await Expect(page.Locator("[data-testid='command-result']")).ToContainTextAsync("Accepted");
        Assert.Contains(station.ServerCalls, c => c.Action == "Reset");
        await ShotAsync(page, "reset-answered");

        // 4. A charging session: its detail page shows the energy chart.
        var start = await station.CallOkAsync("StartTransaction", new { connectorId = 1, idTag = "E2E-CARD", meterStart = 100_000, timestamp = "2026-11-24T10:00:00Z" });
        var id = start["transactionId"]!.GetValue<int>();
        for (var i = 1; i <= 6; i++)
        {
            await station.CallOkAsync("MeterValues", new
            {
                connectorId = 1,
                transactionId = id,
                meterValue = new[]
                {
                    new { timestamp = $"2026-11-24T10:{i * 5:00}:00Z", sampledValue = new object[] { new { value = (100_000 + (i * 900)).ToString(System.Globalization.CultureInfo.InvariantCulture), measurand = "Energy.Active.Import.Register", unit = "Wh" }, new { value = (10_000 + (i * 200)).ToString(System.Globalization.CultureInfo.InvariantCulture), measurand = "Power.Active.Import", unit = "W" } } },
                },
            });
        }

        await station.CallOkAsync("StopTransaction", new { transactionId = id, meterStop = 105_400, timestamp = "2026-11-24T10:31:00Z", reason = "EVDisconnected" });
        await page.Locator("a[href='/transactions']").ClickAsync();
        await page.Locator($"[data-testid='transaction-link-{id}']").ClickAsync();
        await Expect(page.Locator("[data-testid='energy-chart'] svg").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='transaction-energy']")).ToContainTextAsync("5.4 kWh");
        await Expect(page.Locator("[data-testid='transaction-stop-reason']")).ToContainTextAsync("EVDisconnected");
        // The meter values table is paged on the server (issue 19): opened, it shows its first page.
        await page.Locator(".mud-expand-panel-header").First.ClickAsync();
        await Expect(page.Locator("[data-testid='meter-values-table'] tbody tr").First).ToBeVisibleAsync();
        await ShotAsync(page, "transaction-chart");

        await page.Locator("a[href='/']").First.ClickAsync();
        await Expect(page.Locator("[data-testid='dash-online']")).ToContainTextAsync("1");
        await ShotAsync(page, "dashboard");
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private async Task ShotAsync(IPage page, string name)
    {
        var path = Path.Combine(_shots, $"{++_step:00}-{name}.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }
}
