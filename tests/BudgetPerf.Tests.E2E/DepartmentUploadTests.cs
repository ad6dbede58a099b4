using System.Text;
using Microsoft.Playwright;

namespace BudgetPerf.Tests.E2E;

/// <summary>A 部门 user uploading another department's project on the 数据上报 page is refused by row, nothing loads.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DepartmentUploadTests(DashboardFixture fixture)
{
    [SkippableFact]
    public async Task A_department_users_upload_naming_another_departments_project_is_rejected_naming_the_row()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var page = await fixture.NewPageAsync(DashboardFixture.DepartmentUser);
        await page.GotoAsync(fixture.BaseUrl + "/upload");
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await Assertions.Expect(page.Locator("#upload-input")).ToBeVisibleAsync(new() { Timeout = 20_000 });

        var file = Path.Combine(fixture.Root, "他部门_监控指标.csv");
        File.WriteAllText(file, "年度,期间,项目编码,一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位,期间指标值,期间执行情况,完成目标可能性\n" +
            $"2026,1-6月,{fixture.OtherDepartmentProject},产出指标,数量指标,培训人次,≥,100,人次,50,60,确定能\n", new UTF8Encoding(true));
        await DashboardFixture.UntilFileInputListensAsync(page);
        await page.Locator("#upload-input").SetInputFilesAsync(file);

        await Assertions.Expect(page.Locator("[data-file-status='Rejected']")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        var error = page.Locator("[data-issues] tr[data-severity='error']").First;
        await Assertions.Expect(error).ToContainTextAsync(fixture.OtherDepartmentProject);
        await Assertions.Expect(error).ToContainTextAsync($"不在您的上报范围（{fixture.Department}）内");
        await fixture.ScreenshotAsync(page, "12-upload-other-department");
    }
}
