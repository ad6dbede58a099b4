using System.Diagnostics;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Bench.Commands;

/// <summary>
/// <c>bench submissions</c> on a warehouse prepared beforehand (issue 15: a copy of the province demo, passed with
/// <c>--db</c>), so a run does not regenerate and rebuild the province each time.
/// </summary>
internal static class PreparedWarehouse
{
    /// <summary>The latest year in the built marts, or null when the warehouse has none (an empty database or file).</summary>
    public static async Task<int?> LatestYearAsync(WarehouseEngine engine, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        if (await engine.RelationTypeAsync(connection, "mart_project_deviation", ct) is null) return null;
        return await connection.ExecuteScalarAsync<int?>("SELECT MAX(fiscal_year) FROM mart_project_deviation");
    }

    /// <summary>An incremental build of what was loaded before the burst; a line saying how long it took, or null when it failed.</summary>
    public static async Task<string?> BuildAsync(WarehouseEngine engine, string folder, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var result = await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = Path.Combine(folder, "target") }, ct);
        var errors = result.Nodes.Where(n => n.Status == "error").ToList(); // a failing data test is reported, not fatal
        if (errors.Count == 0)
            return $"高峰前构建（各年度项目信息）：{clock.Elapsed.TotalSeconds:F1} 秒，数据测试失败 {result.Nodes.Count(n => n.Status == "fail")} 项" +
                   (result.FullRefreshReason is { } why ? $"（{why}）" : "（增量）");
        foreach (var node in errors) Console.Error.WriteLine($"{node.Node}: {node.Message}");
        return null;
    }
}
