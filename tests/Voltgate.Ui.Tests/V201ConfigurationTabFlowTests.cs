using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Voltgate.Server.Tests.Support;
using Xunit.Abstractions;

namespace Voltgate.Ui.Tests;

/// <summary>
/// The configuration tab of an OCPP 2.0.1 station in real headless Chromium: it shows the device model the station
/// reported (NotifyReport, secrets hidden), asks the station again (GetBaseReport), and writes a variable
/// (SetVariables); the command panel offers 2.0.1 commands with 2.0.1 example bodies.
/// </summary>
public sealed class V201ConfigurationTabFlowTests(UiServer server, ITestOutputHelper output) : IClassFixture<UiServer>
{
    private const string Secret = "Never-Shown-Station-Secret-42";

    [Fact]
    public async Task An_operator_reads_and_writes_a_201_stations_device_model()
    {
        var identity = "E2E-V201-" + Guid.NewGuid().ToString("N")[..6];
        var password = "pw-" + Guid.NewGuid().ToString("N")[..20];
        using var api = await server.AdminApiAsync();
        (await api.PostAsJsonAsync("/api/v1/ocpp-security/basic-auth-passwords", new { label = "e2e-201", password, isHex = false })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/stations", new { identity })).EnsureSuccessStatusCode();
        await using var station = (await TestStation.ConnectAsync(server.OcppEndpoint, identity, password, "ocpp2.0.1")).Station!;
        station.OnServerCall = (action, _) => action switch
        {
            "GetBaseReport" => new JsonObject { ["status"] = "Accepted" },
            "SetVariables" => JsonNode.Parse("""{"setVariableResult":[{"attributeStatus":"Accepted","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}"""),
            "Reset" => new JsonObject { ["status"] = "Accepted" },
            _ => new JsonObject(),
        };
        await station.CallOkAsync("BootNotification", new { reason = "PowerUp", chargingStation = new { model = "KC-P40", vendorName = "KEBA" } });
        await station.CallOkAsync("NotifyReport", new
        {
            requestId = 1,
            generatedAt = "2026-12-03T08:00:00Z",
            seqNo = 0,
            tbc = false,
            reportData = new object[]
            {
                new { component = new { name = "OCPPCommCtrlr" }, variable = new { name = "HeartbeatInterval" }, variableAttribute = new[] { new { type = "Actual", value = "300", mutability = "ReadWrite" } } },
                new { component = new { name = "SecurityCtrlr" }, variable = new { name = "BasicAuthPassword" }, variableAttribute = new[] { new { type = "Actual", value = Secret, mutability = "WriteOnly" } } },
            },
        });

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await UiBrowser.LaunchChromiumAsync(playwright);
        await using var context = await browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString(), ViewportSize = new() { Width = 1500, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.Locator("input[name='username']").FillAsync("admin");
        await page.Locator("input[name='password']").FillAsync(UiServer.AdminPassword);
        await page.Locator("[data-testid='login-submit']").ClickAsync();
        await Expect(page.Locator("[data-testid='nav']")).ToBeVisibleAsync();

        await page.GotoAsync($"/stations/{identity}");
        await Expect(page.Locator("[data-testid='station-title']")).ToHaveTextAsync(identity);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Configuration" }).ClickAsync();
        await Expect(page.Locator("[data-testid='dm-value-OCPPCommCtrlr-HeartbeatInterval']")).ToContainTextAsync("300");
        await Expect(page.Locator("[data-testid='dm-value-SecurityCtrlr-BasicAuthPassword']")).ToContainTextAsync("hidden (secret)");
        Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);

        // Ask the station again: GetBaseReport goes out, answered Accepted.
        await page.Locator("[data-testid='dm-refresh']").ClickAsync();
        await Expect(page.Locator("[data-testid='dm-hint']")).ToBeVisibleAsync();
        Assert.Contains(station.ServerCalls, c => c.Action == "GetBaseReport" && c.Payload!["reportBase"]!.GetValue<string>() == "FullInventory");

        // Write HeartbeatInterval: SetVariables with the new value; the table shows it once the station accepted.
        await page.Locator("[data-testid='dm-edit-OCPPCommCtrlr-HeartbeatInterval']").ClickAsync();
        await UiBrowser.FillAsync(page, "dm-edit-value", "60");
        await page.Locator("[data-testid='dm-save']").ClickAsync();
        await Expect(page.Locator("[data-testid='dm-value-OCPPCommCtrlr-HeartbeatInterval']")).ToContainTextAsync("60");
        var set = station.ServerCalls.Single(c => c.Action == "SetVariables").Payload!;
        Assert.Equal("60", set["setVariableData"]![0]!["attributeValue"]!.GetValue<string>());
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "v201-configuration-tab.png"), FullPage = true });
        output.WriteLine("screenshot: v201-configuration-tab.png");

        // The command panel starts a 2.0.1 station from its own Reset body and sends it.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Remote commands" }).ClickAsync();
        await Expect(page.Locator("textarea[data-testid='command-json'], [data-testid='command-json'] textarea")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("Immediate"));
        await page.Locator("[data-testid='command-send']").ClickAsync();
        await Expect(page.Locator("[data-testid='command-result']")).ToContainTextAsync("Accepted");
        Assert.Equal("Immediate", station.ServerCalls.Single(c => c.Action == "Reset").Payload!["type"]!.GetValue<string>());
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
