using System.CommandLine;
using BudgetPerf.Etl.Templates;
using Spectre.Console;

namespace BudgetPerf.Dashboard.Cli;

/// <summary><c>budgetperf templates --out DIR [--year Y]</c>: the blank official forms as .xlsx.</summary>
public static class TemplatesCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "输出目录", DefaultValueFactory = _ => "templates" };
        var year = new Option<int>("--year") { Description = "表头年度", DefaultValueFactory = _ => DateTime.Today.Year };
        var command = new Command("templates", "写出空白的官方表样（附件1/2/3、表2-3-2、表2-2，部门整体 表1-2、表1-3-2）") { output, year };
        command.SetAction(parse =>
        {
            foreach (var path in OfficialTemplates.WriteAll(parse.GetValue(output)!, parse.GetValue(year)))
                AnsiConsole.MarkupLineInterpolated($"  {path}");
            return 0;
        });
        return command;
    }
}
