using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Voltgate.Ui.Tests;

/// <summary>
/// The technician rights flow in real headless Chromium: the admin creates group Technicians (scope Company, without
/// OCPP Security Settings) and user tech1; tech1 sees no OCPP Security Settings entry, gets access denied on its URL
/// and 403 from its API; the admin sets the right to YES; tech1's next navigation shows the entry.
/// Screenshots of every step go to the test output folder's screenshots/.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TechnicianRightsFlowTests(UiServer server, ITestOutputHelper output) : IClassFixture<UiServer>
{
    private const string TechPassword = "Tech-Password-123";
    private const string OcppEntry = "a[href='/settings/ocpp-security']";
    private readonly string _shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
    private int _step;

    [Fact]
    public async Task Granting_ocpp_security_settings_shows_the_menu_entry_on_the_next_navigation()
    {
        Directory.CreateDirectory(_shots);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await UiBrowser.LaunchChromiumAsync(playwright);
        var contextOptions = new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString(), ViewportSize = new() { Width = 1366, Height = 860 } };
        await using var adminContext = await browser.NewContextAsync(contextOptions);
        await using var techContext = await browser.NewContextAsync(contextOptions);
        var admin = await adminContext.NewPageAsync();
        var tech = await techContext.NewPageAsync();

        // 1. The admin logs in.
        await LoginAsync(admin, "admin", UiServer.AdminPassword);
        await Expect(admin.Locator(OcppEntry)).ToBeVisibleAsync();
        await ShotAsync(admin, "admin-logged-in");

        // 2. The admin creates group Technicians with scope Company.
        await admin.Locator("[data-testid='nav-groups']").ClickAsync();
        await admin.Locator("[data-testid='group-new']").ClickAsync();
        await FillAsync(admin, "group-name", "Technicians");
        await ShotAsync(admin, "admin-new-group-form");
        await admin.Locator("[data-testid='group-save']").ClickAsync();
        var row = admin.Locator("[data-testid='groups-table'] tr", new() { HasText = "Technicians" });
        await Expect(row).ToContainTextAsync("Company");

        // ... with Dashboard and Stations, but not OCPP Security Settings.
        await admin.Locator("[data-testid='group-rights-Technicians']").ClickAsync();
        await Expect(admin.Locator("[data-testid='rights-group']")).ToContainTextAsync("Technicians");
        await admin.Locator(Input("right-Dashboard.View")).CheckAsync(new() { Force = true });
        await admin.GetByRole(AriaRole.Tab, new() { Name = "Stations" }).ClickAsync();
        await admin.Locator(Input("right-Stations.View")).CheckAsync(new() { Force = true });
        await admin.GetByRole(AriaRole.Tab, new() { Name = "Settings" }).ClickAsync();
        await Expect(admin.Locator(Input("right-Settings.OcppSecuritySettings"))).Not.ToBeCheckedAsync();
        await ShotAsync(admin, "admin-rights-editor-settings-no");
        await admin.Locator("[data-testid='rights-save']").ClickAsync();
        await Expect(admin.Locator(".mud-snackbar")).ToContainTextAsync("Saved");

        // 3. The admin creates user tech1 in Technicians.
        await admin.Locator("[data-testid='nav-users']").ClickAsync();
        await admin.Locator("[data-testid='user-new']").ClickAsync();
        await FillAsync(admin, "user-username", "tech1");
        await FillAsync(admin, "user-displayname", "Tech One");
        await FillAsync(admin, "user-password", TechPassword);
        await admin.Locator(Input("user-group-Technicians")).CheckAsync(new() { Force = true });
        await ShotAsync(admin, "admin-new-user-form");
        await admin.Locator("[data-testid='user-save']").ClickAsync();
        await Expect(admin.Locator("[data-testid='users-table']")).ToContainTextAsync("tech1");
        await ShotAsync(admin, "admin-users-overview");

        // 4. tech1 logs in: no OCPP Security Settings entry, access denied on its URL, 403 from its API.
        await LoginAsync(tech, "tech1", TechPassword);
        await Expect(tech.Locator("a[href='/stations']")).ToBeVisibleAsync();
        await Expect(tech.Locator(OcppEntry)).ToHaveCountAsync(0);
        await ShotAsync(tech, "tech1-no-ocpp-security-entry");

        await tech.GotoAsync("/settings/ocpp-security");
        await Expect(tech.Locator("[data-testid='access-denied']")).ToBeVisibleAsync();
        await ShotAsync(tech, "tech1-access-denied");

        var api = await tech.APIRequest.GetAsync("/api/v1/ocpp-security/basic-auth-passwords");
        Assert.Equal(403, api.Status);

        // 5. The admin sets OCPP Security Settings to YES.
        await admin.Locator("[data-testid='nav-groups']").ClickAsync();
        await admin.Locator("[data-testid='group-rights-Technicians']").ClickAsync();
        await admin.GetByRole(AriaRole.Tab, new() { Name = "Settings" }).ClickAsync();
        await admin.Locator(Input("right-Settings.OcppSecuritySettings")).CheckAsync(new() { Force = true });
        await admin.Locator("[data-testid='rights-save']").ClickAsync();
        await Expect(admin.Locator(".mud-snackbar")).ToContainTextAsync("Saved");
        await ShotAsync(admin, "admin-rights-editor-settings-yes");

        // 6. tech1's next navigation (inside the running UI, no re-login) shows the entry, and the page opens.
        await tech.Locator("a[href='/stations']").ClickAsync();
        await Expect(tech.Locator(OcppEntry)).ToBeVisibleAsync();
        await ShotAsync(tech, "tech1-sees-ocpp-security-entry");
        await tech.Locator(OcppEntry).ClickAsync();
        await Expect(tech.Locator("[data-testid='ocpp-security-title']")).ToBeVisibleAsync();
        await Expect(tech.Locator("[data-testid='access-denied']")).ToHaveCountAsync(0);
        Assert.Equal(200, (await tech.APIRequest.GetAsync("/api/v1/ocpp-security/basic-auth-passwords")).Status);
        await ShotAsync(tech, "tech1-ocpp-security-page");
    }

    /// <summary>MudBlazor puts extra attributes on the input itself for some components, on the wrapper for others.</summary>
    private static string Input(string testId) => $"input[data-testid='{testId}'], [data-testid='{testId}'] input";

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static async Task LoginAsync(IPage page, string username, string password)
    {
        await page.GotoAsync("/account/login");
        await page.Locator("input[name='username']").FillAsync(username);
        await page.Locator("input[name='password']").FillAsync(password);
        await page.Locator("[data-testid='login-submit']").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid='nav']")).ToBeVisibleAsync();
    }

    private static async Task FillAsync(IPage page, string testId, string value)
    {
        var input = page.Locator(Input(testId));
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }

    private async Task ShotAsync(IPage page, string name)
    {
        var path = Path.Combine(_shots, $"{++_step:00}-{name}.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }
}
