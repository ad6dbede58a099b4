using System.CommandLine;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using Spectre.Console;

namespace BudgetPerf.Dashboard.Cli;

/// <summary><c>budgetperf init</c>: migrations + seeds.</summary>
public static class InitCommand
{
    public static Command Create()
    {
        var command = new Command("init", "建库：执行迁移脚本并加载种子数据");
        command.SetAction((parse, ct) => BudgetPerfCli.Guard(async () =>
        {
            var engine = CliOptions.Engine(parse);
            var result = await WarehouseSetup.InitAsync(engine, ct: ct);
            Report(engine, result);
            return result.Seeds is { Success: false } ? 1 : 0;
        }));
        return command;
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
