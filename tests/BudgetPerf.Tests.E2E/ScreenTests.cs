using System.Globalization;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace BudgetPerf.Tests.E2E;

/// <summary>大屏 /screen (issue 17 item 5) at 1920×1080: signed in, large type, rotating and re-querying by itself.</summary>
[Collection(LeadershipDashboardCollection.Name)]
public sealed class ScreenTests(LeadershipDashboardFixture fixture, ITestOutputHelper output)
{
    private const float Timeout = 20_000;
    private static readonly ViewportSize FullHd = new() { Width = 1920, Height = 1080 };

    [SkippableFact]
    public async Task The_wall_display_renders_at_1920x1080_rotates_and_refreshes_itself()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var e = fixture.Expected!;

        // not signed in: the sign-in page, like every page
        var anonymous = await fixture.NewAnonymousPageAsync(FullHd);
        await anonymous.GotoAsync(fixture.BaseUrl + "/screen");
        await anonymous.WaitForURLAsync(u => u.Contains("/login"), new() { Timeout = Timeout });

        var page = await fixture.NewPageAsync(DashboardFixture.LeaderUser, FullHd);
        await page.GotoAsync(fixture.BaseUrl + "/screen?seconds=3&refresh=2");
        await Assertions.Expect(page.Locator("[data-screen-kpi='项目数'] .screen-kpi-value"))
            .ToHaveTextAsync(e.Projects.ToString("N0", CultureInfo.GetCultureInfo("zh-CN")), new() { Timeout = Timeout });
        // large type: the KPI figures are at least 48 px; nothing overflows 1920 px sideways
        var size = await page.Locator("[data-screen-kpi='项目数'] .screen-kpi-value").EvaluateAsync<string>("el => getComputedStyle(el).fontSize");
        Assert.True(double.Parse(size.Replace("px", ""), CultureInfo.InvariantCulture) >= 48, $"KPI font {size}");
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 1920);
        // the timer: the slide turns to the heatmap by itself, and the figures are queried again (every 2 s)
        await Assertions.Expect(page.Locator("[data-slide='heatmap']")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await page.WaitForFunctionAsync("() => Number(document.querySelector('[data-screen]').dataset.refreshes) >= 3", null, new() { Timeout = Timeout });

        // each slide held by ?slide=, a screenshot of each in the test output
        string[] slides = ["kpis", "heatmap", "worst", "cuts"];
        for (var i = 0; i < slides.Length; i++)
        {
            await page.GotoAsync($"{fixture.BaseUrl}/screen?slide={i}");
            await Assertions.Expect(page.Locator($"[data-slide='{slides[i]}']")).ToBeVisibleAsync(new() { Timeout = Timeout });
            var path = Path.Combine(fixture.ScreenshotDir, $"17-screen-{i}-{slides[i]}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
            Assert.True(new FileInfo(path).Length > 10_000, path);
            output.WriteLine($"screenshot {path}");
            Console.WriteLine($"screenshot {path}");
        }
        await Assertions.Expect(page.Locator("[data-screen-cuts] tr[data-cut-total]").First).ToBeVisibleAsync();
        page.SetDefaultTimeout(Timeout);
        await page.GotoAsync($"{fixture.BaseUrl}/screen?slide=2");
        await Assertions.Expect(page.Locator("[data-worst-project]")).ToHaveCountAsync(10, new() { Timeout = Timeout });
    }
}
