using System.CommandLine;
using BudgetPerf.Bench.Commands;
using BudgetPerf.Warehouse.Engines;
using Spectre.Console;

namespace BudgetPerf.Dashboard.Cli;

/// <summary>The <c>budgetperf</c> command line: exit 0 ok, 1 rejected input, unreadable file or failed tests, 2 usage.</summary>
public static class BudgetPerfCli
{
    public static RootCommand Build()
    {
        // redirected output (CI logs, files) gets wide tables instead of 80-column wrapping
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;
        var serve = ServeCommand.Create();
        var root = new RootCommand("BudgetPerf 预算绩效分析 — 数据上报、数仓构建与看板")
        {
            CliOptions.Db,
            DemoCommand.Create(), InitCommand.Create(), LoadCommand.Create(), BuildCommand.Create(), serve,
            ExportCommand.Create(), BenchCommand.Create(Bench), TemplatesCommand.Create(), ReportCommand.Create(), UserCommand.Create(),
        };
        foreach (var option in serve.Options) root.Options.Add(option);
        root.SetAction((parse, ct) => ServeCommand.RunAsync(parse, ct));
        return root;
    }

    /// <summary>What the bench commands (etl/tools/BudgetPerf.Bench) take from this host.</summary>
    private static BenchHost Bench => new(CliOptions.Resolve, CliOptions.Engine, CliOptions.Announce, CliOptions.DataDir, Guard,
        DemoCommand.RunAsync, typeof(BudgetPerfCli).Assembly.Location);

    /// <summary>
    /// Parses and runs: a usage error (unknown command, bad option or value, missing required option or argument)
    /// prints its reasons and exits 2 without running anything.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count == 0) return await parse.InvokeAsync();
        foreach (var error in parse.Errors)
            AnsiConsole.MarkupLineInterpolated($"[red]用法错误:[/] {error.Message}");
        Console.WriteLine("用 budgetperf --help（或 budgetperf 命令 --help）查看用法");
        return 2;
    }

    /// <summary>Runs a command body, turning the expected failures into a plain message and exit 1.</summary>
    public static async Task<int> Guard(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (WarehouseLockedException ex)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{ex.Message}[/]");
            return 1;
        }
        catch (Exception ex) when (ex is Warehouse.Models.ModelGraphException or Warehouse.Migrations.MigrationFailedException
                                       or System.Data.Common.DbException or InvalidDataException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]错误:[/] {ex.Message}");
            return 1;
        }
    }
}
