using System.CommandLine;
using BudgetPerf.Etl.Intake;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Etl.Validation;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;
using Spectre.Console;

namespace BudgetPerf.Dashboard.Cli;

/// <summary><c>budgetperf load FILE... [--dry-run] [--kind K] [--explain]</c>: validate and load; rejected files print their errors.</summary>
public static class LoadCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "上报文件（CSV、xlsx 平表或官方表样）", Arity = ArgumentArity.OneOrMore };
        // an unknown option would otherwise be taken for a file name
        files.Validators.Add(r =>
        {
            foreach (var token in r.Tokens.Where(t => t.Value.StartsWith('-')))
                r.AddError($"未知选项 {token.Value}（文件名以 - 开头时请写成 ./{token.Value}）");
        });
        var dryRun = new Option<bool>("--dry-run") { Description = "只校验，不入库" };
        var kind = new Option<string?>("--kind") { Description = "指定报表类型（默认按表头识别）" };
        var build = new Option<bool>("--build") { Description = "加载成功后构建数仓（同看板上报）" };
        var explain = new Option<bool>("--explain") { Description = "逐表说明如何读取：识别的表样、资金块与指标块、栏目→字段、读取与跳过的行" };
        var command = new Command("load", "校验并加载上报文件；被拒绝的文件列出错误并写出 FILE.errors.csv；每个文件记入审计日志") { files, dryRun, kind, build, explain };
        command.SetAction((parse, ct) => BudgetPerfCli.Guard(async () =>
        {
            var paths = parse.GetValue(files)!;
            var unreadable = paths.Select(SubmissionIntake.Unreadable).OfType<string>().ToList();
            foreach (var line in unreadable) AnsiConsole.MarkupLineInterpolated($"[red]错误:[/] {line}");
            if (unreadable.Count > 0) return 1;
            var engine = CliOptions.Engine(parse);
            await Warehouse.WarehouseSetup.InitAsync(engine, ct: ct);
            if (parse.GetValue(explain))
                foreach (var file in paths.Where(f => !f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)))
                {
                    Console.WriteLine($"== {Path.GetFileName(file)}");
                    foreach (var sheet in await FormPreview.OfAsync(engine, file, ct)) Console.Write(sheet.Format());
                }
            var options = new LoadOptions { DryRun = parse.GetValue(dryRun), Kind = parse.GetValue(kind) };
            var outcome = await LoadAllAsync(engine, paths, options, ct, parse.GetValue(build));
            if (outcome.Build is { Success: false }) return 1;
            return outcome.Files.Any(f => f.Result.Status == LoadStatus.Rejected || f.Result.ErrorCount > 0) ? 1 : 0;
        }));
        return command;
    }

    /// <summary>
    /// The files through the intake use case (<see cref="SubmissionIntake"/>: load, audit as <c>load</c> by
    /// <c>cli:USER</c>, and with <paramref name="build"/> the warehouse build when one loaded), with a progress bar.
    /// </summary>
    public static async Task<IntakeOutcome> LoadAllAsync(WarehouseEngine engine, IReadOnlyList<string> files,
        LoadOptions options, CancellationToken ct, bool build = false)
    {
        var intake = new SubmissionIntake(engine, new IntakeOptions
        {
            AuditAction = "load",
            Build = build ? c => BuildCommand.RunAsync(engine, select: null, fullRefresh: false, c) : null,
        });
        var items = files.Select(f => new IntakeItem(Path.GetFileName(f), f)).ToList();
        IntakeOutcome? outcome = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("加载文件", maxValue: files.Count);
                // a large file reports its rows as it goes (IProgress posts from the reading thread)
                var prefix = "";
                var rows = new Progress<long>(n => task.Description = $"{prefix} {n:N0} 行");
                void Starting(int i)
                {
                    if (i > 0) task.Increment(1);
                    prefix = $"[[{i + 1}/{files.Count}]] {Markup.Escape(Path.GetFileName(files[i]))}";
                    task.Description = prefix;
                }
                outcome = await intake.SubmitAsync(items, new Submitter($"cli:{Environment.UserName}", DataScope.All),
                    options with { RowsRead = rows }, Starting, ct);
                task.Increment(1);
                task.Description = $"加载完成：{files.Count} 个文件";
            });
        PrintResults(outcome!.Files.Select(f => f.Result).ToList());
        return outcome;
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
