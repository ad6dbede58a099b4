using Microsoft.Playwright;

namespace BudgetPerf.Tests.E2E;

/// <summary>A 部门 user signed in through the sign-in page sees its own department's projects and nothing else, on every page.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DepartmentUserTests(DashboardFixture fixture)
{
    private const float Timeout = 20_000;

    [SkippableFact]
    public async Task A_department_user_sees_only_its_department_on_every_page()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var page = await fixture.NewPageAsync(DashboardFixture.DepartmentUser);
        var (code, name) = (fixture.Department, fixture.DepartmentName);
        await Assertions.Expect(page.Locator("#signed-in-user")).ToContainTextAsync("部门", new() { Timeout = Timeout });

        // 总览: the heatmap has the one department's row only
        var cells = page.Locator("[data-heatmap] td[data-dept]");
        await Assertions.Expect(cells.First).ToBeVisibleAsync(new() { Timeout = Timeout });
        Assert.All(await cells.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.dept)"), d => Assert.Equal(code, d));
        await fixture.ScreenshotAsync(page, "09-department-overview");

        // 偏差排名: every row is the department's
        await page.GotoAsync(fixture.BaseUrl + "/ranking");
        var rows = page.Locator("[data-grid='ranking'] tbody tr:has(.light-dot)");
        await Assertions.Expect(rows.First).ToBeVisibleAsync(new() { Timeout = Timeout });
        Assert.All(await rows.AllInnerTextsAsync(), text => Assert.Contains(name, text));

        // 削减与收回, 趋势, 等级: department columns name no one else
        await AssertOnlyAsync(page, "/cuts", "[data-cut-flag] tbody tr td:nth-child(2)", name);
        await AssertOnlyAsync(page, "/trends", "[data-grid='trends'] tbody tr", name, contains: true);
        await AssertOnlyAsync(page, "/grades", "[data-grade-counts] tbody tr td:first-child", name);

        // another department's project: 404 by URL, and the page says not found
        var response = await page.GotoAsync(fixture.BaseUrl + "/project/" + Uri.EscapeDataString(fixture.OtherDepartmentProject));
        Assert.Equal(404, response!.Status);

        // the export holds the department's rows only; the admin page is refused; the upload page is open to it
        var csv = await page.APIRequest.GetAsync(fixture.BaseUrl + "/export/ranking?format=csv");
        Assert.Equal(200, csv.Status);
        var lines = (await csv.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Equal(code, line.Split(',')[2]));
        Assert.Equal(403, (await page.APIRequest.GetAsync(fixture.BaseUrl + "/admin")).Status);
        Assert.Equal(200, (await page.APIRequest.GetAsync(fixture.BaseUrl + "/upload")).Status);

        // 退出 ends the session: back to the sign-in page, and the data are closed again
        await page.GotoAsync(fixture.BaseUrl + "/");
        await page.Locator("#signout").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/login"), new() { Timeout = Timeout });
        Assert.Equal(401, (await page.APIRequest.GetAsync(fixture.BaseUrl + "/export/ranking?format=csv")).Status);
    }

    [SkippableFact]
    public async Task A_wrong_password_stays_on_the_sign_in_page_with_a_message()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var page = await fixture.NewAnonymousPageAsync();
        var response = await page.GotoAsync(fixture.BaseUrl + "/ranking");
        Assert.Contains("/login", page.Url);
        await page.FillAsync("#username", DashboardFixture.DepartmentUser);
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("#signin");
        await Assertions.Expect(page.Locator(".signin-error")).ToHaveTextAsync("用户名或密码错误。", new() { Timeout = Timeout });
        await fixture.ScreenshotAsync(page, "00-sign-in-refused");
        Assert.NotNull(response);
    }

    private async Task AssertOnlyAsync(IPage page, string path, string selector, string name, bool contains = false)
    {
        await page.GotoAsync(fixture.BaseUrl + path);
        await Assertions.Expect(page.Locator("h5").First).ToBeVisibleAsync(new() { Timeout = Timeout });
        // a page whose department has no rows of this kind (no cut flag, say) shows none: give the data a few seconds
        for (var i = 0; i < 25 && await page.Locator(selector).CountAsync() == 0; i++) await Task.Delay(200);
        var texts = await page.Locator(selector).AllInnerTextsAsync();
        Assert.All(texts, t => { if (contains) Assert.Contains(name, t); else Assert.Equal(name, t.Trim()); });
    }
}
