using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace BudgetPerf.Tests.E2E;

/// <summary>
/// Blazor Server and MudBlazor work under the dashboard's Content-Security-Policy: every page is served with it,
/// becomes interactive (the circuit's WebSocket is allowed), and chromium reports no CSP violation.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ContentSecurityPolicyTests(DashboardFixture fixture)
{
    [SkippableFact]
    public async Task Every_page_works_under_the_policy_without_a_violation()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var page = await fixture.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Add(message.Text);
        };
        await page.ExposeFunctionAsync("reportViolation", (string text) => violations.Add(text));
        await page.AddInitScriptAsync(
            "document.addEventListener('securitypolicyviolation', e => window.reportViolation(e.violatedDirective + ' ' + e.blockedURI));");

        foreach (var path in new[] { "/", "/ranking", "/trends", "/cuts", "/grades", "/upload" })
        {
            var response = await page.GotoAsync(fixture.BaseUrl + path);
            var policy = await response!.HeaderValueAsync("content-security-policy");
            Assert.Contains("script-src 'self';", policy);
            Assert.Contains("frame-ancestors 'none'", policy);
            Assert.Equal("DENY", await response.HeaderValueAsync("x-frame-options"));
            await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
            // interactive: MudBlazor has rendered the page's heading inside the circuit
            await Assertions.Expect(page.Locator("h5, .mud-typography-h5").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        }
        // a MudBlazor interaction through the circuit: the ranking's light filter changes the URL
        await page.GotoAsync(fixture.BaseUrl + "/ranking?light=red");
        await Assertions.Expect(page.Locator("[data-grid='ranking'] tbody tr:has(.light-dot)").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("light=red"));

        Assert.Empty(violations);
    }
}
