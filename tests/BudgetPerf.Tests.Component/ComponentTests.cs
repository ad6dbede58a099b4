using BudgetPerf.Dashboard.Components.Shared;
using BudgetPerf.Warehouse.Queries;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace BudgetPerf.Tests.Component;

/// <summary>bUnit: the light badge, the heatmap, the derivation table and the ranking grid.</summary>
public sealed class ComponentTests
{
    private static BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        return ctx;
    }

    [Theory]
    [InlineData("red", "light-red", "红灯")]
    [InlineData("yellow", "light-yellow", "黄灯")]
    [InlineData("green", "light-green", "绿灯")]
    [InlineData("blue", "light-blue", "蓝灯")]
    [InlineData(null, "light-none", "未评")]
    public async Task Light_badge_shows_the_colour_and_its_chinese_name(string? light, string css, string text)
    {
        await using var ctx = NewContext();
        var cut = ctx.Render<LightDot>(p => p.Add(x => x.Light, light));
        Assert.Contains(css, cut.Find(".light-dot").ClassName);
        Assert.Contains(text, cut.Markup);
    }

    [Fact]
    public async Task Heatmap_leaves_missing_cells_empty_and_a_click_reports_the_cell()
    {
        // given two departments, one without a 质量 indicator
        await using var ctx = NewContext();
        HeatmapCell? clicked = null;
        IReadOnlyList<HeatmapCell> cells =
        [
            new() { DepartmentCode = "101", DepartmentName = "财政局", IndicatorCategory = "数量", IndicatorCount = 4, MeanShortfall = 0.5m, RedCount = 2 },
            new() { DepartmentCode = "101", DepartmentName = "财政局", IndicatorCategory = "质量", IndicatorCount = 2, MeanShortfall = 0m },
            new() { DepartmentCode = "102", DepartmentName = "教育局", IndicatorCategory = "数量", IndicatorCount = 3, MeanShortfall = 0.1m },
        ];
        var cut = ctx.Render<Heatmap>(p => p.Add(x => x.Cells, cells).Add(x => x.OnCellClick, EventCallback.Factory.Create<HeatmapCell>(this, c => clicked = c)));

        // then 教育局 × 质量 is an empty cell (not 0.00), and 财政局 × 数量 is red-ish
        var empty = cut.Find("td[data-dept='102'][data-cat='质量']");
        Assert.Contains("empty", empty.ClassName);
        Assert.Equal("", empty.TextContent);
        Assert.Equal("0.50", cut.Find("td[data-dept='101'][data-cat='数量']").TextContent);
        // 0.5 is above the 0.2 midpoint: t = (0.5 − 0.2) / (0.6 − 0.2) = 0.75 from white to red (198,40,40):
        // R = 255 − 57 × 0.75 = 212.25 → 212, G = B = 255 − 215 × 0.75 = 93.75 → 94
        Assert.Contains("rgb(212,94,94)", cut.Find("td[data-dept='101'][data-cat='数量']").GetAttribute("style"));

        cut.Find("td[data-dept='101'][data-cat='数量']").Click();
        Assert.Equal(("101", "数量"), (clicked!.DepartmentCode, clicked.IndicatorCategory));
    }

    [Fact]
    public async Task Heatmap_without_data_says_so()
    {
        await using var ctx = NewContext();
        var cut = ctx.Render<Heatmap>(p => p.Add(x => x.Cells, []));
        Assert.Contains("暂无数据", cut.Markup);
        Assert.Empty(cut.FindAll("td"));
    }

    [Fact]
    public async Task Derivation_table_shows_the_target_as_submitted_and_parsed_r_and_scores_and_marks_blank_actuals_unreported()
    {
        await using var ctx = NewContext();
        // 培训人次 ≥500人次 at 1-6月: pro-rated expected 500 × 0.5 = 250; r = 230 / 250 × 100 = 92 → green;
        // year end 30 × 480/500 = 28.8 beside the published 30
        IReadOnlyList<IndicatorDerivationRow> rows =
        [
            new() { Period = "1-6月", Stage = "监控", Level1 = "产出指标", Level2 = "数量指标", Level3 = "培训人次", Category = "数量", Comparator = "≥",
                    AnnualTarget = "500", Unit = "人次", TargetComparator = "≥", TargetValue = 500m, TargetUnit = "人次", IsCumulative = true,
                    PeriodActual = "230", ActualValue = 230m, ExpectedValue = 250m, ProgressR = 92m, Light = "green", Shortfall = 0.08m,
                    ProgressRule = "≥ 目标：r = 实际/期间应完成 ×100", ExpectedRule = "期间应完成 = 年度指标值 × 序时进度（累计类）",
                    Possibility = "有可能", Improvement = "加快组织", Weight = 30m, RecomputedScore = 28.8m, PublishedScore = 30m,
                    ScoreRule = "≥ 目标：B < A，得分 = 分值 × B/A", BatchId = 7, SourceRow = 12 },
            new() { Period = "1-6月", Stage = "监控", Level1 = "效益指标", Level3 = "群众满意度", Category = "满意度", Comparator = "≥", AnnualTarget = "90",
                    Unit = "%", TargetComparator = "≥", TargetValue = 90m, TargetUnit = "%", PeriodActual = " ", Light = "grey", BatchId = 7, SourceRow = 13 },
        ];
        var cut = ctx.Render<IndicatorTable>(p => p.Add(x => x.Rows, rows));
        var trs = cut.FindAll("[data-derivation] tbody tr");
        Assert.Equal(2, trs.Count);
        Assert.Contains("≥500人次", trs[0].TextContent);
        Assert.Equal("→ ≥ 500人次（累计）", trs[0].QuerySelector("[data-parsed-target]")!.TextContent);
        Assert.Equal("92", trs[0].QuerySelector("[data-r]")!.TextContent);
        Assert.Contains("r = 实际/期间应完成 ×100", trs[0].TextContent);
        Assert.Contains("28.8", trs[0].TextContent);
        Assert.Contains("分值 × B/A", trs[0].TextContent);
        Assert.NotNull(trs[0].QuerySelector("[data-light='green']"));
        Assert.Contains("#7:12", trs[0].TextContent);
        Assert.Contains("未填报", trs[1].TextContent);
        Assert.Equal("—", trs[1].QuerySelector("[data-r]")!.TextContent);
        // a target cell that already carries its unit does not get it twice
        Assert.Equal("≥1500卷", IndicatorTable.Target(new() { Comparator = "≥", AnnualTarget = "1500卷", Unit = "卷" }));
    }

    [Fact]
    public async Task Ranking_grid_pages_on_the_server_and_shows_light_and_bar()
    {
        await using var ctx = NewContext();
        var calls = new List<(string? Sort, bool Desc, int Skip, int Take)>();
        var rows = Enumerable.Range(1, 25).Select(i => new DeviationRow
        {
            FiscalYear = 2026, Period = "1-6月", ProjectCode = $"P{i:000}", ProjectName = $"项目{i}", DepartmentName = "财政局",
            Warning = i % 2 == 0 ? "red" : "green", DeviationIndex = 100 - i, DeviationRank = i, Budget = 100, Executed = 10,
        }).ToList();
        var cut = ctx.Render<RankingGrid>(p => p.Add(x => x.Load, (sort, desc, skip, take) =>
        {
            calls.Add((sort, desc, skip, take));
            return Task.FromResult<(IReadOnlyList<DeviationRow>, long)>((rows, 1234));
        }));
        cut.WaitForAssertion(() => Assert.Equal(25, cut.FindAll("tbody tr .light-dot").Count));
        Assert.Equal((0, 25), (calls[0].Skip, calls[0].Take));
        Assert.Equal(12, cut.FindAll("[data-light='red']").Count);
        Assert.Contains("width:99%", cut.Find(".dev-bar").GetAttribute("style"));
        Assert.Matches(@"共 1,?234 行", cut.Markup);
    }
}
