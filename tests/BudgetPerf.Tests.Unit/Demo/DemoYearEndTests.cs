using System.Globalization;

namespace BudgetPerf.Tests.Unit.Demo;

/// <summary>
/// The demo's year end against its mid-year (issue 17 item 3): departments differ in how much they spend after 1-6月
/// and in how optimistically they fill 全年预计执行数, so the year-end rate is neither the mid-year rate nor the stated
/// forecast, and a forecast has something to learn from a department's history.
/// </summary>
public sealed class DemoYearEndTests(DemoFiles demo) : IClassFixture<DemoFiles>
{
    private sealed record ProjectYear(string Department, decimal Mid, decimal? Stated, decimal Actual);

    private List<ProjectYear> Rows2025()
    {
        var yearEnd = DemoFiles.Rows(demo.File("2025_自评资金.csv"))
            .Where(r => r["资金类别"] == "年度资金总额" && Amount(r["全年预算数"]) > 0)
            .ToDictionary(r => r["项目编码"], r => Amount(r["全年执行数"]) / Amount(r["全年预算数"]));
        return DemoFiles.Rows(demo.File("2025_1-6月_监控资金.csv"))
            .Where(r => r["资金类别"] == "年度资金总额" && yearEnd.ContainsKey(r["项目编码"]))
            .Select(r =>
            {
                var budget = Amount(r["调整后预算数"].Length > 0 ? r["调整后预算数"] : r["年初预算数"]);
                decimal? stated = r["全年预计执行数"].Length > 0 ? Amount(r["全年预计执行数"]) / budget : null;
                return new ProjectYear(r["主管部门编码"], Amount(r["期间执行数"]) / budget, stated, yearEnd[r["项目编码"]]);
            })
            .Where(p => p.Mid < 1)
            .ToList();
    }

    [Fact]
    public void Departments_deliver_different_shares_of_what_they_had_left_at_mid_year()
    {
        // share delivered = Σ(year end − mid) ÷ Σ(1 − mid) per department with at least 10 projects
        var shares = Rows2025().GroupBy(p => p.Department).Where(g => g.Count() >= 10)
            .Select(g => g.Sum(p => p.Actual - p.Mid) / g.Sum(p => 1 - p.Mid))
            .ToList();

        Assert.True(shares.Count >= 20, $"{shares.Count} departments with 10+ projects");
        // back-loaders (年底突击) spend nearly all that is left; stalling departments well under two thirds
        Assert.True(shares.Max() > 0.85m, $"highest share {shares.Max():F3}");
        Assert.True(shares.Min() < 0.65m, $"lowest share {shares.Min():F3}");
    }

    [Fact]
    public void The_stated_full_year_forecast_is_optimistic_and_more_so_in_some_departments()
    {
        var rows = Rows2025().Where(p => p.Stated is not null).ToList();
        var overstatement = rows.Average(p => p.Stated!.Value - p.Actual);
        var byDepartment = rows.GroupBy(p => p.Department).Where(g => g.Count() >= 10)
            .Select(g => g.Average(p => p.Stated!.Value - p.Actual)).ToList();

        // on average the form states more than is spent, by a few points to a little over ten
        Assert.InRange(overstatement, 0.03m, 0.20m);
        // and a department's bias is its own: some state about what they spend, some 20 points or more too much
        Assert.True(byDepartment.Min() < 0.04m, $"least optimistic department {byDepartment.Min():F3}");
        Assert.True(byDepartment.Max() > 0.20m, $"most optimistic department {byDepartment.Max():F3}");
    }

    [Fact]
    public void Year_end_is_between_the_mid_year_rate_and_the_budget_and_not_always_full()
    {
        var rows = Rows2025();
        Assert.All(rows, p => Assert.InRange(p.Actual, p.Mid - 0.0001m, 1.0001m));
        var below80 = rows.Count(p => p.Actual < 0.8m) / (double)rows.Count;
        var full = rows.Count(p => p.Actual >= 0.9999m) / (double)rows.Count;
        Assert.InRange(below80, 0.10, 0.40);
        Assert.InRange(full, 0.05, 0.40);
    }

    private static decimal Amount(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);
}
