using System.Globalization;
using Microsoft.Playwright;

namespace BudgetPerf.Tests.E2E;

/// <summary>
/// Cross-filtering on 总览 and 等级与预算挂钩 in the browser (issue 17 items 1 and 4), on the three-year demo; every
/// expected figure is read from the marts by <see cref="LeadershipExpected"/> before the server starts.
/// </summary>
[Collection(LeadershipDashboardCollection.Name)]
public sealed class CrossFilterTests(LeadershipDashboardFixture fixture)
{
    private const float Timeout = 20_000;
    private static readonly CultureInfo Zh = CultureInfo.GetCultureInfo("zh-CN");

    private static ILocator Kpi(IPage page, string title) => page.Locator($"[data-kpi='{title}'] .kpi-value");

    /// <summary>
    /// Clicks until the URL satisfies <paramref name="arrived"/>: on a loaded machine a click landing while the circuit
    /// re-renders can be lost (as the ranking export's menu click was), so it is retried, three times at most.
    /// </summary>
    private static async Task ClickUntilAsync(IPage page, ILocator target, Func<string, bool> arrived)
    {
        for (var attempt = 1; ; attempt++)
        {
            await target.ClickAsync(new() { Timeout = Timeout });
            for (var i = 0; i < 40 && !arrived(page.Url); i++) await Task.Delay(250);
            if (arrived(page.Url)) return;
            Assert.True(attempt < 3, $"the click on {target} did not change the URL ({page.Url})");
        }
    }

    private static async Task PressUntilAsync(IPage page, string key, Func<string, bool> arrived)
    {
        for (var attempt = 1; ; attempt++)
        {
            await page.Locator("body").PressAsync(key);
            for (var i = 0; i < 40 && !arrived(page.Url); i++) await Task.Delay(250);
            if (arrived(page.Url)) return;
            Assert.True(attempt < 3, $"{key} did not change the URL ({page.Url})");
        }
    }

    [SkippableFact]
    public async Task A_department_clicked_in_the_grade_chart_filters_the_kpis_and_the_heatmap_and_stays_in_the_url_until_esc()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var e = fixture.Expected!;
        Assert.NotEqual("", e.Department);
        Assert.True(e.DepartmentProjects < e.Projects, $"the clicked department holds every project ({e.Projects}): the filter would show nothing");
        var page = await fixture.NewPageAsync(DashboardFixture.LeaderUser);

        // unfiltered: every project of the landing year and period
        await Assertions.Expect(Kpi(page, "项目数")).ToHaveTextAsync(e.Projects.ToString("N0", Zh), new() { Timeout = Timeout });
        // the grade card's counts and the 执行率 card's colour are the query layer's (GROUP BY, behind_schedule), as worked
        // out from the marts (#c62828 = rgb(198, 40, 40) behind 序时进度, #2e7d32 = rgb(46, 125, 50) not)
        await Assertions.Expect(page.Locator("[data-kpi^='等级'] .kpi-value")).ToHaveTextAsync(e.GradeCard);
        await Assertions.Expect(Kpi(page, "执行率 / 序时进度")).ToHaveCSSAsync("color", e.BehindSchedule ? "rgb(198, 40, 40)" : "rgb(46, 125, 50)");
        await ClickUntilAsync(page, page.Locator($"[data-grade-bars] [data-grade-bar-label='{e.Department}']"), u => u.Contains($"dept={e.Department}"));

        // filtered: the department's projects and budget (mart_project_deviation); at this level (省 rows) the heatmap keeps
        // one row, the department's 省, whose cells are the department's own mart cells (one department: the weighted mean
        // Σ(mean_shortfall × reported) / Σ reported is its mean_shortfall)
        await AssertDepartmentViewAsync(page, e);
        await fixture.ScreenshotAsync(page, "17-overview-cross-filtered");

        // a reload keeps it (the URL is the state)
        await page.ReloadAsync();
        await AssertDepartmentViewAsync(page, e);

        // Esc clears it: the URL loses dept, every project is back
        await PressUntilAsync(page, "Escape", u => !u.Contains("dept="));
        await Assertions.Expect(Kpi(page, "项目数")).ToHaveTextAsync(e.Projects.ToString("N0", Zh), new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("[data-crossfilter]")).ToHaveCountAsync(0);
    }

    [SkippableFact]
    public async Task The_grade_charts_png_link_carries_the_cross_filter_and_draws_the_filtered_series()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var e = fixture.Expected!;
        Assert.True(e.DepartmentProjects < e.Projects, $"the clicked department holds every project ({e.Projects}): the filter would change nothing");
        var page = await fixture.NewPageAsync(DashboardFixture.LeaderUser);
        var link = page.Locator("[data-chart-png='grades']");
        await Assertions.Expect(link).ToHaveCountAsync(1, new() { Timeout = Timeout });
        var unfiltered = await PngAsync(page, await link.GetAttributeAsync("href"));

        await ClickUntilAsync(page, page.Locator($"[data-grade-bars] [data-grade-bar-label='{e.Department}']"), u => u.Contains($"dept={e.Department}"));
        // the on-screen bars keep the one department; the PNG link passes it, and its image is another (one bar, not up to 15)
        await Assertions.Expect(page.Locator("[data-grade-bars] [data-grade-bar]")).ToHaveCountAsync(1, new() { Timeout = Timeout });
        await Assertions.Expect(link).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex($"[?&]dept={e.Department}(&|$)"));
        var filtered = await PngAsync(page, await link.GetAttributeAsync("href"));
        Assert.NotEqual(unfiltered, filtered);
        // the same link asked again draws the same image (the series, not chance, decides it)
        Assert.Equal(filtered, await PngAsync(page, await link.GetAttributeAsync("href")));
    }

    private async Task<byte[]> PngAsync(IPage page, string? href)
    {
        Assert.NotNull(href);
        var response = await page.APIRequest.GetAsync(new Uri(new Uri(fixture.BaseUrl), href).ToString());
        Assert.Equal(200, response.Status);
        var body = await response.BodyAsync();
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, body[..4]);
        return body;
    }

    [SkippableFact]
    public async Task The_red_light_card_filters_the_page_to_red_projects_and_its_chip_clears_it()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var e = fixture.Expected!;
        Assert.True(e.RedProjects > 0, "the demo year has no red project");
        var page = await fixture.NewPageAsync(DashboardFixture.LeaderUser);
        await Assertions.Expect(Kpi(page, "项目数")).ToHaveTextAsync(e.Projects.ToString("N0", Zh), new() { Timeout = Timeout });
        await ClickUntilAsync(page, page.Locator("[data-kpi='红灯项目']"), u => u.Contains("light=red"));

        // project count = red count, budget = Σ budget of the red projects, no yellow project left
        await Assertions.Expect(Kpi(page, "项目数")).ToHaveTextAsync(e.RedProjects.ToString("N0", Zh), new() { Timeout = Timeout });
        await Assertions.Expect(Kpi(page, "预算总额（万元）")).ToHaveTextAsync(e.RedBudget.ToString("N2", Zh));
        await Assertions.Expect(Kpi(page, "黄灯项目")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("[data-crossfilter-part='light']")).ToContainTextAsync("红灯");

        await ClickUntilAsync(page, page.Locator("[data-crossfilter-part='light'] .mud-chip-close-button"), u => !u.Contains("light="));
        await Assertions.Expect(Kpi(page, "项目数")).ToHaveTextAsync(e.Projects.ToString("N0", Zh), new() { Timeout = Timeout });
    }

    [SkippableFact]
    public async Task A_department_user_filtering_another_department_sees_nothing_of_it()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var e = fixture.Expected!;
        var page = await fixture.NewPageAsync(DashboardFixture.DepartmentUser);
        await page.GotoAsync($"{fixture.BaseUrl}/?dept={Uri.EscapeDataString(e.OtherDepartment)}");
        // the scope bounds the cross-filter: 0 projects, no heatmap cell, and the chip names the code only (no name leaks)
        await Assertions.Expect(page.Locator("[data-crossfilter-part='dept']")).ToContainTextAsync(e.OtherDepartment, new() { Timeout = Timeout });
        await Assertions.Expect(Kpi(page, "项目数")).ToHaveTextAsync("0", new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("[data-heatmap] td[data-dept]")).ToHaveCountAsync(0);
    }

    [SkippableFact]
    public async Task A_transition_matrix_cell_opens_the_projects_that_moved_and_a_department_bar_filters_the_matrix()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var e = fixture.Expected!;
        Assert.NotEmpty(e.MovedProjects);
        var page = await fixture.NewPageAsync(DashboardFixture.LeaderUser);
        // the department's 县: the bars are its departments
        await page.GotoAsync($"{fixture.BaseUrl}/grades?year={e.GradeYear}&region={e.DepartmentCounty}");

        var cell = page.Locator($"[data-transition-matrix] td[data-from='{e.MovedFrom}'][data-to='{e.MovedTo}']");
        await Assertions.Expect(cell).ToHaveTextAsync(e.MovedProjects.Count.ToString(CultureInfo.InvariantCulture), new() { Timeout = Timeout });
        await ClickUntilAsync(page, cell, u => u.Contains("from=") && u.Contains("to="));
        var moved = page.Locator($"[data-moved-projects='{e.MovedFrom}→{e.MovedTo}'] tr[data-moved-project]");
        await Assertions.Expect(moved).ToHaveCountAsync(e.MovedProjects.Count, new() { Timeout = Timeout });
        var codes = (await moved.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.movedProject)")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(e.MovedProjects, codes);
        await fixture.ScreenshotAsync(page, "17-grades-pictures");

        // a department's bar cross-filters the page: the matrix then counts that department's projects only
        await ClickUntilAsync(page, page.Locator($"[data-grade-bars] [data-grade-bar-label='{e.Department}']"), u => u.Contains($"dept={e.Department}"));
        await Assertions.Expect(page.Locator("[data-grade-bars] [data-grade-bar]")).ToHaveCountAsync(1, new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("[data-crossfilter-part='dept']")).ToBeVisibleAsync();
        var counts = await page.Locator("[data-transition-matrix] td[data-count]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.count)");
        Assert.Equal(e.DepartmentTransitions, counts.Sum(long.Parse));
        await PressUntilAsync(page, "Escape", u => !u.Contains("dept="));
    }

    private static async Task AssertDepartmentViewAsync(IPage page, LeadershipExpected e)
    {
        await Assertions.Expect(Kpi(page, "项目数")).ToHaveTextAsync(e.DepartmentProjects.ToString("N0", Zh), new() { Timeout = Timeout });
        await Assertions.Expect(Kpi(page, "预算总额（万元）")).ToHaveTextAsync(e.DepartmentBudget.ToString("N2", Zh));
        await Assertions.Expect(page.Locator("[data-crossfilter-part='dept']")).ToBeVisibleAsync();
        var cells = page.Locator("[data-heatmap] td[data-dept]");
        await Assertions.Expect(cells.First).ToBeVisibleAsync(new() { Timeout = Timeout });
        var rows = (await cells.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.dept)")).Distinct().ToList();
        Assert.Single(rows);
        Assert.Equal(e.DepartmentHeatmap.Count, await page.Locator("[data-heatmap] td[data-dept]:not(.empty)").CountAsync());
        foreach (var (category, shortfall) in e.DepartmentHeatmap)
            await Assertions.Expect(page.Locator($"[data-heatmap] td[data-dept='{rows[0]}'][data-cat='{category}']"))
                .ToHaveTextAsync(shortfall.ToString("0.00", CultureInfo.InvariantCulture));
    }
}
