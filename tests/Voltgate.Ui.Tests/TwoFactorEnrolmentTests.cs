using Microsoft.Playwright;
using OtpNet;
using Xunit.Abstractions;

namespace Voltgate.Ui.Tests;

/// <summary>
/// The TOTP second factor in real headless Chromium: the admin enrols on My account (key shown, code from an
/// independent TOTP implementation, recovery codes shown once), then logs in again with a code and with a
/// recovery code. Screenshots go to the test output folder's screenshots/.
/// </summary>
public sealed class TwoFactorEnrolmentTests(UiServer server, ITestOutputHelper output) : IClassFixture<UiServer>
{
    private readonly string _shots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task Enrolment_on_my_account_then_login_needs_a_code_or_a_recovery_code()
    {
        Directory.CreateDirectory(_shots);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await UiBrowser.LaunchChromiumAsync(playwright);
        var contextOptions = new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString(), ViewportSize = new() { Width = 1366, Height = 860 } };

        await using var enrolContext = await browser.NewContextAsync(contextOptions);
        var page = await enrolContext.NewPageAsync();
        await SubmitLoginAsync(page, code: null);
        await Expect(page.Locator("[data-testid='nav']")).ToBeVisibleAsync();
        await page.GotoAsync("/my-account");
        await page.Locator("[data-testid='tfa-setup']").ClickAsync();
        await Expect(page.Locator("[data-testid='tfa-uri']")).ToContainTextAsync("otpauth://totp/Voltgate:default:admin?secret=");
        var key = (await page.Locator("[data-testid='tfa-key']").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal);
        await ShotAsync(page, "tfa-01-setup-key");
        await FillAsync(page, "tfa-code", new Totp(Base32Encoding.ToBytes(key)).ComputeTotp());
        await page.Locator("[data-testid='tfa-enable']").ClickAsync();
        var codes = page.Locator("[data-testid='tfa-recovery-codes']");
        await Expect(codes).ToBeVisibleAsync();
        var recoveryCodes = (await codes.InnerTextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(10, recoveryCodes.Length);
        await ShotAsync(page, "tfa-02-recovery-codes-once");
        await page.Locator("[data-testid='tfa-done']").ClickAsync();
        await Expect(page.Locator("[data-testid='tfa-codes-left']")).ToHaveTextAsync("10");

        // A new browser: the password alone now leads to the code prompt; a current code signs in.
        await using var codeContext = await browser.NewContextAsync(contextOptions);
        var withCode = await codeContext.NewPageAsync();
        await SubmitLoginAsync(withCode, code: null);
        await Expect(withCode.Locator("input[name='code']")).ToBeVisibleAsync();
        await ShotAsync(withCode, "tfa-03-login-asks-for-code");
        await SubmitLoginAsync(withCode, new Totp(Base32Encoding.ToBytes(key)).ComputeTotp());
        await Expect(withCode.Locator("[data-testid='nav']")).ToBeVisibleAsync();

        // And a recovery code works once instead of the code.
        await using var recoveryContext = await browser.NewContextAsync(contextOptions);
        var withRecovery = await recoveryContext.NewPageAsync();
        await SubmitLoginAsync(withRecovery, recoveryCodes[0]);
        await Expect(withRecovery.Locator("[data-testid='nav']")).ToBeVisibleAsync();
        await using var reuseContext = await browser.NewContextAsync(contextOptions);
        var reuse = await reuseContext.NewPageAsync();
        await SubmitLoginAsync(reuse, recoveryCodes[0]);
        await Expect(reuse.Locator("[data-testid='login-error']")).ToBeVisibleAsync();
        await ShotAsync(reuse, "tfa-04-recovery-code-used-twice");
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    /// <summary>Fills the login form; with a code, the code field appears after the first submit (totp=1) and the password is entered again.</summary>
    private static async Task SubmitLoginAsync(IPage page, string? code)
    {
        await page.GotoAsync(code is null ? "/account/login" : "/account/login?username=admin&totp=1");
        await page.Locator("input[name='username']").FillAsync("admin");
        await page.Locator("input[name='password']").FillAsync(UiServer.AdminPassword);
        if (code is not null)
        {
            await page.Locator("input[name='code']").FillAsync(code);
        }

        await page.Locator("[data-testid='login-submit']").ClickAsync();
    }

    private static async Task FillAsync(IPage page, string testId, string value)
    {
        var input = page.Locator($"input[data-testid='{testId}'], [data-testid='{testId}'] input");
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }

    private async Task ShotAsync(IPage page, string name)
    {
        var path = Path.Combine(_shots, $"{name}.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }
}
