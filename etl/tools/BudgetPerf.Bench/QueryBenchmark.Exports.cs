using BudgetPerf.Dashboard.Export;
using BudgetPerf.Warehouse.Queries;

namespace BudgetPerf.Warehouse.Bench;

/// <summary>
/// The grid exports (<c>/export/…</c>) as their endpoint runs them: the whole filtered query streamed through a reader into
/// a CSV file (<see cref="GridExport"/>), timed from opening the reader to the last row written. <c>bench submissions</c>'
/// readers fetch two of them (偏差排名 of a whole year, 趋势 by 资金性质); they are printed apart from the page queries.
/// </summary>
public sealed partial class QueryBenchmark
{
    /// <summary>The page of an export case.</summary>
    public const string ExportPrefix = "导出";

    private IReadOnlyList<(string Page, string Query, Func<CancellationToken, Task<int>> Run)> ExportCases(int year, string period,
        int gradeYear, int cutYear, string? province)
    {
        var rankingYear = new DeviationFilter { Scope = Scope, Year = year };
        return
        [
            ($"{ExportPrefix}·偏差排名", "/export/ranking?year (a whole year, as bench submissions)", c => CsvAsync(_ranking, _ranking.WholeAsync(rankingYear, ct: c), c)),
            ($"{ExportPrefix}·偏差排名", "/export/ranking?year&period", c => CsvAsync(_ranking, _ranking.WholeAsync(rankingYear with { Period = period }, ct: c), c)),
            ($"{ExportPrefix}·趋势", "/export/trends?by=fund (as bench submissions)", c => CsvAsync(_trends, Task.FromResult(_trends.Whole(Scope, "fund", null)), c)),
            ($"{ExportPrefix}·趋势", "/export/trends?by=dept", c => CsvAsync(_trends, Task.FromResult(_trends.Whole(Scope, "dept", null)), c)),
            ($"{ExportPrefix}·趋势", "/export/trends?by=category", c => CsvAsync(_trends, Task.FromResult(_trends.Whole(Scope, "category", null)), c)),
            ($"{ExportPrefix}·趋势", "/export/trends?by=region (市 of a 省)", c => CsvAsync(_trends, Task.FromResult(_trends.Whole(Scope.Within(province), "region", null, province)), c)),
            ($"{ExportPrefix}·削减与收回", "/export/cuts?year", c => CsvAsync(_cuts, Task.FromResult(_cuts.Whole(Scope, cutYear)), c)),
            ($"{ExportPrefix}·等级", "/export/grades?year", c => CsvAsync(_grades, Task.FromResult(_grades.Whole(Scope, gradeYear)), c)),
            ($"{ExportPrefix}·等级", "/export/allocation?year", c => CsvAsync(_grades, Task.FromResult(_grades.WholeAllocation(Scope, gradeYear)), c)),
            ($"{ExportPrefix}·数据上报", "/export/batches", c => CsvAsync(_ranking, Task.FromResult(_uploads.Whole(Scope, "bench")), c)),
        ];
    }

    /// <summary>The export's rows written as CSV to a temporary file (deleted after), as <c>GridDownload</c> does; the row count.</summary>
    private static async Task<int> CsvAsync(MartQueries reader, Task<GridQuery> query, CancellationToken ct)
    {
        var opened = await reader.OpenReaderAsync(await query, ct);
        if (opened is not { } o) return 0;
        var path = Path.Combine(Path.GetTempPath(), $"budgetperf-bench-{Guid.NewGuid():N}.csv");
        try
        {
            await using (o.Connection)
            await using (o.Reader)
                return (int)await GridExport.WriteAsync(o.Reader, "csv", path, ct: ct);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
