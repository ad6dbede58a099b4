using System.CommandLine;
using BudgetPerf.Etl.Bench;
using BudgetPerf.Etl.Demo;
using BudgetPerf.Warehouse.Engines;
using Spectre.Console;

namespace BudgetPerf.Bench.Commands;

/// <summary>
/// <c>budgetperf bench overlap [--db ...] [--scale county|province] [--years N] [--seed N] [--dir DIR]</c>: precision and
/// recall of the 交叉重复 (调整) rule on the pairs the demo generator plants. Without <c>--db</c> it uses (and on first
/// use builds) the demo warehouse <c>DIR/{scale}-{years}y.duckdb</c> that <c>bench queries</c> uses; with <c>--db</c> the
/// warehouse must have been built by <c>budgetperf demo</c> with the same scale, years and seed.
/// </summary>
public static class OverlapBenchCommand
{
    public static Command Create(BenchHost host)
    {
        var demo = new DemoWarehouseOptions(host, DemoScale.County, years: 1);
        var command = new Command("overlap", "交叉重复（调整）规则在演示数据植入的真重复与形似项目上的精确率和召回率");
        demo.AddTo(command);
        command.SetAction((parse, ct) => host.Guard(async () =>
        {
            var options = demo.Demo(parse);
            if (await demo.OpenAsync(parse, ct) is not { } engine) return 1;
            var r = await OverlapBenchmark.RunAsync(engine, options, ct);
            Console.WriteLine($"数据库 {engine.Describe()}；演示 {options.Scale} {options.FirstYear}–{options.LastYear} 种子 {options.Seed}");
            Console.WriteLine($"planted true overlaps = {r.TruePairs:N0}; planted look-alikes = {r.LookAlikePairs:N0}; flagged pairs = {r.Flagged:N0}");
            Console.WriteLine($"true positives = {r.TruePositives:N0}; false positives = {r.FalsePositives.Count:N0} (look-alikes {r.LookAlikesFlagged:N0}, others {r.FalsePositives.Count - r.LookAlikesFlagged:N0}); missed = {r.Missed.Count:N0}");
            Console.WriteLine($"precision = {r.Precision:P1}");
            Console.WriteLine($"recall = {r.Recall:P1}");
            if (r.FalsePositives.Count > 0)
            {
                var table = new Table().AddColumns("年度", "项目 A", "项目 B", "一致之处").Title("误报（最多 20 对）");
                foreach (var f in r.FalsePositives.Take(20)) table.AddRow(f.FiscalYear.ToString(), $"{f.ProjectA} {f.NameA}", $"{f.ProjectB} {f.NameB}", f.Matched);
                AnsiConsole.Write(table);
            }
            foreach (var m in r.Missed.Take(20)) Console.WriteLine($"missed: {m.ProjectA} {m.NameA} / {m.ProjectB} {m.NameB}");
            return 0;
        }));
        return command;
    }
}
