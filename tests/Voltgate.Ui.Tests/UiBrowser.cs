using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Voltgate.Ui.Tests;

/// <summary>
/// Real headless Chromium (Debian's, or VOLTGATE_TEST_CHROMIUM) for one test, with the steps every browser test
/// needs: log in, fill a MudBlazor field, switch the user's language, numbered full-page screenshots.
/// </summary>
public sealed class UiBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly ITestOutputHelper _output;
    private readonly string _shots;
    private readonly string _prefix;
    private int _step;

    private UiBrowser(IPlaywright playwright, IBrowser browser, ITestOutputHelper output, string prefix)
    {
        _playwright = playwright;
        _browser = browser;
        _output = output;
        _prefix = prefix;
        _shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(_shots);
    }

    public static async Task<UiBrowser> LaunchAsync(ITestOutputHelper output, string screenshotPrefix)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await LaunchChromiumAsync(playwright);
        return new UiBrowser(playwright, browser, output, screenshotPrefix);
    }

    /// <summary>
    /// Debian's Chromium (no browser download is possible here), headless, without the background services that
    /// would try to reach the internet from a closed network.
    /// </summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("VOLTGATE_TEST_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });

    /// <summary>A fresh browser context (own cookies) with clipboard access, so copy buttons can be checked.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress)
    {
        var context = await _browser.NewContextAsync(new() { BaseURL = baseAddress.ToString(), ViewportSize = new() { Width = 1366, Height = 860 } });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = baseAddress.GetLeftPart(UriPartial.Authority) });
        return await context.NewPageAsync();
    }

    /// <summary>
    /// MudBlazor puts extra attributes on the input itself for some components, on the wrapper for others; a
    /// multi-line text field is a textarea.
    /// </summary>
    public static string Input(string testId) => $"input[data-testid='{testId}'], textarea[data-testid='{testId}'], [data-testid='{testId}'] input";

    public static string TestId(string testId) => $"[data-testid='{testId}']";

    public static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    public static async Task LoginAsync(IPage page, string username, string password)
    {
        await page.GotoAsync("/account/login");
        await page.Locator("input[name='username']").FillAsync(username);
        await page.Locator("input[name='password']").FillAsync(password);
        await page.Locator("[data-testid='login-submit']").ClickAsync();
        await Expect(page.Locator("[data-testid='nav']")).ToBeVisibleAsync();
    }

    /// <summary>Sets the signed-in user's language on My account (the page reloads in it).</summary>
    public static async Task SetLanguageAsync(IPage page, string language)
    {
        await page.GotoAsync("/my-account");
        var radio = page.Locator(Input("lang-" + language));
        await Expect(radio).ToHaveCountAsync(1);
        if (!await radio.IsCheckedAsync())
        {
            // The page saves the choice, then reloads itself in the new language: wait for that reload.
            await page.EvaluateAsync("() => { window.vgBeforeReload = true; }");
            await radio.ClickAsync(new() { Force = true });
            await page.WaitForFunctionAsync("() => window.vgBeforeReload !== true");
            await page.WaitForLoadStateAsync(LoadState.Load);
            await Expect(page.Locator(Input("lang-" + language))).ToBeCheckedAsync();
        }
    }

    /// <summary>
    /// Clicks a MudBlazor checkbox, switch or radio and waits until it shows as checked: its state comes back from the
    /// server, so Playwright's CheckAsync (which looks right after the click) would race the round trip.
    /// </summary>
    public static async Task TickAsync(IPage page, string testId)
    {
        var input = page.Locator(Input(testId));
        for (var attempt = 1; ; attempt++)
        {
            // A click while a dialog is still opening (animating) can miss; try again then.
            await input.ClickAsync(new() { Force = true });
            try
            {
                await Expect(input).ToBeCheckedAsync(new() { Timeout = 2_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
    }

    public static async Task FillAsync(IPage page, string testId, string value)
    {
        var input = page.Locator(Input(testId));
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }

    public async Task ShotAsync(IPage page, string name)
    {
        var path = Path.Combine(_shots, $"{_prefix}-{++_step:00}-{name}.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        _output.WriteLine($"screenshot: {path}");
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
