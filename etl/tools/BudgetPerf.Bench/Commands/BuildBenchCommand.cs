using System.CommandLine;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Spectre.Console;

namespace BudgetPerf.Bench.Commands;

/// <summary>
/// <c>budgetperf bench build [--db A] [--compare B]</c> (issue 15, 统计信息与计划 and 增量模型): a full build
/// (<c>--full-refresh</c>) of the warehouse, then one department's upload (<see cref="BenchDepartmentUpload"/>) and the
/// incremental build after it; each model's time printed side by side for two databases (typically the DuckDB file
/// and a PostgreSQL holding the same demo), so a model that regresses on one engine shows up.
/// </summary>
public static class BuildBenchCommand
{
    public static Command Create(BenchHost host)
    {
        var compare = new Option<string?>("--compare") { Description = "同时计时的第二个数据库（DuckDB 文件或 PostgreSQL 连接串）" };
        var incrementalOnly = new Option<bool>("--incremental-only") { Description = "不做全量构建：只上报并做一次增量构建（可重复测量同一库）" };
        var departments = new Option<int>("--departments") { Description = "重新上报的部门数（默认 1；约 10 即截止周一轮上报）", DefaultValueFactory = _ => 1 };
        var command = new Command("build", "全量构建与一个部门上报后的增量构建中每个模型的用时（可两个引擎并排：--db 与 --compare）")
            { compare, incrementalOnly, departments };
        command.SetAction((parse, ct) => host.Guard(async () =>
        {
            var engines = new List<WarehouseEngine> { host.Engine(parse) };
            if (parse.GetValue(compare) is { Length: > 0 } second)
            {
                engines.Add(EngineFactory.Create(second));
                host.Announce(engines[1], "--compare");
            }
            // a warehouse prepared by an earlier version (a kept copy of the province demo): its pending migrations first, untimed
            foreach (var engine in engines) BudgetPerf.Warehouse.Migrations.WarehouseMigrator.Migrate(engine);
            var runs = new List<BuildResult>();
            var walls = new List<double>();
            var loads = new List<string>();
            var uploads = new List<BenchDepartmentUpload.Upload>();
            if (parse.GetValue(incrementalOnly))
                return await IncrementalOnlyAsync(engines, parse.GetValue(departments), ct);
            foreach (var engine in engines)
            {
                AnsiConsole.MarkupLineInterpolated($"全量构建 {engine.Describe()} …");
                // the storage format decides much of a DuckDB full build's cost (v1.5.0 writes about a third cheaper)
                if (engine is BudgetPerf.Warehouse.Engines.DuckDb.DuckDbEngine duck)
                    Console.WriteLine($"  storage version {BudgetPerf.Warehouse.Engines.DuckDb.DuckDbEngine.FileStorageVersion(duck.FilePath)}" +
                        (duck.NeedsStorageUpgrade ? $" (older than {BudgetPerf.Warehouse.Engines.DuckDb.DuckDbEngine.StorageVersion}: init --upgrade-storage)" : $" ({BudgetPerf.Warehouse.Engines.DuckDb.DuckDbEngine.StorageVersion})"));
                var (full, fullWall) = await TimedBuildAsync(engine, fullRefresh: true, ct);
                runs.Add(full);
                walls.Add(fullWall);
                loads.Add(LoadAverage());
                if (!full.Success) continue;
                var upload = await BenchDepartmentUpload.ResubmitAsync(engine, ct);
                uploads.Add(upload);
                AnsiConsole.MarkupLineInterpolated($"部门 {upload.Department} 重新上报 {upload.Rows:N0} 行，增量构建 {engine.Describe()} …");
                var (incremental, incrementalWall) = await TimedBuildAsync(engine, fullRefresh: false, ct);
                runs.Add(incremental);
                walls.Add(incrementalWall);
            }
            if (runs.Count != engines.Count * 2)
            {
                foreach (var failed in runs.SelectMany(r => r.Nodes).Where(n => n.Failed))
                    Console.WriteLine($"  {failed.Node}: {failed.Message}");
                return 1;
            }
            Print(engines, runs, walls, loads, uploads);
            return runs.All(r => r.Success) ? 0 : 1;
        }));
        return command;
    }

    /// <summary>
    /// <c>--incremental-only</c>: per engine, the departments' uploads and one incremental build, each node's time and mode
    /// (issue 15, the runner's cost per model; with <c>BUDGETPERF_TRACE_RUNNER=1</c> the runner's steps too).
    /// </summary>
    private static async Task<int> IncrementalOnlyAsync(List<WarehouseEngine> engines, int departments, CancellationToken ct)
    {
        var ok = true;
        foreach (var engine in engines)
        {
            var upload = await BenchDepartmentUpload.ResubmitAsync(engine, ct, departments);
            AnsiConsole.MarkupLineInterpolated($"部门 {upload.Department} 重新上报 {upload.Rows:N0} 行，增量构建 {engine.Describe()} …");
            var (result, wall) = await TimedBuildAsync(engine, fullRefresh: false, ct, deferTests: true);
            var models = result.Nodes.Where(n => n.NodeType != "test").ToList();
            foreach (var n in models.Where(n => n.Status != "unchanged"))
                Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"  {n.Node,-40} {n.Seconds,7:0.000} s  {n.Status} {n.Message}"));
            var built = models.Where(n => n.Status == "success").ToList();
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"  {engine.Name}: {built.Count} built, {models.Count(n => n.Status == "unchanged")} unchanged; models {models.Sum(n => n.Seconds):0.00} s; wall {wall:0.00} s (load average {LoadAverage()})"));
            ok &= result.Success;
        }
        return ok ? 0 : 1;
    }

    private static async Task<(BuildResult Result, double Wall)> TimedBuildAsync(WarehouseEngine engine, bool fullRefresh, CancellationToken ct,
        bool deferTests = false)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var start = DateTime.Now;
        // this process's CPU time (DuckDB runs inside it): on a shared, loaded machine the wall time says little alone
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var result = await new ModelRunner(engine).BuildAsync(new BuildOptions
        {
            FullRefresh = fullRefresh,
            ArtifactsDir = Path.Combine(Path.GetTempPath(), "budgetperf-bench-build"),
            // --incremental-only times the pass as the worker runs it while files wait: its data tests put off
            DeferTests = deferTests ? _ => Task.FromResult(true) : null,
        }, ct);
        var used = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        if (result.CommittedAt is { } committed)
            Console.WriteLine($"  {(fullRefresh ? "full" : "incremental")} build visible (committed) after {(committed - start).TotalSeconds:0.0} s" +
                (engine.Name == "duckdb" ? $", {used:0.0} CPU-s in this process (load average {LoadAverage()})" : $" (load average {LoadAverage()})"));
        // where the build's time went besides the models (lock, prepare, swap, commit, deferred indexes, tests)
        Console.WriteLine("  phases: " + string.Join(", ", result.Phases.Select(p =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{p.Phase} {p.Seconds:0.00} s"))));
        return (result, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The full-build target at province scale (issue 15): 20 s on DuckDB, 90 s on PostgreSQL.</summary>
    private static int FullBuildTarget(WarehouseEngine engine) => engine.Name == "duckdb" ? 20 : 90;

    /// <summary>Each engine's ten slowest seeds and models of the full build, slowest first.</summary>
    private static void PrintSlowest(List<WarehouseEngine> engines, List<BuildResult> runs)
    {
        for (var i = 0; i < engines.Count; i++)
        {
            var slowest = runs[2 * i].Nodes.Where(n => n.NodeType != "test").OrderByDescending(n => n.Seconds).Take(10);
            Console.WriteLine($"slowest in the full build, {engines[i].Name}: " +
                              string.Join(", ", slowest.Select(n => $"{n.Node} {n.Seconds:0.00} s")));
        }
    }

    /// <summary>
    /// The machine's load average (1, 5, 15 min) from /proc/loadavg, or "?" where there is none: on a shared machine
    /// a build's seconds mean little without it.
    /// </summary>
    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
        catch (UnauthorizedAccessException)
        {
            return "?";
        }
    }

    /// <summary>runs: per engine, its full build then its incremental build.</summary>
    private static void Print(List<WarehouseEngine> engines, List<BuildResult> runs, List<double> walls, List<string> loads,
        List<BenchDepartmentUpload.Upload> uploads)
    {
        var table = new Table().AddColumn("模型");
        foreach (var engine in engines)
        {
            table.AddColumn($"{engine.Name} 全量 秒", c => c.RightAligned());
            table.AddColumn($"{engine.Name} 增量 秒", c => c.RightAligned());
        }
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
        var totals = new List<string> { "合计（模型与种子，各自用时相加）" };
        totals.AddRange(runs.Select(r => $"{r.Nodes.Where(n => n.NodeType != "test").Sum(n => n.Seconds):0.00}"));
        totals.Add("");
        table.AddRow(totals.ToArray());
        var tests = new List<string> { "数据测试" };
        tests.AddRange(runs.Select(r => $"{r.Nodes.Where(n => n.NodeType == "test").Sum(n => n.Seconds):0.00}"));
        tests.Add("");
        table.AddRow(tests.ToArray());
        AnsiConsole.Write(table);
        PrintSlowest(engines, runs);
        for (var i = 0; i < engines.Count; i++)
        {
            var target = FullBuildTarget(engines[i]);
            var rebuilt = runs[2 * i + 1].Nodes.Where(n => n.NodeType != "test" && n.Status == "success").ToList();
            Console.WriteLine($"incremental build {engines[i].Name}: {rebuilt.Count} nodes built, " +
                              $"{runs[2 * i + 1].Nodes.Count(n => n.Status == "unchanged")} unchanged, " +
                              $"{runs[2 * i + 1].Nodes.Count(n => n.NodeType == "test")} data tests run");
            foreach (var node in rebuilt.Where(n => n.Seconds >= 0.1m).OrderByDescending(n => n.Seconds))
                Console.WriteLine($"  {node.Node,-32} {node.Seconds,6:0.00} s  {node.Message}");
            Console.WriteLine($"full build {engines[i].Name} ({engines[i].Describe()}): " +
                              $"{walls[2 * i]:0.0} s wall, models and seeds {runs[2 * i].Nodes.Where(n => n.NodeType != "test").Sum(n => n.Seconds):0.0} s summed (a staged build runs several at once) " +
                              $"(target <= {target} s: {walls[2 * i] / target:0.00}x the target, {(walls[2 * i] <= target ? "within" : "OVER")}; load average {loads[i]} at its end)");
            Console.WriteLine($"incremental build {engines[i].Name} after department {uploads[i].Department}'s upload ({uploads[i].Rows:N0} rows): " +
                              $"{walls[2 * i + 1]:0.0} s wall, models and seeds {runs[2 * i + 1].Nodes.Where(n => n.NodeType != "test").Sum(n => n.Seconds):0.0} s");
        }
    }
}
