using Microsoft.Playwright;
using Xunit.Abstractions;
using static Voltgate.Ui.Tests.UiBrowser;

namespace Voltgate.Ui.Tests;

/// <summary>
/// The Content Security Policy in real Chromium: the interactive UI (Blazor Server circuit, MudBlazor) and the API
/// reference page (Scalar) work under it, and the browser reports no violation on the way.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SecurityHeadersFlowTests(UiServer server, ITestOutputHelper output) : IClassFixture<UiServer>
{
    /// <summary>Collects every CSP violation the page sees, from the start of each document.</summary>
    private const string ViolationRecorder = """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' blocked ' + e.blockedURI));
        """;

    [Fact]
    public async Task The_UI_and_the_API_reference_work_under_the_CSP_without_a_violation()
    {
        await using var browser = await UiBrowser.LaunchAsync(output, "csp");
        var page = await browser.NewPageAsync(server.BaseAddress);
        var console = new List<string>();
        page.Console += (_, message) => console.Add(message.Text);
        await page.AddInitScriptAsync(ViolationRecorder);

        var login = await page.GotoAsync("/account/login");
        Assert.Contains("frame-ancestors 'none'", await login!.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);
        await LoginAsync(page, "admin", UiServer.AdminPassword);
        await page.Locator(TestId("nav-groups")).ClickAsync();
        await page.Locator(TestId("group-new")).ClickAsync();
        await Expect(page.Locator(Input("group-name"))).ToBeVisibleAsync(); // the circuit answered: the page is interactive
        await FillAsync(page, "group-name", "CSP check");
        await Expect(page.Locator(Input("group-name"))).ToHaveValueAsync("CSP check");
        await browser.ShotAsync(page, "interactive-dialog");
        var uiViolations = await page.EvaluateAsync<string[]>("() => window.__cspViolations");

        await page.GotoAsync("/api/reference/");
        await page.WaitForFunctionAsync("() => document.body.innerText.includes('Stations') && document.body.innerText.includes('Tenants')", null, new() { Timeout = 30_000 });
        await browser.ShotAsync(page, "api-reference");
        var referenceViolations = await page.EvaluateAsync<string[]>("() => window.__cspViolations");

        var reported = console.Where(m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var v in referenceViolations.Concat(uiViolations)) { output.WriteLine(v); }
        output.WriteLine($"CSP violations: UI {uiViolations.Length}, API reference {referenceViolations.Length}, console {reported.Count}");
        Assert.Empty(uiViolations);
        Assert.Empty(referenceViolations);
        Assert.Empty(reported);
    }
}
