using Microsoft.Playwright;

namespace BudgetPerf.Tests.E2E;

/// <summary>
/// 财政批注 in the browser: a 财政 user annotates a flag on 削减与收回; it is still there after a reload, on the project
/// page beside the flag, and for an analyst, who has no 批注 button.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class FinanceAnnotationTests(DashboardFixture fixture)
{
    private const float Timeout = 20_000;

    [SkippableFact]
    public async Task A_finance_user_annotates_a_flag_and_it_persists_after_reload_for_everyone_to_read()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var page = await fixture.NewPageAsync(DashboardFixture.FinanceUser);
        await page.GotoAsync(fixture.BaseUrl + "/cuts");
        var row = page.Locator("[data-cut-flag] tbody tr").First;
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = Timeout });
        var project = await row.Locator("[data-annotation]").GetAttributeAsync("data-annotation");
        var flag = await page.Locator("[data-cut-flag]").First.GetAttributeAsync("data-cut-flag");
        var year = (await row.Locator("td").First.InnerTextAsync()).Trim();
        var note = $"请核实执行进度 {Guid.NewGuid():N}"[..16];

        // 批注 → 结论 不采纳, a note, 保存
        await row.Locator("[data-annotation-edit]").ClickAsync();
        var editor = row.Locator("[data-annotation-editor]");
        await editor.Locator(".mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").GetByText("不采纳", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0, new() { Timeout = Timeout });
        await Assertions.Expect(editor.Locator("input").First).ToHaveValueAsync("不采纳", new() { Timeout = Timeout });
        await editor.Locator("textarea").FillAsync(note);
        await editor.Locator("textarea").PressAsync("Tab");
        // the counter is computed on the server: once it counts the note, the circuit holds it
        await Assertions.Expect(editor).ToContainTextAsync($"{note.Length} / 500", new() { Timeout = Timeout });
        await row.ScreenshotAsync(new() { Path = Path.Combine(fixture.ScreenshotDir, "10-finance-annotation-edit.png") });
        await editor.Locator("[data-annotation-save]").ClickAsync();
        await Assertions.Expect(row.Locator("[data-annotation-current='不采纳']")).ToContainTextAsync(note, new() { Timeout = Timeout });
        await Assertions.Expect(editor).ToHaveCountAsync(0);
        await row.ScreenshotAsync(new() { Path = Path.Combine(fixture.ScreenshotDir, "10-finance-annotation-saved.png") });

        // after a reload the same flag of the same project shows it, with who annotated it
        await page.ReloadAsync();
        var again = page.Locator($"[data-cut-flag='{flag}'] td[data-annotation='{project}']").First;
        await Assertions.Expect(again.Locator("[data-annotation-current='不采纳']")).ToContainTextAsync(note, new() { Timeout = Timeout });
        await Assertions.Expect(again.Locator("[data-annotation-by]")).ToHaveAttributeAsync("data-annotation-by", DashboardFixture.FinanceUser);

        // the project page shows it beside the same consequence flag
        await page.GotoAsync($"{fixture.BaseUrl}/project/{Uri.EscapeDataString(project!)}?year={year}");
        var consequence = page.Locator($"[data-consequences] td[data-annotation='{flag}']");
        await Assertions.Expect(consequence.Locator("[data-annotation-current='不采纳']")).ToContainTextAsync(note, new() { Timeout = Timeout });

        // another role reads the annotation but has no 批注 button
        var analyst = await fixture.NewPageAsync();
        await analyst.GotoAsync(fixture.BaseUrl + "/cuts");
        var seen = analyst.Locator($"[data-cut-flag='{flag}'] td[data-annotation='{project}']").First;
        await Assertions.Expect(seen.Locator("[data-annotation-current='不采纳']")).ToContainTextAsync(note, new() { Timeout = Timeout });
        Assert.Equal(0, await analyst.Locator("[data-annotation-edit]").CountAsync());
    }
}
