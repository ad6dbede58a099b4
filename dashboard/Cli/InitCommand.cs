using System.CommandLine;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Engines.DuckDb;
using Spectre.Console;

namespace BudgetPerf.Dashboard.Cli;

/// <summary><c>budgetperf init</c>: migrations + seeds.</summary>
public static class InitCommand
{
    public static Command Create()
    {
        var command = new Command("init", "建库：执行迁移脚本并加载种子数据");
        var upgradeStorage = new Option<bool>("--upgrade-storage")
        {
            Description = $"把旧存储格式的 DuckDB 文件复制为 {DuckDbEngine.StorageVersion} 格式并替换原文件（全量构建写入约省三成；需与文件同样大小的空闲磁盘）",
        };
        command.Options.Add(upgradeStorage);
        command.SetAction((parse, ct) => BudgetPerfCli.Guard(async () =>
        {
            var engine = CliOptions.Engine(parse);
            if (engine is DuckDbEngine duck) await UpgradeStorageAsync(duck, parse.GetValue(upgradeStorage), ct);
            var result = await WarehouseSetup.InitAsync(engine, ct: ct);
            Report(engine, result);
            return result.Seeds is { Success: false } ? 1 : 0;
        }));
        return command;
    }

    /// <summary>新建的文件已是新格式；旧文件只在 --upgrade-storage 时转换，否则提示一行。</summary>
    private static async Task UpgradeStorageAsync(DuckDbEngine engine, bool upgrade, CancellationToken ct)
    {
        if (!engine.NeedsStorageUpgrade) return;
        if (!upgrade)
        {
            AnsiConsole.MarkupLine($"[grey]存储格式：旧版（存储版本 {DuckDbEngine.FileStorageVersion(engine.FilePath)}）；init --upgrade-storage 可转换为 {DuckDbEngine.StorageVersion}[/]");
            return;
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await engine.UpgradeStorageAsync(ct);
        AnsiConsole.MarkupLine($"存储格式：已转换为 {DuckDbEngine.StorageVersion}（{clock.Elapsed.TotalSeconds:F1} 秒）");
    }

    public static void Report(WarehouseEngine engine, WarehouseSetup.InitResult result)
    {
        AnsiConsole.MarkupLineInterpolated($"数据库 [bold]{engine.Describe()}[/]");
        AnsiConsole.MarkupLine(result.MigrationsApplied.Count == 0
            ? "迁移：已是最新，无需执行"
            : $"迁移：执行了 {result.MigrationsApplied.Count} 个脚本 ({Markup.Escape(string.Join(", ", result.MigrationsApplied))})");
        if (result.Seeds is { } seeds)
            BuildCommand.PrintSummary(seeds);
    }
}
