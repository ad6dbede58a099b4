using System.CommandLine;
using BudgetPerf.Etl.Bench;
using BudgetPerf.Etl.Demo;
using BudgetPerf.Warehouse.Engines;
using Spectre.Console;

namespace BudgetPerf.Bench.Commands;

/// <summary>
/// <c>budgetperf bench forecast [--db ...] [--scale county|province] [--years N] [--seed N] [--dir DIR]</c> (issue 17
/// item 3): the back-test of 年末执行预测 on the earlier years — per year and over the years that had history, the MAE
/// of year-end 执行率 of the forecast and of the naive forecast "全年预计执行数 as stated", and the 80% interval's
/// coverage. Without <c>--db</c> it uses (and on first use builds) the demo warehouse <c>DIR/{scale}-{years}y.duckdb</c>
/// (default 4 years: 3 earlier years, 2 of them with history). Exit 1 when the forecast does not beat the naive one.
/// </summary>
public static class ForecastBenchCommand
{
    public static Command Create(BenchHost host)
    {
        var demo = new DemoWarehouseOptions(host, DemoScale.County, years: 4, yearsNote: "（至少 3：两个往年才有一年可回测）");
        var command = new Command("forecast", "年末执行预测回测：往年 预测 vs 照填报全年预计执行数 的平均绝对误差与区间覆盖率");
        demo.AddTo(command);
        command.SetAction((parse, ct) => host.Guard(async () =>
        {
            var options = demo.Demo(parse);
            if (await demo.OpenAsync(parse, ct) is not { } engine) return 1;

            var r = await ForecastBenchmark.RunAsync(engine, ct);
            Console.WriteLine($"数据库 {engine.Describe()}；年末执行预测回测（每年只用该年 1-6月 监控与更早年度的年末数据）");
            var table = new Table().AddColumns("年度", "项目", "有往年数据", "可比（填报了全年预计）", "模型 MAE", "照填报 MAE", "模型 MAE（全部项目）", "80% 区间覆盖率");
            foreach (var y in r.Years.Append(r.WithHistory).OfType<ForecastBacktest>())
                table.AddRow(y.Label, $"{y.Projects:N0}", $"{y.WithHistory:N0}", $"{y.Compared:N0}", $"{y.ModelMae:F4}", $"{y.NaiveMae:F4}",
                    $"{y.ModelMaeAll:F4}", y.Coverage is { } c ? $"{c:P1}" : "—（无区间）");
            AnsiConsole.Write(table);
            if (r.WithHistory is not { } h)
            {
                Console.WriteLine("no year with an earlier year-end: nothing to back-test (need --years 3 or more)");
                return 1;
            }
            Console.WriteLine($"model MAE = {h.ModelMae:F4}; naive MAE (全年预计执行数 as stated) = {h.NaiveMae:F4}; " +
                              $"interval coverage = {h.Coverage:P1} (nominal 80%); {h.Compared:N0} project-years");
            Console.WriteLine(h.ModelBeatsNaive ? "the forecast beats the naive forecast" : "the forecast does NOT beat the naive forecast");
            return h.ModelBeatsNaive ? 0 : 1;
        }));
        return command;
    }
}
