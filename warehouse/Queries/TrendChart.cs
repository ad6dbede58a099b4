namespace BudgetPerf.Warehouse.Queries;

/// <summary>One row of 趋势's chart: a group's figure at one year and period, and the group's place on the chart.</summary>
public sealed class TrendChartRow
{
    public int FiscalYear { get; set; }
    public string Period { get; set; } = "";

    /// <summary>dim_period.sort_order of the period (the labels' order: 1-3月 before 1-12月).</summary>
    public int? ChartPeriodOrder { get; set; }
    public string? GroupCode { get; set; }
    public string? GroupName { get; set; }
    public decimal? ExecutionRate { get; set; }
    public decimal? MeanShortfall { get; set; }

    /// <summary>The group's place (1 = the largest budget summed over every row in scope; ties by group code).</summary>
    public long ChartRank { get; set; }
}

/// <summary>
/// 趋势's line chart and its PNG (<c>/chart/trends.png</c>) draw this one series (<see cref="TrendQueries.ChartAsync"/>):
/// by 指标类别 every category's 平均差距, else the 执行率 of the <see cref="TrendQueries.ChartGroups"/> groups with the
/// largest budget (chosen in the query); labels in (year, dim_period order).
/// </summary>
public sealed record TrendChart(bool ByCategory, IReadOnlyList<TrendChartRow> Rows)
{
    public string Title => ByCategory ? "指标平均差距趋势（按指标类别）" : $"执行率趋势（预算规模前 {TrendQueries.ChartGroups}）";

    /// <summary>"2025 1-6月", … in year and period order.</summary>
    public IReadOnlyList<string> Labels { get; } = Rows
        .OrderBy(r => r.FiscalYear).ThenBy(r => r.ChartPeriodOrder ?? int.MaxValue).ThenBy(r => r.Period, StringComparer.Ordinal)
        .Select(Label).Distinct().ToList();

    private static string Label(TrendChartRow r) => $"{r.FiscalYear} {r.Period}";

    /// <summary>Per group in <see cref="TrendChartRow.ChartRank"/> order, its values (× 100, a percentage) at each label; null where it has none.</summary>
    public IReadOnlyList<(string Name, double?[] Percent)> Series() =>
        Rows.GroupBy(r => r.ChartRank).OrderBy(g => g.Key)
            .Select(g => (g.Select(r => r.GroupName ?? r.GroupCode).FirstOrDefault(n => n is not null) ?? "",
                Labels.Select(l => g.FirstOrDefault(r => Label(r) == l) is { } r
                    ? (ByCategory ? r.MeanShortfall : r.ExecutionRate) is { } v ? (double?)(double)(v * 100) : null
                    : null).ToArray()))
            .ToList();
}
