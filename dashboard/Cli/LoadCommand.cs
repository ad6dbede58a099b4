using System.CommandLine;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Etl.Validation;
using BudgetPerf.Warehouse.Engines;
using Spectre.Console;

namespace BudgetPerf.Dashboard.Cli;

/// <summary><c>budgetperf load FILE... [--dry-run] [--kind K] [--explain]</c>: validate and load; rejected files print their errors.</summary>
public static class LoadCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "上报文件（CSV、xlsx 平表或官方表样）", Arity = ArgumentArity.OneOrMore };
        var dryRun = new Option<bool>("--dry-run") { Description = "只校验，不入库" };
        var kind = new Option<string?>("--kind") { Description = "指定报表类型（默认按表头识别）" };
        var explain = new Option<bool>("--explain") { Description = "逐表说明如何读取：识别的表样、资金块与指标块、栏目→字段、读取与跳过的行" };
        var command = new Command("load", "校验并加载上报文件；被拒绝的文件列出错误并写出 FILE.errors.csv") { files, dryRun, kind, explain };
        command.SetAction((parse, ct) => BudgetPerfCli.Guard(async () =>
        {
            var engine = EngineFactory.Create(parse.GetValue(CliOptions.Db));
            await Warehouse.WarehouseSetup.InitAsync(engine, ct: ct);
            if (parse.GetValue(explain))
                foreach (var file in parse.GetValue(files)!.Where(f => !f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)))
                {
                    Console.WriteLine($"== {Path.GetFileName(file)}");
                    foreach (var sheet in await FormPreview.OfAsync(engine, file, ct)) Console.Write(sheet.Format());
                }
            var options = new LoadOptions { DryRun = parse.GetValue(dryRun), Kind = parse.GetValue(kind) };
            var results = await LoadAllAsync(engine, parse.GetValue(files)!, options, ct);
            return results.Any(r => r.Status == LoadStatus.Rejected || r.ErrorCount > 0) ? 1 : 0;
        }));
        return command;
    }

    public static async Task<IReadOnlyList<LoadResult>> LoadAllAsync(WarehouseEngine engine, IReadOnlyList<string> files,
        LoadOptions options, CancellationToken ct)
    {
        var loader = new SubmissionLoader(engine);
        var results = new List<LoadResult>();
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("加载文件", maxValue: files.Count);
                for (var i = 0; i < files.Count; i++)
                {
                    var name = Markup.Escape(Path.GetFileName(files[i]));
                    var prefix = $"[[{i + 1}/{files.Count}]] {name}";
                    task.Description = prefix;
                    // a large file reports its rows as it goes (IProgress posts from the reading thread)
                    var rows = new Progress<long>(n => task.Description = $"{prefix} {n:N0} 行");
                    results.Add(await loader.LoadFileAsync(files[i], options with { RowsRead = rows }, ct));
                    task.Increment(1);
                }
                task.Description = $"加载完成：{files.Count} 个文件";
            });
        PrintResults(results);
        return results;
    }

    private static void PrintResults(IReadOnlyList<LoadResult> results)
    {
        var table = new Table().AddColumns("文件", "类型", "结果", "行数", "错误", "警告", "秒");
        foreach (var r in results)
            table.AddRow(Markup.Escape(r.File), r.Kind ?? "?", StatusText(r), $"{r.Rows:N0}", r.ErrorCount.ToString(),
                r.WarningCount.ToString(), $"{r.Elapsed.TotalSeconds:0.00}");
        table.AddRow("[bold]合计[/]", "", "", $"{results.Sum(r => r.Rows):N0}", results.Sum(r => r.ErrorCount).ToString(),
            results.Sum(r => r.WarningCount).ToString(), $"{results.Sum(r => r.Elapsed.TotalSeconds):0.00}");
        AnsiConsole.Write(table);

        foreach (var r in results.Where(r => r.ErrorCount > 0))
        {
            var errors = new Table().Title($"[red]{Markup.Escape(r.File)} 未加载[/]").AddColumns("行", "列", "值", "说明");
            foreach (var i in r.Issues.Where(i => i.Severity == Severity.Error).Take(50))
                errors.AddRow(i.Row?.ToString() ?? "", Markup.Escape(i.Column ?? ""), Markup.Escape(i.Value ?? ""), Markup.Escape(i.Message));
            AnsiConsole.Write(errors);
            if (r.ErrorsFile is { } path) AnsiConsole.MarkupLineInterpolated($"全部错误已写入 {path}");
        }
    }

    private static string StatusText(LoadResult r) => r.Status switch
    {
        LoadStatus.Loaded => "[green]已加载[/]",
        LoadStatus.Duplicate => "[grey]已加载过，跳过[/]",
        LoadStatus.Validated when r.ErrorCount == 0 => "[blue]校验通过[/]",
        LoadStatus.Validated => "[red]校验未通过[/]",
        _ => "[red]已拒绝[/]",
    };
}
