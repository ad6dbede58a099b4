using BudgetPerf.Etl.Reading.Forms;
using BudgetPerf.Etl.Templates;
using Microsoft.Playwright;

namespace BudgetPerf.Tests.E2E;

/// <summary>
/// A printed 附件1 (the 办法's layout, not our template) uploaded on 数据上报 is first previewed — form recognised,
/// blocks, captions → fields, rows taken — and loads only on 确认上报; the project is then in the 偏差排名.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class PrintedFormUploadTests(DashboardFixture fixture)
{
    private const int Timeout = 30_000;

    private string PrintedAnnex1()
    {
        var fill = new FormFill { Year = 2025 };
        fill.Head["项目名称"] = "印制表样上报测试项目";
        fill.Head["主管部门"] = "印制表样测试局";
        fill.Funds["年度资金总额："] = new() { ["年初预算数"] = "100", ["期间执行数"] = "30" };
        fill.Indicators.Add(new IndicatorFill("产出指标", "数量指标", "培训人次",
            new() { ["年度指标值"] = "≥1200人次", ["期间执行情况"] = "480人次", ["完成目标可能性"] = "有可能" }));
        var xlsx = new XlsxBuilder();
        PrintedForms.Write(xlsx.Sheet("培训项目"), FormLayouts.Annex1, fill);
        var path = Path.Combine(fixture.Root, "附件1_印制表样.xlsx");
        xlsx.Save(path);
        return path;
    }

    [SkippableFact]
    public async Task A_printed_form_is_previewed_then_confirmed_and_its_project_is_in_the_ranking()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.BaseUrl + "/upload");
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await Assertions.Expect(page.Locator("#upload-input")).ToBeVisibleAsync(new() { Timeout = Timeout });

        await DashboardFixture.UntilFileInputListensAsync(page);
        await page.Locator("#upload-input").SetInputFilesAsync(PrintedAnnex1());

        // the preview: the form, its blocks with each caption's field, the rows taken — and nothing loaded yet
        var preview = page.Locator("[data-preview]");
        await Assertions.Expect(preview).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(preview.Locator("[data-preview-form]")).ToContainTextAsync("附件1 项目支出绩效监控情况表");
        await Assertions.Expect(preview.Locator("[data-preview-taken='监控指标']")).ToHaveTextAsync("1");
        await Assertions.Expect(preview.Locator("[data-preview-taken='监控资金']")).ToHaveTextAsync("1");
        await Assertions.Expect(preview).ToContainTextAsync("偏差原因（勾选“经费保障”）");
        await Assertions.Expect(page.Locator("[data-file-status]")).ToHaveCountAsync(0);
        await fixture.ScreenshotAsync(page, "20-upload-printed-preview");

        await page.Locator("#upload-confirm").ClickAsync();
        await DashboardFixture.UntilVisibleAsync(page);   // queued at once, then 已生效

        await page.GotoAsync(fixture.BaseUrl + "/ranking?year=2025&period=1-6%E6%9C%88&q=%E5%8D%B0%E5%88%B6%E8%A1%A8%E6%A0%B7");
        await Assertions.Expect(page.GetByText("印制表样上报测试项目").First).ToBeVisibleAsync(new() { Timeout = Timeout });
        await fixture.ScreenshotAsync(page, "21-printed-project-in-ranking");
    }
}
