using BudgetPerf.Dashboard.Caching;
using BudgetPerf.Dashboard.Security;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;
using Microsoft.AspNetCore.Http;

namespace BudgetPerf.Dashboard.Charts;

/// <summary><c>/chart/{name}.png?…</c>: the downloadable image of each page's chart, from the same queries.</summary>
public static class ChartEndpoints
{
    /// <summary>One typed handler per chart under <c>/chart</c>; a chart with nothing to draw (or a missing year) is 404.</summary>
    public static RouteGroupBuilder MapChartEndpoints(this WebApplication app)
    {
        var charts = app.MapGroup("/chart");
        charts.MapGet("/trend.png", (HttpContext http, OverviewQueries queries) =>
            Png(http, "trend", c => TrendAsync(queries, http.User.ScopeOf(), c)));
        charts.MapGet("/project.png", (HttpContext http, ProjectDrillQueries queries, string? code) =>
            Png(http, "project", c => ProjectAsync(queries, http.User.ScopeOf(), code ?? "", c)));
        charts.MapGet("/trends.png", (HttpContext http, TrendQueries queries, string? by, string? dept, string? region) =>
            Png(http, "trends", c => TrendsAsync(queries, http.User.ScopeOf(), by ?? "", dept ?? "", region ?? "", c)));
        charts.MapGet("/heatmap.png", (HttpContext http, OverviewQueries queries, int? year, string? period) =>
            year is { } y ? Png(http, "heatmap", c => HeatmapAsync(queries, http.User.ScopeOf(), y, period ?? "", c), y) : NotFound());
        charts.MapGet("/whatif.png", (HttpContext http, BudgetPerf.Warehouse.Scenarios.WhatIfQueries queries, int? year, long? side) =>
            year is { } y && (http.User.Has(Role.Leader) || http.User.Has(Role.Finance))
                ? Png(http, "whatif", c => WhatIfAsync(queries, http.User.ScopeOf(), y, side ?? 0, c), y)
                : NotFound());
        charts.MapGet("/grades.png", (HttpContext http, OverviewQueries queries, int? year, int? xyear, string? period, string? region,
            string? dept, string? light, string? grade) =>
            year is { } y
                ? Png(http, "grades", c => GradesAsync(queries, http.User.ScopeOf().Within(region), y,
                    CrossFilter.FromQuery(dept, light, grade) with { Year = xyear, Period = period }, c), Math.Max(y, xyear ?? y))
                : NotFound());
        return charts;
    }

    /// <summary>
    /// The chart drawn, or from the result cache (issue 15: the PNG of the same request, caller's scope and warehouse
    /// version); a chart with nothing to draw is 404. <paramref name="upToYear"/>: the last 年度 the chart reads (the
    /// heatmap its year; 等级分布 its year or its cross-filter's, and the year before; 预算安排模拟 its year and the year
    /// before), null for the charts over every year (趋势, a project's history).
    /// </summary>
    private static async Task<IResult> Png(HttpContext http, string name, Func<CancellationToken, Task<byte[]?>> draw, int? upToYear = null)
    {
        var found = await ReadCacheKeys.GetOrAddAsync(http, http.User.ScopeOf(), (_, c) => draw(c), png => png?.Length ?? 0,
            http.RequestAborted, upToYear);
        return found.Value is { } png
            ? Readers.ReaderTurn.Of(http).Sending(Results.File(png, "image/png", $"{name}.png"))
            : Results.NotFound();
    }

    private static Task<IResult> NotFound() => Task.FromResult(Results.NotFound());

    private static double? Pct(decimal? v) => v is { } d ? (double)(d * 100) : null;

    private static async Task<byte[]?> TrendAsync(OverviewQueries queries, DataScope scope, CancellationToken ct)
    {
        var points = await queries.TrendAsync(scope, ct);
        if (points.Count == 0) return null;
        return ChartImages.Lines("预算执行趋势（执行率与序时进度）", points.Select(p => p.Label).ToList(),
            [("执行率", points.Select(p => Pct(p.ExecutionRate)).ToArray()), ("序时进度", points.Select(p => Pct(p.ScheduleRate)).ToArray())]);
    }

    private static async Task<byte[]?> ProjectAsync(ProjectDrillQueries queries, DataScope scope, string code, CancellationToken ct)
    {
        var rows = await queries.DeviationAsync(scope, code, ct);
        if (rows.Count == 0) return null;
        var labels = rows.Select(r => $"{r.FiscalYear} {r.Period}").ToList();
        return ChartImages.Bars($"{rows[0].ProjectName}：执行率与序时进度", labels,
            [("执行率%", rows.Select(r => Pct(r.ExecutionRate) ?? 0).ToArray()), ("序时进度%", rows.Select(r => Pct(r.ScheduleRate) ?? 0).ToArray())], "%");
    }

    /// <summary>The same series as 趋势's chart (<see cref="TrendQueries.ChartAsync"/>); without <c>by</c>, by 部门.</summary>
    private static async Task<byte[]?> TrendsAsync(TrendQueries queries, DataScope scope, string by, string dept, string region,
        CancellationToken ct)
    {
        by = by is "fund" or "category" or "region" ? by : "dept";
        var chart = await queries.ChartAsync(scope.Within(region), by, dept.Length > 0 ? dept : null, region.Length > 0 ? region : null, ct);
        if (chart.Rows.Count == 0) return null;
        return ChartImages.Lines(chart.Title, chart.Labels.ToList(), chart.Series().ToList());
    }

    private static async Task<byte[]?> HeatmapAsync(OverviewQueries queries, DataScope scope, int year, string period, CancellationToken ct)
    {
        var cells = await queries.HeatmapAsync(scope, year, period, ct);
        if (cells.Count == 0) return null;
        var rows = cells.Select(c => c.DepartmentName ?? c.DepartmentCode).Distinct().ToList();
        var columns = cells.Select(c => c.IndicatorCategory).Distinct().ToList();
        var values = new double[rows.Count, columns.Count];
        for (var r = 0; r < rows.Count; r++) for (var c = 0; c < columns.Count; c++) values[r, c] = double.NaN;
        foreach (var cell in cells)
            if (cell.MeanShortfall is { } m)
                values[rows.IndexOf(cell.DepartmentName ?? cell.DepartmentCode), columns.IndexOf(cell.IndicatorCategory)] = (double)m;
        return ChartImages.Heatmap($"{year} 年 {period} 偏差热力图（部门 × 指标类别）", rows, columns, values);
    }

    /// <summary>
    /// The same series as 总览's chart (<see cref="OverviewQueries.GradeChartAsync(DataScope, CrossFilter, int, CancellationToken)"/>):
    /// the grade year for <paramref name="year"/>, the region and the page's cross-filter (<c>dept</c>, <c>light</c> of
    /// <c>xyear</c> and <c>period</c>, <c>grade</c>) as the page's link passes them.
    /// </summary>
    private static async Task<byte[]?> GradesAsync(OverviewQueries queries, DataScope scope, int year, CrossFilter cross, CancellationToken ct)
    {
        var gradeYear = await queries.GradeYearAsync(year, ct);
        if (await queries.GradeChartAsync(scope, cross with { GradeYear = gradeYear }, gradeYear, ct) is not { } chart) return null;
        return ChartImages.Bars($"{chart.Year} 年 部门等级分布", chart.Departments.ToList(), chart.Series().ToList(), "项目数");
    }

    /// <summary>预算安排模拟's waterfall of one side (0 = the policy in force, else a scenario id).</summary>
    private static async Task<byte[]?> WhatIfAsync(BudgetPerf.Warehouse.Scenarios.WhatIfQueries queries, DataScope scope, int year, long side,
        CancellationToken ct)
    {
        var lines = (await queries.CompareAsync(scope, year, side, 0, ct)).Where(l => l.Side == side).ToList();
        var total = lines.FirstOrDefault(l => l.IsScopeTotal == 1 && l.IsRuleTotal == 1);
        if (total is null) return null;
        string[] rules = ["优先保障", "从紧安排", "削减/取消", "整改未到位", "收回", "暂停拨款"];
        var steps = rules.Select(r => lines.FirstOrDefault(l => l.IsScopeTotal == 1 && l.IsRuleTotal == 0 && l.Flag == r))
            .OfType<BudgetPerf.Warehouse.Scenarios.WhatIfLine>().Select(l => (l.Flag!, (double)(l.Change ?? 0))).ToList();
        var name = lines.FirstOrDefault()?.SideName ?? "";
        return WaterfallImage.Render($"{year + 1} 年建议安排：{name}（万元）", (double)(total.Budget ?? 0), steps, (double)(total.Allocation ?? 0));
    }
}
