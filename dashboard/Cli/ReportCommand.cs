using System.CommandLine;
using BudgetPerf.Dashboard.Reports;
using BudgetPerf.Warehouse.Engines;
using Spectre.Console;

namespace BudgetPerf.Dashboard.Cli;

/// <summary>
/// <c>budgetperf report [PROJECT] [--department CODE] --year Y [--period 1-6月] [--feedback|--correction|--adjustment] [--out FILE]</c>:
/// 项目 / 部门 绩效监控报告 (附件4), 评价结果反馈书 (表2-B / 表1-B), prefilled 纠偏表 (附件2) / 调整表 (附件3).
/// Exactly one of PROJECT and --department (exit 2 otherwise); the files come from <see cref="ReportFiles"/>.
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var project = new Argument<string?>("project") { Description = "项目编码（与 --department 二选一）", Arity = ArgumentArity.ZeroOrOne };
        var department = new Option<string?>("--department") { Description = "部门编码：部门层面的报告或整体反馈书" };
        var year = new Option<int>("--year") { Description = "年度", Required = true };
        var period = new Option<string>("--period") { Description = "监控期间", DefaultValueFactory = _ => "1-6月" };
        var feedback = new Option<bool>("--feedback") { Description = "绩效评价结果反馈书（项目 表2-B；部门整体 表1-B）" };
        var correction = new Option<bool>("--correction") { Description = "附件2 绩效监控纠偏表（xlsx，预填）" };
        var adjustment = new Option<bool>("--adjustment") { Description = "附件3 绩效目标调整表（xlsx，预填）" };
        var output = new Option<string?>("--out") { Description = "输出文件（默认按项目/部门编码命名，写在 数据目录/out/）" };
        var command = new Command("report", "生成绩效监控报告、评价结果反馈书（Word）或预填的纠偏表、调整表（Excel）")
        {
            project, department, year, period, feedback, correction, adjustment, output,
        };
        command.SetAction((parse, ct) =>
        {
            var kinds = new List<ReportKind>();
            if (parse.GetValue(feedback)) kinds.Add(ReportKind.Feedback);
            if (parse.GetValue(correction)) kinds.Add(ReportKind.Correction);
            if (parse.GetValue(adjustment)) kinds.Add(ReportKind.Adjustment);
            if (kinds.Count > 1) return Usage("--feedback、--correction、--adjustment 只能选其一");
            var request = new ReportRequest(parse.GetValue(project), parse.GetValue(department), parse.GetValue(year),
                parse.GetValue(period)!, kinds.Count == 0 ? ReportKind.Monitoring : kinds[0]);
            if (request.Problem is { } problem) return Usage(problem);
            return BudgetPerfCli.Guard(() => RunAsync(CliOptions.Engine(parse), request, parse.GetValue(output), ct));
        });
        return command;
    }

    private static Task<int> Usage(string message)
    {
        AnsiConsole.MarkupLineInterpolated($"[red]用法错误:[/] {message}");
        return Task.FromResult(2);
    }

    public static async Task<int> RunAsync(WarehouseEngine engine, ReportRequest request, string? output, CancellationToken ct)
    {
        var file = await ReportFiles.BuildAsync(engine, request, ct);
        if (file is null)
        {
            var what = request.Project is { Length: > 0 } ? $"项目 {request.Project}" : $"部门 {request.Department}";
            AnsiConsole.MarkupLineInterpolated($"[red]错误:[/] 数仓中没有{what}（请检查编码，或先运行 load 和 build）");
            return 1;
        }
        var path = output ?? Path.Combine(CliOptions.OutDir, file.FileName);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(path, file.Content, ct);
        AnsiConsole.MarkupLineInterpolated($"已生成 {path}（{file.Content.Length / 1024.0:0.0} KB）");
        return 0;
    }
}
