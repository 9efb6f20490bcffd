using System.Net.Http.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Voltgate.Ui.Tests.UiBrowser;

namespace Voltgate.Ui.Tests;

/// <summary>
/// Instance › Tenants and Settings › Data retention in real headless Chromium: the instance admin creates a tenant
/// (the generated password is shown once and signs the new admin in), a reserved slug is refused next to its field,
/// the tenant is deactivated (its admin can no longer sign in), and a retention below the legal minimum is refused.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OperationsFlowTests(UiServer server, ITestOutputHelper output) : IClassFixture<UiServer>
{
    [Fact]
    public async Task An_instance_admin_creates_and_deactivates_a_tenant_and_sets_the_retention()
    {
        // This machine is shared: a first Blazor circuit can take longer than the default five seconds.
        Assertions.SetDefaultExpectTimeout(15_000);
        await using var browser = await UiBrowser.LaunchAsync(output, "operations");
        var page = await browser.NewPageAsync(server.BaseAddress);
        await LoginAsync(page, "admin", UiServer.AdminPassword);
        await page.Locator(TestId("nav-tenants")).ClickAsync();
        await Expect(page.Locator(TestId("tenants-table"))).ToContainTextAsync("default");

        // A reserved slug: refused with its reason, nothing listed.
        await FillAsync(page, "tenant-slug", "ocpp");
        await FillAsync(page, "tenant-name", "Reserved");
        await page.Locator(TestId("tenant-create")).ClickAsync();
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("reserved");
        await Expect(page.Locator(TestId("tenant-created"))).ToHaveCountAsync(0);

        // A new tenant: the generated password is shown once and signs its admin in.
        var slug = "ui-" + Guid.NewGuid().ToString("N")[..8];
        await FillAsync(page, "tenant-slug", slug);
        await FillAsync(page, "tenant-name", "UI Tenant");
        await page.Locator(TestId("tenant-create")).ClickAsync();
        var shown = page.Locator(TestId("tenant-created-password"));
        await Expect(shown).ToBeVisibleAsync();
        var password = (await shown.InnerTextAsync()).Trim();
        await browser.ShotAsync(page, "tenant-created");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var login = await http.PostAsJsonAsync("/api/v1/auth/token", new { tenant = slug, username = "admin", password });
        Assert.True(login.IsSuccessStatusCode, await login.Content.ReadAsStringAsync());
        await page.ReloadAsync();
        await Expect(page.Locator(TestId("tenants-table"))).ToContainTextAsync(slug);
        Assert.DoesNotContain(password, await page.ContentAsync(), StringComparison.Ordinal);

        // Deactivated: the row says so and its admin cannot sign in.
        var row = page.Locator("[data-testid='tenants-table'] tr", new() { HasText = slug });
        await row.Locator(TestId("tenant-deactivate")).ClickAsync();
        await page.Locator(TestId("tenant-confirm-yes")).ClickAsync();
        await Expect(row.Locator(TestId("tenant-row-state"))).ToContainTextAsync("Deactivated");
        await browser.ShotAsync(page, "tenant-deactivated");
        var refused = await http.PostAsJsonAsync("/api/v1/auth/token", new { tenant = slug, username = "admin", password });
        Assert.False(refused.IsSuccessStatusCode);

        // Retention: below the legal minimum is refused next to the field; a valid period is saved.
        await page.Locator(TestId("nav-retention")).ClickAsync();
        await Expect(page.Locator(TestId("retention-title"))).ToBeVisibleAsync();
        await FillAsync(page, "retention-audit", "10");
        await page.Locator(TestId("retention-save")).ClickAsync();
        await Expect(page.Locator(TestId("retention-audit")).Locator("xpath=ancestor::div[contains(@class,'mud-input-control')]").First).ToContainTextAsync("at least 180 days");
        await browser.ShotAsync(page, "retention-below-minimum");
        await FillAsync(page, "retention-audit", "400");
        await page.Locator(TestId("retention-save")).ClickAsync();
        await Expect(page.Locator(".mud-snackbar", new() { HasText = "Saved" })).ToBeVisibleAsync();
    }
}
