using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace BudgetPerf.Tests.E2E;

/// <summary>
/// 年末执行预测 (issue 17 item 3) in a real chromium over the one-year demo: the ranking's 预计年末执行率 column and the
/// project page's section (with no earlier year, the forecast is the promised rate and has no interval).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ForecastTests(DashboardFixture fixture)
{
    private const float Timeout = 20_000;

    [SkippableFact]
    public async Task Ranking_shows_the_forecast_column_and_the_project_page_its_section()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.BaseUrl + "/ranking");
        await Assertions.Expect(page.Locator("[data-grid='ranking'] th", new() { HasText = "预计年末执行率" })).ToBeVisibleAsync(new() { Timeout = Timeout });
        var cell = page.Locator("[data-grid='ranking'] [data-forecast]").First;
        await Assertions.Expect(cell).ToHaveTextAsync(new Regex(@"^\d{1,3}\.\d%$"), new() { Timeout = Timeout });
        await fixture.ScreenshotAsync(page, "17-ranking-forecast");

        var code = await cell.GetAttributeAsync("data-forecast");
        var shown = (await cell.InnerTextAsync()).Trim();
        await page.GotoAsync(fixture.BaseUrl + $"/project/{Uri.EscapeDataString(code!)}");
        var section = page.Locator("[data-forecast='true']");
        await Assertions.Expect(section).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(section.Locator("[data-forecast-rate]")).ToHaveTextAsync(shown);
        await Assertions.Expect(section.Locator("[data-forecast-method]")).ToContainTextAsync("没有往年年末数据可学");
        await Assertions.Expect(section.Locator("[data-basis-quote]")).ToContainTextAsync("第八条（二）");
        await fixture.ScreenshotAsync(page, "17-project-forecast");
    }
}
