using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace BudgetPerf.Tests.E2E;

/// <summary>
/// 行政区划 in chromium (issue 14): the drill 省 → 市 → 县 → 部门 → 项目 with breadcrumbs, the search-as-you-type
/// slicer, and a user scoped to another county who sees none of 示范县 (660121) anywhere.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class RegionDrillTests(DashboardFixture fixture)
{
    private const float Timeout = 20_000;

    private static async Task ClickUntilAsync(IPage page, ILocator target, string urlPart)
    {
        for (var attempt = 0; !Uri.UnescapeDataString(page.Url).Contains(urlPart); attempt++)
        {
            await target.ClickAsync();
            try { await page.WaitForURLAsync(u => Uri.UnescapeDataString(u).Contains(urlPart), new() { Timeout = 2_000 }); }
            catch (TimeoutException) when (attempt < 15) { }
        }
    }

    [SkippableFact]
    public async Task The_drill_goes_from_province_to_project_with_breadcrumbs()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var page = await fixture.NewPageAsync();
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");

        // 省 → 市 → 县: each level's table lists the one region of the demo county's path
        foreach (var (level, code, next) in new[] { ("省", "660000", "市"), ("市", "660100", "县"), ("县", "660121", "部门") })
        {
            var row = page.Locator($"[data-region-drill='{level}'] [data-region-row='{code}'] a");
            await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = Timeout });
            await ClickUntilAsync(page, row, $"region={code}");
            await Assertions.Expect(page.Locator($"[data-region-drill='{next}']")).ToBeVisibleAsync(new() { Timeout = Timeout });
        }
        var crumbs = page.Locator("[data-region-breadcrumbs]");
        await Assertions.Expect(crumbs).ToContainTextAsync("河西省", new() { Timeout = Timeout });
        await Assertions.Expect(crumbs).ToContainTextAsync("金川市");
        await Assertions.Expect(crumbs).ToContainTextAsync("示范县");
        await fixture.ScreenshotAsync(page, "12-region-county");

        // 县 → 部门: a department row opens its projects on 偏差排名, the breadcrumbs still naming the county
        var department = page.Locator("[data-region-drill='部门'] [data-region-row] a").First;
        await ClickUntilAsync(page, department, "/ranking");
        Assert.Contains("region=660121", Uri.UnescapeDataString(page.Url));
        Assert.Matches("dept=[^&]+", page.Url);
        await Assertions.Expect(page.Locator("[data-region-breadcrumbs]")).ToContainTextAsync("示范县", new() { Timeout = Timeout });
        var rows = page.Locator("[data-grid='ranking'] tbody tr:has(.light-dot)");
        await Assertions.Expect(rows.First).ToBeVisibleAsync(new() { Timeout = Timeout });

        // 部门 → 项目
        await ClickUntilAsync(page, rows.First, "/project/");
        await Assertions.Expect(page.Locator("[data-project-header]")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await fixture.ScreenshotAsync(page, "13-region-project");

        // the slicer searches as you type: 示范 finds the county, picking it opens 总览 there
        await page.GotoAsync(fixture.BaseUrl + "/");
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        var input = page.Locator("[data-region-slicer] input, input[data-region-slicer]").First;
        await Assertions.Expect(input).ToBeVisibleAsync(new() { Timeout = Timeout });
        await input.ClickAsync();
        await input.PressSequentiallyAsync("示范", new() { Delay = 80 });
        var option = page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "示范县" }).First;
        await Assertions.Expect(option).ToBeVisibleAsync(new() { Timeout = Timeout });
        await ClickUntilAsync(page, option, "region=660121");
    }

    [SkippableFact]
    public async Task A_user_of_another_county_sees_none_of_this_county_anywhere()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var page = await fixture.NewPageAsync(DashboardFixture.OtherCountyUser);
        await Assertions.Expect(page.Locator("#signed-in-user")).ToContainTextAsync("财政", new() { Timeout = Timeout });

        // 总览: no project of 示范县 is counted, no region row shown
        await Assertions.Expect(page.Locator("[data-kpi='项目数'] .kpi-value")).ToHaveTextAsync(new Regex("^(0|—)$"), new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("[data-region-row]")).ToHaveCountAsync(0);
        // 偏差排名 by URL, even naming the county: empty
        await page.GotoAsync(fixture.BaseUrl + "/ranking?region=660121");
        await Assertions.Expect(page.Locator("[data-grid='ranking'] tbody tr:has(.light-dot)")).ToHaveCountAsync(0, new() { Timeout = Timeout });
        // a project of 示范县: 404
        var response = await page.GotoAsync(fixture.BaseUrl + "/project/" + Uri.EscapeDataString(fixture.OtherDepartmentProject));
        Assert.Equal(404, response!.Status);
        // reports and exports: nothing of it
        var report = await page.APIRequest.GetAsync($"{fixture.BaseUrl}/report/monitoring?department={Uri.EscapeDataString(fixture.Department)}&year=2026");
        Assert.Equal(404, report.Status);
        var cuts = await page.APIRequest.GetAsync(fixture.BaseUrl + "/export/cuts?format=csv");
        if (cuts.Status == 200) Assert.Single((await cuts.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        else Assert.Equal(403, cuts.Status);
    }
}
