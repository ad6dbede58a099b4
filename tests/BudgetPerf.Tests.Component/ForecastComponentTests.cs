using BudgetPerf.Dashboard.Components.Shared;
using BudgetPerf.Warehouse.Queries;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace BudgetPerf.Tests.Component;

/// <summary>bUnit: 年末执行预测 (issue 17 item 3) as the ranking column and the project page's section.</summary>
public sealed class ForecastComponentTests
{
    private static BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        return ctx;
    }

    /// <summary>The hand-made case of the integration test (ExecutionForecastTests, project A4) as the mart holds it.</summary>
    private static ExecutionForecastRow A4() => new()
    {
        FiscalYear = 2025, Period = "1-6月", ProjectCode = "A4", ProjectName = "甲四", DepartmentCode = "D1", Budget = 100m,
        Executed = 30m, CurrentRate = 0.3m, StatedExecution = 100m, StatedRate = 1m, PromisedRate = 1m,
        ForecastRate = 0.7292m, ForecastLow = 0.6522m, ForecastHigh = 0.8551m, Method = "department", DepartmentPairs = 3,
        AllPairs = 4, FirstHistoryYear = 2024, LastHistoryYear = 2024, DepartmentRatio = 0.5556m, AllRatio = 0.6478m,
        DepartmentWeight = 0.375m, DeliveryRatio = 0.6132m, IntervalSource = "all_departments", CarryoverMin = 0.8m,
        CarryoverRisk = true, ExpectedCarryover = 27.08m,
        Basis = "《杭锦旗预算绩效运行监控管理办法（试行）》第八条（二）", BasisQuote = "…预计结转结余情况",
    };

    [Fact]
    public async Task Ranking_grid_shows_each_rows_forecast_and_flags_carryover_risk()
    {
        await using var ctx = NewContext();
        var rows = new List<DeviationRow>
        {
            new() { FiscalYear = 2025, Period = "1-6月", ProjectCode = "A4", ProjectName = "甲四", Budget = 100, Executed = 30 },
            new() { FiscalYear = 2025, Period = "1-6月", ProjectCode = "A5", ProjectName = "甲五", Budget = 200, Executed = 160 },
            new() { FiscalYear = 2025, Period = "1-6月", ProjectCode = "Z9", ProjectName = "无预测", Budget = 10, Executed = 1 },
        };
        var a5 = A4();
        (a5.ProjectCode, a5.ForecastRate, a5.CarryoverRisk) = ("A5", 0.9226m, false);
        var forecasts = new Dictionary<string, ExecutionForecastRow> { ["A4"] = A4(), ["A5"] = a5 };
        var cut = ctx.Render<RankingGrid>(p => p
            .Add(x => x.Load, (_, _, _, _) => Task.FromResult<(IReadOnlyList<DeviationRow>, long)>((rows, 3)))
            .Add(x => x.ForecastOf, r => forecasts.GetValueOrDefault(r.ProjectCode)));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-forecast]").Count));
        Assert.Contains("预计年末执行率", cut.Markup);
        // 0.7292 → 72.9%, 0.9226 → 92.3%; only A4 (< 80%) carries the 预计结转 chip; Z9 has none and shows —
        Assert.Equal("72.9%", cut.Find("[data-forecast='A4']").TextContent);
        Assert.Equal("92.3%", cut.Find("[data-forecast='A5']").TextContent);
        Assert.Single(cut.FindAll("[data-carryover-risk]"));
        Assert.Contains("预计结转", cut.Find("[data-carryover-risk='A4']").TextContent);
        Assert.Contains("65.2%–85.5%", cut.Find("[data-forecast='A4']").GetAttribute("title"));
    }

    [Fact]
    public async Task Ranking_grid_has_no_forecast_column_when_the_page_gives_none()
    {
        await using var ctx = NewContext();
        var rows = new List<DeviationRow> { new() { FiscalYear = 2025, Period = "1-6月", ProjectCode = "A4" } };
        var cut = ctx.Render<RankingGrid>(p => p
            .Add(x => x.Load, (_, _, _, _) => Task.FromResult<(IReadOnlyList<DeviationRow>, long)>((rows, 1))));
        cut.WaitForAssertion(() => Assert.Contains("A4", cut.Markup));
        Assert.DoesNotContain("预计年末执行率", cut.Markup);
    }

    [Fact]
    public async Task Project_section_shows_forecast_interval_risk_and_how_it_was_computed()
    {
        await using var ctx = NewContext();
        var cut = ctx.Render<ForecastPanel>(p => p.Add(x => x.Forecast, A4()).Add(x => x.Year, 2025).Add(x => x.Period, "1-6月"));

        Assert.Equal("72.9%", cut.Find("[data-forecast-rate]").TextContent);
        Assert.Equal("65.2%–85.5%", cut.Find("[data-forecast-interval]").TextContent);
        Assert.Equal("yes", cut.Find("[data-carryover-risk]").GetAttribute("data-carryover-risk"));
        Assert.Contains("27.08 万元", cut.Markup);
        var method = cut.Find("[data-forecast-method]").TextContent;
        // the computation in words with the mart's own figures: 30.0% + 61.3% × (100.0% − 30.0%) = 72.9%
        Assert.Contains("本部门2024年同期3个项目年末兑现了年中所报剩余执行的55.6%", method);
        Assert.Contains("全部部门4个项目为64.8%", method);
        Assert.Contains("= 当前执行率30.0% + 61.3% ×（100.0% − 30.0%） = 72.9%", method.Replace("预计年末执行率 ", ""));
        Assert.Contains("全部部门往年预测误差的第10至第90百分位", method);
        Assert.Contains("第八条（二）", cut.Find("[data-basis-quote]").TextContent);
    }

    [Fact]
    public async Task Project_section_without_history_says_the_stated_figure_is_used_and_gives_no_interval()
    {
        await using var ctx = NewContext();
        var first = A4();
        (first.Method, first.DeliveryRatio, first.ForecastLow, first.ForecastHigh, first.ForecastRate, first.CarryoverRisk) =
            ("no_history", null, null, null, 1m, false);
        // its year end is known: 70%, so the errors the mart holds are |0.7 − 1| = 0.3 for both
        (first.ActualRate, first.ForecastError, first.StatedError) = (0.7m, 0.3m, 0.3m);
        var cut = ctx.Render<ForecastPanel>(p => p.Add(x => x.Forecast, first).Add(x => x.Year, 2024).Add(x => x.Period, "1-6月"));
        Assert.Equal("—（无往年数据）", cut.Find("[data-forecast-interval]").TextContent);
        Assert.Contains("没有往年年末数据可学", cut.Find("[data-forecast-method]").TextContent);
        Assert.Equal("no", cut.Find("[data-carryover-risk]").GetAttribute("data-carryover-risk"));
        Assert.Equal("70.0%（回测：预测误差 30.0%，照填报误差 30.0%）", cut.Find("[data-actual-rate]").TextContent);
    }
}
