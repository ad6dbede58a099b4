using System.CommandLine;
using BudgetPerf.Dashboard.Reports;
using BudgetPerf.Warehouse.Engines;
using Spectre.Console;

namespace BudgetPerf.Dashboard.Cli;

/// <summary><c>budgetperf report PROJECT --year Y [--period 1-6月] [--out FILE.docx]</c>: 项目支出绩效监控报告 (附件4).</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var project = new Argument<string>("project") { Description = "项目编码" };
        var year = new Option<int>("--year") { Description = "年度", Required = true };
        var period = new Option<string>("--period") { Description = "监控期间", DefaultValueFactory = _ => "1-6月" };
        var output = new Option<string?>("--out") { Description = "输出文件（默认 PROJECT_绩效监控报告.docx）" };
        var command = new Command("report", "生成项目支出绩效监控报告（Word，附件4 一至六部分）") { project, year, period, output };
        command.SetAction((parse, ct) => BudgetPerfCli.Guard(() => RunAsync(
            EngineFactory.Create(parse.GetValue(CliOptions.Db)), parse.GetValue(project)!, parse.GetValue(year),
            parse.GetValue(period)!, parse.GetValue(output), ct)));
        return command;
    }

    public static async Task<int> RunAsync(WarehouseEngine engine, string project, int year, string period, string? output, CancellationToken ct)
    {
        var data = await MonitoringReportData.LoadAsync(engine, project, year, period, ct);
        if (data is null)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]错误:[/] 数仓中没有项目 {project}（请检查项目编码，或先运行 load 和 build）");
            return 1;
        }
        var path = output ?? $"{project}_绩效监控报告.docx";
        await using (var file = File.Create(path)) MonitoringReport.Write(data, file);
        AnsiConsole.MarkupLineInterpolated($"已生成 {data.Project.ProjectName} {year}年{period}绩效监控报告：{path}");
        return 0;
    }
}
