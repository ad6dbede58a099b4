using BudgetPerf.Dashboard.Security;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;
using Microsoft.AspNetCore.Http;

namespace BudgetPerf.Dashboard.Charts;

/// <summary><c>/chart/{name}.png?…</c>: the downloadable image of each page's chart, from the same queries.</summary>
public static class ChartEndpoints
{
    public static void MapChartEndpoints(this WebApplication app) =>
        app.MapGet("/chart/{name}.png", async (string name, HttpRequest request, IServiceProvider services, CancellationToken ct) =>
        {
            var q = request.Query;
            int? year = int.TryParse(q["year"], out var y) ? y : null;
            var period = q["period"].ToString();
            var scope = request.HttpContext.User.ScopeOf();
            byte[]? png = name switch
            {
                "trend" => await TrendAsync(services.GetRequiredService<OverviewQueries>(), scope, ct),
                "project" => await ProjectAsync(services.GetRequiredService<ProjectDrillQueries>(), scope, q["code"].ToString(), ct),
                "trends" => await TrendsAsync(services.GetRequiredService<TrendQueries>(), scope, q["by"].ToString(), q["dept"].ToString(), ct),
                "heatmap" when year is { } hy => await HeatmapAsync(services.GetRequiredService<OverviewQueries>(), scope, hy, period, ct),
                "whatif" when year is { } wy && (request.HttpContext.User.Has(Role.Leader) || request.HttpContext.User.Has(Role.Finance)) =>
                    await WhatIfAsync(services.GetRequiredService<BudgetPerf.Warehouse.Scenarios.WhatIfQueries>(), scope, wy,
                        long.TryParse(q["side"], out var side) ? side : 0, ct),
                "grades" when year is { } gy => await GradesAsync(services.GetRequiredService<OverviewQueries>(), scope, gy, ct),
                _ => null,
            };
            return png is null ? Results.NotFound() : Results.File(png, "image/png", $"{name}.png");
        });

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

    private static async Task<byte[]?> TrendsAsync(TrendQueries queries, DataScope scope, string by, string dept, CancellationToken ct)
    {
        var rows = await queries.ListAsync(scope, by is "fund" or "category" ? by : "dept", dept.Length > 0 ? dept : null, ct);
        if (rows.Count == 0) return null;
        var labels = rows.Select(r => $"{r.FiscalYear} {r.Period}").Distinct().ToList();
        if (by == "category")
            return ChartImages.Lines("指标平均差距趋势（按指标类别）", labels, rows.GroupBy(r => r.GroupName ?? "")
                .Select(g => (g.Key, labels.Select(l => Pct(g.FirstOrDefault(r => $"{r.FiscalYear} {r.Period}" == l)?.MeanShortfall)).ToArray()))
                .ToList());
        var groups = rows.GroupBy(r => r.GroupName ?? r.GroupCode ?? "").OrderByDescending(g => g.Sum(r => r.Budget ?? 0)).Take(8)
            .Select(g => (g.Key, labels.Select(l => Pct(g.FirstOrDefault(r => $"{r.FiscalYear} {r.Period}" == l)?.ExecutionRate)).ToArray()))
            .ToList();
        return ChartImages.Lines("执行率趋势（预算规模前 8）", labels, groups);
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

    private static async Task<byte[]?> GradesAsync(OverviewQueries queries, DataScope scope, int year, CancellationToken ct)
    {
        var counts = await queries.GradesAsync(scope, year, ct);
        if (counts.Count == 0) return null;
        string[] grades = ["优", "良", "中", "差", "未评"];
        var depts = counts.Select(c => c.DepartmentName ?? c.DepartmentCode ?? "").Distinct().ToList();
        return ChartImages.Bars($"{year} 年 部门等级分布", depts,
            grades.Select(g => (g, depts.Select(d => (double)counts.Where(c => (c.DepartmentName ?? c.DepartmentCode) == d && c.Grade == g).Sum(c => c.Projects)).ToArray())).ToList(),
            "项目数");
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
