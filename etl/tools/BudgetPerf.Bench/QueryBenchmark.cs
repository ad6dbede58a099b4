using System.Diagnostics;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Warehouse.Bench;

/// <summary>Warm latency of one page query over <see cref="QueryBenchmark.Repeat"/> runs (milliseconds).</summary>
public sealed record QueryTiming(string Page, string Query, int Rows, double P50, double P95, double Max)
{
    public bool Passes(double targetMs) => P95 <= (Page.StartsWith(QueryBenchmark.ExportPrefix, StringComparison.Ordinal)
        ? Math.Max(targetMs, QueryBenchmark.ExportTargetMs) : targetMs);
}

public sealed record QueryBenchResult(string Engine, string Context, int Repeat, double TargetMs, IReadOnlyList<QueryTiming> Timings)
{
    public bool AllPass => Timings.All(t => t.Passes(TargetMs));
}

/// <summary>
/// <c>budgetperf bench queries</c>: every page query of the query layer, as the pages call it (one connection per
/// query, the relation check included), run once to warm up and then <c>repeat</c> times, then the grid exports
/// (<see cref="ExportCases"/>). Targets: p95 ≤ 100 ms on DuckDB, ≤ 1 s on PostgreSQL; the exports are held to 1 s on both
/// (issue 15: reader p95 ≤ 1 s at province scale).
/// </summary>
public sealed partial class QueryBenchmark(WarehouseEngine engine)
{
    public const double DuckDbTargetMs = 100, PostgresTargetMs = 1000, ExportTargetMs = 1000;

    private readonly OverviewQueries _overview = new(engine);
    private readonly RankingQueries _ranking = new(engine);
    private readonly ProjectDrillQueries _drill = new(engine);
    private readonly TrendQueries _trends = new(engine);
    private readonly CutQueries _cuts = new(engine);
    private readonly GradeQueries _grades = new(engine);
    private readonly UploadQueries _uploads = new(engine);
    private readonly RegionQueries _regions = new(engine);
    private readonly OverlapQueries _overlaps = new(engine);

    public int Repeat { get; init; } = 20;

    /// <summary>Whose view is timed: everything (leadership) unless a department user's scope is given.</summary>
    public DataScope Scope { get; init; } = DataScope.All;

    public double TargetMs => engine.Name == "postgres" ? PostgresTargetMs : DuckDbTargetMs;

    public async Task<QueryBenchResult> RunAsync(IProgress<string>? progress = null, CancellationToken ct = default)
    {
        // as `serve` does: one connection held for the process's life keeps the DuckDB database open between queries
        await using var owner = await engine.OpenAsync(ct);
        // the view a user lands on: the latest year and its first period, the worst department × category cell, the worst project
        var choices = await _ranking.YearPeriodsAsync(ct);
        var (year, period) = (choices.FirstOrDefault()?.FiscalYear ?? DateTime.Today.Year, choices.FirstOrDefault()?.Period ?? "1-6月");
        var cell = (await _overview.HeatmapAsync(Scope, year, period, ct)).OrderByDescending(c => c.MeanShortfall ?? 0).FirstOrDefault();
        var (worst, _) = await _ranking.PageAsync(new DeviationFilter { Scope = Scope, Year = year, Period = period }, null, true, 0, 1, ct);
        var project = worst.FirstOrDefault()?.ProjectCode ?? "";
        var gradeYear = (await _grades.YearsAsync(ct)).Cast<int?>().FirstOrDefault() ?? year - 1;
        var cutYear = (await _cuts.YearsAsync(ct)).Cast<int?>().FirstOrDefault() ?? year;
        var cutFlags = (await _cuts.TotalsAsync(Scope, cutYear, ct)).Select(t => t.Flag).ToList();
        var fund = (await _ranking.FundNaturesAsync(ct)).FirstOrDefault();
        // the region drill's path: the first 省 with a code, its first 市, that city's first 县 (issue 14)
        var province = (await _regions.ChildrenAsync(Scope, year, period, null, ct)).FirstOrDefault(r => r.Code != "000000")?.Code;
        var city = province is null ? null : (await _regions.ChildrenAsync(Scope, year, period, province, ct)).FirstOrDefault(r => r.Code != province)?.Code;
        var county = city is null ? null : (await _regions.ChildrenAsync(Scope, year, period, city, ct)).FirstOrDefault(r => r.Code != city)?.Code;
        var countyScope = Scope.Within(county ?? "none");
        var context = $"{year} {period}; 范围 {Scope}; 区划 {province ?? "—"} → {city ?? "—"} → {county ?? "—"}; 部门 {cell?.DepartmentCode ?? "—"} × {cell?.IndicatorCategory ?? "—"}; 项目 {project}; 等级年度 {gradeYear}; 削减年度 {cutYear}";

        var yearFilter = new DeviationFilter { Scope = Scope, Year = year, Period = period };
        var crossCases = await CrossFilterCasesAsync(year, period, gradeYear, cutYear, cell?.DepartmentCode, ct);
        context += $"; 交叉筛选 {crossCases.Context}";
        var cases = new (string Page, string Query, Func<CancellationToken, Task<int>> Run)[]
        {
            ("总览", "slicers: years and periods", async c => (await _ranking.YearPeriodsAsync(c)).Count),
            ("总览", "KPI cards", async c => await _overview.KpisAsync(Scope, year, period, c) is null ? 0 : 1),
            ("总览", "execution trend", async c => (await _overview.TrendAsync(Scope, c)).Count),
            ("总览", "deviation heatmap (worst 100 departments)", async c => (await _overview.HeatmapAsync(Scope, year, period, c)).Count),
            ("总览", "grades by department", async c => (await _overview.GradesAsync(Scope, gradeYear, c)).Count),
            ("总览", "uncorrected red/yellow indicators", async c => (int)await _overview.UncorrectedAsync(Scope, year, period, c)),
            ("总览", "cut totals (拟削减/收回 + 调整 count)", async c => (int)(await _overview.CutKpiAsync(Scope, cutYear, c)).Projects),
            ("总览", "region drill: 省 rows", async c => (await _regions.ChildrenAsync(Scope, year, period, null, c)).Count),
            ("总览", "region drill: 市 rows of a 省", async c => (await _regions.ChildrenAsync(Scope, year, period, province, c)).Count),
            ("总览", "region drill: 县 rows of a 市", async c => (await _regions.ChildrenAsync(Scope, year, period, city, c)).Count),
            ("总览", "region drill: 部门 rows of a 县", async c => (await _regions.ChildrenAsync(Scope, year, period, county, c)).Count),
            ("总览", "region heatmap: 省 rows", async c => (await _regions.HeatmapAsync(Scope, year, period, null, c)).Count),
            ("总览", "region heatmap: 县 rows of a 市", async c => (await _regions.HeatmapAsync(Scope, year, period, city, c)).Count),
            ("总览", "breadcrumbs of a 县", async c => await _regions.PathAsync(Scope, county ?? "", c) is null ? 0 : 1),
            ("总览", "KPI cards within a 县", async c => await _overview.KpisAsync(countyScope, year, period, c) is null ? 0 : 1),
            ("总览", "heatmap within a 县 (departments)", async c => (await _overview.HeatmapAsync(countyScope, year, period, c)).Count),
            ("slicer", "search as you type: 1 character", async c => (await _regions.SearchAsync(Scope, "清", 20, c)).Count),
            ("slicer", "search as you type: a name", async c => (await _regions.SearchAsync(Scope, "教育局", 20, c)).Count),
            ("slicer", "search as you type: a code prefix", async c => (await _regions.SearchAsync(Scope, county ?? "66", 20, c)).Count),
            ("偏差排名", "filter choices (fund, category)", async c => (await _ranking.FundNaturesAsync(c)).Count + (await _ranking.CategoriesAsync(c)).Count),
            ("偏差排名", "first page within a 县", async c => (await _ranking.PageAsync(yearFilter with { Scope = countyScope }, null, true, 0, 25, c)).Rows.Count),
            ("偏差排名", "first page, year + period", async c => (await _ranking.PageAsync(yearFilter, null, true, 0, 25, c)).Rows.Count),
            ("偏差排名", "first page, heatmap cell (dept + category)", async c => (await _ranking.PageAsync(
                yearFilter with { Department = cell?.DepartmentCode, Category = cell?.IndicatorCategory }, null, true, 0, 25, c)).Rows.Count),
            ("偏差排名", "first page, red + fund + key", async c => (await _ranking.PageAsync(
                yearFilter with { Light = "red", FundNature = fund, KeyOnly = true }, null, true, 0, 25, c)).Rows.Count),
            ("偏差排名", "first page, search", async c => (await _ranking.PageAsync(yearFilter with { Search = "培训" }, null, true, 0, 25, c)).Rows.Count),
            ("偏差排名", "sorted by 预算数 asc, page 5", async c => (await _ranking.PageAsync(yearFilter, "Budget", false, 100, 25, c)).Rows.Count),
            ("项目详情", "header", async c => await _drill.HeaderAsync(Scope, project, c) is null ? 0 : 1),
            ("项目详情", "execution by period", async c => (await _drill.DeviationAsync(Scope, project, c)).Count),
            ("项目详情", "budget lines", async c => (await _drill.BudgetLinesAsync(Scope, project, year, period, c)).Count),
            ("项目详情", "indicators (derivation)", async c => (await _drill.IndicatorsAsync(Scope, project, year, period, c)).Count),
            ("项目详情", "corrections + adjustments", async c =>
                (await _drill.CorrectionsAsync(Scope, project, c)).Count + (await _drill.AdjustmentsAsync(Scope, project, c)).Count),
            ("项目详情", "self-evaluation", async c => (await _drill.SelfEvaluationAsync(Scope, project, c)).Count),
            ("项目详情", "submission history", async c => (await _drill.SubmissionsAsync(Scope, project, c)).Count),
            ("趋势", "by department", async c => (await _trends.ListAsync(Scope, "dept", null, c)).Count),
            ("趋势", "by fund nature", async c => (await _trends.ListAsync(Scope, "fund", null, c)).Count),
            ("趋势", "by indicator category", async c => (await _trends.ListAsync(Scope, "category", null, c)).Count),
            ("趋势", "by region: 市 of a 省", async c => (await _trends.ListAsync(Scope.Within(province), "region", null, c, province)).Count),
            ("削减与收回", "years + totals by flag", async c => (await _cuts.YearsAsync(c)).Count + (await _cuts.TotalsAsync(Scope, cutYear, c)).Count),
            ("削减与收回", "largest 200 per flag", async c => (await _cuts.TopAsync(Scope, cutYear, cutFlags, 200, c)).Count),
            ("削减与收回", "交叉重复 pairs side by side", async c => (await _overlaps.PairsAsync(Scope, cutYear, 200, c)).Count),
            ("等级与预算挂钩", "years", async c => (await _grades.YearsAsync(c)).Count),
            ("等级与预算挂钩", "grades by department", async c => (await _overview.GradesAsync(Scope, gradeYear, c)).Count),
            ("等级与预算挂钩", "grades by region: 市 of a 省", async c => (await _regions.GradesAsync(Scope, gradeYear, province, c)).Count),
            ("等级与预算挂钩", "transitions", async c => (await _grades.TransitionsAsync(Scope, gradeYear, c)).Count),
            ("等级与预算挂钩", "allocation by department", async c => (await _grades.AllocationAsync(Scope, gradeYear, c)).Count),
            ("数据上报", "batch history + project rows", async c =>
                (await _uploads.RecentAsync(Scope, "bench", 100, c)).Count + (int)Math.Min(int.MaxValue, await _uploads.ProjectRowsAsync(Scope, c))),
        };

        var timings = new List<QueryTiming>();
        var pageCases = await PageCasesAsync(year, period, gradeYear, project, cell?.DepartmentCode, ct);
        var exportCases = ExportCases(year, period, gradeYear, cutYear, province);
        foreach (var (page, query, run) in cases.Concat(pageCases).Concat(crossCases.Cases).Concat(exportCases))
        {
            ct.ThrowIfCancellationRequested();
            var rows = await run(ct); // warm-up
            var samples = new double[Math.Max(1, Repeat)];
            for (var i = 0; i < samples.Length; i++)
            {
                var watch = Stopwatch.StartNew();
                await run(ct);
                samples[i] = watch.Elapsed.TotalMilliseconds;
            }
            Array.Sort(samples);
            var timing = new QueryTiming(page, query, rows, Percentile(samples, 0.50), Percentile(samples, 0.95), samples[^1]);
            progress?.Report($"{page} · {query}: p95 {timing.P95:0.0} ms");
            timings.Add(timing);
        }
        return new QueryBenchResult(engine.Name, context, Math.Max(1, Repeat), TargetMs, timings);
    }

    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
