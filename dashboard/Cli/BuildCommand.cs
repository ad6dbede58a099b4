using System.CommandLine;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Spectre.Console;

namespace BudgetPerf.Dashboard.Cli;

/// <summary><c>budgetperf build [--select ...] [--full-refresh]</c>: models + data tests.</summary>
public static class BuildCommand
{
    public static Command Create()
    {
        var select = new Option<string?>("--select", "-s") { Description = "选择模型：name、+name（含上游）、name+（含下游）" };
        var fullRefresh = new Option<bool>("--full-refresh") { Description = "先删除全部模型再重建（不加时：增量模型只重算新批次涉及的 年度/期间/部门）" };
        var command = new Command("build", "构建模型（staging → core → marts）并执行数据测试") { select, fullRefresh };
        command.SetAction((parse, ct) => BudgetPerfCli.Guard(async () =>
        {
            var engine = CliOptions.Engine(parse);
            var result = await RunAsync(engine, parse.GetValue(select), parse.GetValue(fullRefresh), ct);
            return result.Success ? 0 : 1;
        }));
        return command;
    }

    public static async Task<BuildResult> RunAsync(WarehouseEngine engine, string? select, bool fullRefresh, CancellationToken ct)
    {
        // a warehouse made by an earlier version: its pending migrations first (journaled: none to run is one read), as serve and load do
        foreach (var script in BudgetPerf.Warehouse.Migrations.WarehouseMigrator.Migrate(engine)) Console.WriteLine($"迁移：{script}");
        var options = new BuildOptions { Select = select, FullRefresh = fullRefresh, OnNode = PrintNode };
        var result = await new ModelRunner(engine).BuildAsync(options, ct);
        PrintSummary(result);
        return result;
    }

    /// <summary>One line per seed and model; tests only when they do not pass (the summary counts the rest).</summary>
    private static void PrintNode(NodeResult r)
    {
        if (r.NodeType == "test" && r.Status == "pass") return;
        var rows = r.Rows is { } n ? $"{n:N0} 行" : "";
        Console.WriteLine($"  {r.Status,-7} {r.NodeType,-5} {r.Node,-40} {rows,14} {r.Seconds,8:0.00}s" +
                          (r is { Status: "success", Message: { } mode } ? $"  {mode}" : ""));
        if (r.Message is { } message && r.Failed)
            Console.WriteLine($"          {message}");
    }

    public static void PrintSummary(BuildResult result)
    {
        foreach (var failure in result.Failures)
        {
            Console.WriteLine($"数据测试失败 {failure.TestName}: {failure.FailureCount} 行不符合，前几行：");
            foreach (var row in failure.Rows.Take(10))
                Console.WriteLine($"    {row}");
        }
        if (result.FullRefreshReason is { } why) Console.WriteLine(why);
        var byStatus = result.Nodes.GroupBy(n => n.Status).Select(g => $"{g.Key} {g.Count()}");
        Console.WriteLine(
            $"构建 {result.RunId}: {string.Join(", ", byStatus)}; 用时 {result.Nodes.Sum(n => n.Seconds):0.00}s; 结果 {result.ResultsFile}");
    }
}
