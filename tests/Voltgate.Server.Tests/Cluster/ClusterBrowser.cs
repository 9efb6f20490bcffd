using Microsoft.Playwright;

namespace Voltgate.Server.Tests.Cluster;

/// <summary>
/// Real headless Chromium (Debian's, or VOLTGATE_TEST_CHROMIUM) signed in as the bootstrap admin on one node, for
/// the cluster tests that check what an operator's browser shows. One browser context: its pages share the login.
/// </summary>
public sealed class ClusterBrowser : IAsyncDisposable
{
    /// <summary>How long a page may take to load on a busy 2-core CI machine running two nodes and a browser.</summary>
    private const float PageTimeoutMs = 30_000;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly IBrowserContext _context;

    private ClusterBrowser(IPlaywright playwright, IBrowser browser, IBrowserContext context)
    {
        _playwright = playwright;
        _browser = browser;
        _context = context;
    }

    /// <summary>Launches Chromium and signs in on <paramref name="node"/>.</summary>
    public static async Task<ClusterBrowser> SignInAsync(NodeProcess node)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("VOLTGATE_TEST_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new() { BaseURL = node.WebUrl.ToString(), ViewportSize = new() { Width = 1500, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.Locator("input[name='username']").FillAsync("admin");
        await page.Locator("input[name='password']").FillAsync(NodeProcess.AdminPassword);
        await page.Locator("[data-testid='login-submit']").ClickAsync();
        // The dashboard the login lands on stays open: closing a tab while its circuit starts makes the node log a
        // rendering error that no operator would cause.
        await Expect(page.Locator("[data-testid='dash-online']")).ToBeVisibleAsync(new() { Timeout = PageTimeoutMs });
        return new ClusterBrowser(playwright, browser, context);
    }

    /// <summary>A new tab on <paramref name="path"/>, once its interactive circuit runs (live updates need it).</summary>
    public async Task<IPage> OpenAsync(string path)
    {
        var page = await _context.NewPageAsync();
        await page.GotoAsync(path);
        await Expect(page.Locator("[data-testid='nav']")).ToBeVisibleAsync(new() { Timeout = PageTimeoutMs });
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        return page;
    }

    public static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    public static string TestId(string testId) => $"[data-testid='{testId}']";

    /// <summary>MudBlazor puts extra attributes on the input itself for some components, on the wrapper for others.</summary>
    public static string Input(string testId) => $"input[data-testid='{testId}'], [data-testid='{testId}'] input";

    /// <summary>Picks an option of a MudBlazor select by its text.</summary>
    public static async Task SelectAsync(IPage page, string testId, string option)
    {
        await page.Locator(TestId(testId)).First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = option }).First.ClickAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
