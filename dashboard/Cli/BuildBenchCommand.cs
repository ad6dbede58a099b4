using System.CommandLine;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Spectre.Console;

namespace BudgetPerf.Dashboard.Cli;

/// <summary>
/// <c>budgetperf bench build [--db A] [--compare B] [--incremental]</c> (issue 15, 统计信息与计划): a full build
/// (<c>--full-refresh</c>) of the warehouse, each model's time printed side by side for two databases (typically the
/// DuckDB file and a PostgreSQL holding the same demo), so a model that regresses on one engine shows up.
/// </summary>
public static class BuildBenchCommand
{
    public static Command Create()
    {
        var compare = new Option<string?>("--compare") { Description = "同时计时的第二个数据库（DuckDB 文件或 PostgreSQL 连接串）" };
        var command = new Command("build", "全量构建中每个模型的用时（可两个引擎并排：--db 与 --compare）") { compare };
        command.SetAction((parse, ct) => BudgetPerfCli.Guard(async () =>
        {
            var engines = new List<WarehouseEngine> { CliOptions.Engine(parse) };
            if (parse.GetValue(compare) is { Length: > 0 } second)
            {
                engines.Add(EngineFactory.Create(second));
                CliOptions.Announce(engines[1], "--compare");
            }
            var runs = new List<BuildResult>();
            var walls = new List<double>();
            foreach (var engine in engines)
            {
                AnsiConsole.MarkupLineInterpolated($"全量构建 {engine.Describe()} …");
                var clock = System.Diagnostics.Stopwatch.StartNew();
                runs.Add(await new ModelRunner(engine).BuildAsync(new BuildOptions
                {
                    FullRefresh = true,
                    ArtifactsDir = Path.Combine(Path.GetTempPath(), "budgetperf-bench-build"),
                }, ct));
                walls.Add(clock.Elapsed.TotalSeconds);
            }
            Print(engines, runs, walls);
            return runs.All(r => r.Success) ? 0 : 1;
        }));
        return command;
    }

    private static void Print(List<WarehouseEngine> engines, List<BuildResult> runs, List<double> walls)
    {
        var table = new Table().AddColumn("模型");
        foreach (var engine in engines) table.AddColumn($"{engine.Name} 秒", c => c.RightAligned());
        table.AddColumn("行数", c => c.RightAligned());
        var names = runs[0].Nodes.Where(n => n.NodeType != "test").Select(n => n.Node).ToList();
        foreach (var name in names)
        {
            var cells = new List<string> { name };
            foreach (var run in runs)
                cells.Add(run.Nodes.FirstOrDefault(n => n.Node == name) is { } r ? $"{r.Seconds:0.00}{(r.Failed ? " ✗" : "")}" : "—");
            cells.Add(runs[0].Nodes.First(n => n.Node == name).Rows is { } rows ? $"{rows:N0}" : "");
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        var totals = new List<string> { "合计（模型与种子）" };
        totals.AddRange(runs.Select(r => $"{r.Nodes.Where(n => n.NodeType != "test").Sum(n => n.Seconds):0.00}"));
        totals.Add("");
        table.AddRow(totals.ToArray());
        var tests = new List<string> { "数据测试" };
        tests.AddRange(runs.Select(r => $"{r.Nodes.Where(n => n.NodeType == "test").Sum(n => n.Seconds):0.00}"));
        tests.Add("");
        table.AddRow(tests.ToArray());
        AnsiConsole.Write(table);
        for (var i = 0; i < runs.Count; i++)
            Console.WriteLine($"full build {engines[i].Name} ({engines[i].Describe()}): " +
                              $"{walls[i]:0.0} s wall, models and seeds {runs[i].Nodes.Where(n => n.NodeType != "test").Sum(n => n.Seconds):0.0} s (target <= {(engines[i].Name == "duckdb" ? 20 : 90)} s)");
    }
}
