using System.Text;
using System.Text.RegularExpressions;
using BudgetPerf.Etl.Demo;
using Microsoft.Playwright;

namespace BudgetPerf.Tests.E2E;

/// <summary>The dashboard in a real chromium over one demo county year.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardTests(DashboardFixture fixture)
{
    private const float Timeout = 20_000;

    [SkippableFact]
    public async Task Overview_shows_the_kpis_and_the_trend()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.BaseUrl + "/");
        var projects = page.Locator("[data-kpi='项目数'] .kpi-value");
        await Assertions.Expect(projects).ToHaveTextAsync(new Regex(@"^[1-9][\d,]*$"), new() { Timeout = Timeout });
        await Assertions.Expect(page.GetByText("执行趋势：执行率与序时进度")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "01-overview");

        // at the county (示范县 660121) the heatmap's rows are departments: a cell opens the ranking filtered to that
        // department and indicator category
        await page.GotoAsync(fixture.BaseUrl + "/?region=660121");
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await Assertions.Expect(page.Locator("[data-region-drill='部门']")).ToBeVisibleAsync(new() { Timeout = Timeout });
        var cell = page.Locator("[data-heatmap] td:not(.empty)").First;
        var (dept, cat) = (await cell.GetAttributeAsync("data-dept"), await cell.GetAttributeAsync("data-cat"));
        await ClickUntilAsync(page, cell, "/ranking");
        var url = Uri.UnescapeDataString(page.Url);
        Assert.Contains($"dept={dept}", url);
        Assert.Contains($"cat={cat}", url);
        await Assertions.Expect(page.Locator("[data-grid='ranking'] tbody tr:has(.light-dot)").First).ToBeVisibleAsync(new() { Timeout = Timeout });
        await fixture.ScreenshotAsync(page, "02-ranking-from-heatmap");
    }

    [SkippableFact]
    public async Task Ranking_lists_projects_and_a_row_opens_the_project_with_a_way_back()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.BaseUrl + "/ranking?light=red");
        var rows = page.Locator("[data-grid='ranking'] tbody tr:has(.light-dot)");
        await Assertions.Expect(rows.First).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("[data-grid='ranking'] [data-light='green']")).ToHaveCountAsync(0);
        await fixture.ScreenshotAsync(page, "02-ranking-red");

        await ClickUntilAsync(page, rows.First, "/project/");
        await Assertions.Expect(page.Locator("[data-project-header]")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("[data-derivation] tbody tr").First).ToBeVisibleAsync(new() { Timeout = Timeout });
        // the derivation shows a parsed target (comparator and number) and a progress r
        await Assertions.Expect(page.Locator("[data-derivation] [data-parsed-target]", new() { HasTextRegex = new Regex(@"^→ [≥≤=] \d") }).First)
            .ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("[data-derivation] [data-r]", new() { HasTextRegex = new Regex(@"^\d+(\.\d+)?$") }).First)
            .ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("[data-self-evaluation]")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("[data-consequences]")).ToBeVisibleAsync(new() { Timeout = Timeout });
        var back = page.Locator(".mud-breadcrumbs a", new() { HasText = "偏差排名" });
        Assert.Contains("light=red", Uri.UnescapeDataString(await back.GetAttributeAsync("href") ?? ""));
        await fixture.ScreenshotAsync(page, "03-project");
    }

    [SkippableFact]
    public async Task Export_csv_of_the_filtered_ranking_reads_back_whole_with_a_bom()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.BaseUrl + "/ranking?light=red");
        await Assertions.Expect(page.Locator("[data-grid='ranking'] tbody tr:has(.light-dot)").First).ToBeVisibleAsync(new() { Timeout = Timeout });
        var info = await page.Locator(".mud-table-pagination-caption, .mud-table-page-number-information").Last.InnerTextAsync();
        var total = int.Parse(Regex.Match(info.Replace(",", ""), @"共\s*(\d+)").Groups[1].Value);

        // the menu opens, and its item navigates, once the circuit handles the click (MudMenuItem Href + ForceLoad goes
        // through the circuit): retry the button until the item shows, then click the item, again only while it still
        // shows. One wait for the download spans the retries, and no click waits for a navigation: a click after the
        // item's navigation had begun waited for it (a download never finishes one) to its 30 s timeout in CI. The clicks
        // are the element's own click() (Playwright's NoWaitAfter is obsolete).
        var csvItem = page.Locator("[data-export='csv']");
        var downloadWait = page.WaitForDownloadAsync(new() { Timeout = 90_000 });
        for (var attempt = 0; !await csvItem.IsVisibleAsync(); attempt++)
        {
            await ClickWithoutWaitingAsync(page.GetByRole(AriaRole.Button, new() { Name = "导出" }));
            try { await csvItem.WaitForAsync(new() { Timeout = 2_000 }); }
            catch (TimeoutException) when (attempt < 15) { }
        }
        await ClickWithoutWaitingAsync(csvItem);
        for (var click = 1; await Task.WhenAny(downloadWait, Task.Delay(15_000)) != downloadWait && click < 3; click++)
            if (await csvItem.IsVisibleAsync()) await ClickWithoutWaitingAsync(csvItem);
        var download = await downloadWait;
        var path = Path.Combine(fixture.Root, "ranking.csv");
        await download.SaveAsAsync(path);
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("年度,期间,部门编码", lines[0]);   // the page's headers, its light names
        Assert.Equal(total, lines.Length - 1);
        Assert.All(lines.Skip(1), l => Assert.Contains(",红灯,", l));
    }

    [SkippableFact]
    public async Task Upload_of_a_bad_file_shows_its_errors_and_a_good_one_changes_the_counts()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.BaseUrl + "/upload");
        var rowsKpi = page.Locator("[data-kpi='项目-期间记录'] .kpi-value");
        await Assertions.Expect(rowsKpi).ToHaveTextAsync(new Regex(@"^[1-9]"), new() { Timeout = Timeout });
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        var before = await rowsKpi.InnerTextAsync();

        // a monitoring file whose amount is not a number: rejected, nothing loaded
        var fund = Directory.GetFiles(fixture.InboxDir, "*监控资金.csv").First(f => !Path.GetFileName(f).Contains("部门"));
        var lines = File.ReadAllLines(fund);
        var bad = Path.Combine(fixture.Root, "坏文件_监控资金.csv");
        var cells = lines[1].Split(',');
        var numeric = Array.FindIndex(cells, c => Regex.IsMatch(c, @"^\d+(\.\d+)?$") && c.Contains('.'));
        cells[numeric] = "一百万";
        File.WriteAllLines(bad, [lines[0], string.Join(',', cells), .. lines[2..5]], new UTF8Encoding(true));
        await DashboardFixture.UntilFileInputListensAsync(page);
        await page.Locator("#upload-input").SetInputFilesAsync(bad);
        await Assertions.Expect(page.Locator("[data-file-status='Rejected']")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("[data-issues] tr[data-severity='error']").First).ToContainTextAsync("一百万");
        await Assertions.Expect(page.Locator("[data-errors-csv]")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "04-upload-rejected");

        // another year of the demo county: loads, the models rebuild and the counts change
        var nextYear = Path.Combine(fixture.Root, "inbox2025");
        var files = new DemoGenerator(new DemoOptions { Years = 1, LastYear = 2025 }).Generate(nextYear);
        var good = files.Where(f => f.Contains(DemoGenerator.ProjectFileName) || (f.EndsWith("监控资金.csv") && !Path.GetFileName(f).Contains("部门"))).ToArray();
        await page.Locator("#upload-input").SetInputFilesAsync(good);
        await DashboardFixture.UntilVisibleAsync(page, good.Length);   // queued at once, then 已生效 each
        await Assertions.Expect(rowsKpi).Not.ToHaveTextAsync(before, new() { Timeout = Timeout });
        await fixture.ScreenshotAsync(page, "05-upload-loaded");
    }

    [SkippableFact]
    public async Task Every_page_renders_in_chinese_and_is_screenshotted()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var page = await fixture.NewPageAsync();
        foreach (var (path, name, heading) in new[]
                 {
                     ("/trends", "06-trends", "多年度趋势"), ("/cuts", "07-cuts", "削减与收回"), ("/grades", "08-grades", "等级与预算挂钩"),
                 })
        {
            await page.GotoAsync(fixture.BaseUrl + path);
            await Assertions.Expect(page.Locator("h5", new() { HasText = heading })).ToBeVisibleAsync(new() { Timeout = Timeout });
            await fixture.ScreenshotAsync(page, name);
        }
        var png = await page.APIRequest.GetAsync(fixture.BaseUrl + "/chart/trend.png");
        Assert.Equal(200, png.Status);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, (await png.BodyAsync())[..4]);
    }

    /// <summary>
    /// Clicks until the page navigates to <paramref name="urlPart"/>: a click only navigates once the circuit is
    /// interactive and the grid has settled (under load a first click can land on a row being re-rendered).
    /// </summary>
    private static async Task ClickUntilAsync(IPage page, ILocator target, string urlPart)
    {
        for (var attempt = 0; !page.Url.Contains(urlPart); attempt++)
        {
            await target.ClickAsync();
            try { await page.WaitForURLAsync(new Regex(Regex.Escape(urlPart)), new() { Timeout = 2_000 }); }
            catch (TimeoutException) when (attempt < 15) { }
        }
    }

    /// <summary>Clicks as a user's click does (the event bubbles to Blazor's handlers) without waiting for what it starts.</summary>
    private static Task ClickWithoutWaitingAsync(ILocator element) => element.EvaluateAsync("e => e.click()");
}
