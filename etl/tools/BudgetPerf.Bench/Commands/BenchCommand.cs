using System.CommandLine;
using BudgetPerf.Etl.Bench;
using Spectre.Console;

namespace BudgetPerf.Bench.Commands;

/// <summary>
/// <c>budgetperf bench etl [--rows N] [--sample N] [--repeat N] [--dir DIR]</c>: ETL throughput against DuckDB's read_csv and
/// row-by-row INSERT; <c>bench queries</c>: see <see cref="QueryBenchCommand"/>.
/// </summary>
public static class BenchCommand
{
    public static Command Create(BenchHost host)
    {
        var rows = new Option<long>("--rows") { Description = "生成的行数", DefaultValueFactory = _ => 1_000_000 };
        var sample = new Option<int>("--sample") { Description = "逐行 INSERT 的样本行数（外推）", DefaultValueFactory = _ => 5_000 };
        var dir = new Option<string>("--dir") { Description = "工作目录", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "budgetperf-bench") };
        var repeat = new Option<int>("--repeat") { Description = "本系统与 read_csv 交替各测几轮（取各自最快一轮）", DefaultValueFactory = _ => 3 };
        var etl = new Command("etl", "ETL 吞吐：本系统加载 vs DuckDB read_csv vs 逐行 INSERT（同一文件、同一次运行）") { rows, sample, repeat, dir };
        etl.SetAction((parse, ct) => host.Guard(async () =>
        {
            var before = LoadAverage();
            var result = await EtlBenchmark.RunAsync(parse.GetValue(dir)!, parse.GetValue(rows), parse.GetValue(sample),
                new Progress<string>(line => AnsiConsole.MarkupLineInterpolated($"  {line}")), ct, parse.GetValue(repeat));
            Print(result);
            if (before is not null) Console.WriteLine($"load average before / after = {before} / {LoadAverage()} (cores: {Environment.ProcessorCount})");
            return result.LoadProblem is null ? 0 : 1;
        }));
        return new Command("bench", "性能基准") { etl, QueryBenchCommand.Create(host), OverlapBenchCommand.Create(host), BuildBenchCommand.Create(host),
            SubmissionBenchCommand.Create(host), ForecastBenchCommand.Create(host) };
    }

    /// <summary>
    /// The 1-, 5- and 15-minute load averages (Linux): the ratios are measured in one process on one file, but other
    /// work on the machine while either side runs moves them.
    /// </summary>
    private static string? LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void Print(EtlBenchResult r)
    {
        var table = new Table().AddColumns("测量", "秒", "行/秒", "说明");
        table.AddRow("本系统加载（解析+校验+入库）", $"{r.OursSeconds:0.00}", $"{r.OursRowsPerSecond:N0}", $"{r.Rows:N0} 行，{r.FileBytes / 1048576.0:0.0} MB");
        table.AddRow("DuckDB read_csv → 表", $"{r.ReadCsvSeconds:0.00}", $"{r.ReadCsvRowsPerSecond:N0}", "同一文件");
        table.AddRow("逐行参数化 INSERT", $"{r.InsertSeconds:0.00}", $"{r.InsertRowsPerSecond:N0}", $"样本 {r.InsertSample:N0} 行，外推");
        AnsiConsole.Write(table);
        Console.WriteLine($"ratio ours/read_csv = {r.RatioToReadCsv:0.00} (target >= 0.5; best of {r.Rounds.Count} alternate rounds each; " +
                          $"rounds: {string.Join(", ", r.Rounds.Select(x => $"{x.Ours:0.00}/{x.ReadCsv:0.00} s"))})");
        Console.WriteLine($"ratio ours/row-by-row = {r.RatioToInsert:0.0} (target >= 50)");
        Console.WriteLine($"peak working set during our load = {r.PeakWorkingSetBytes / 1048576.0:0} MB (target <= 500)");
        if (r.LoadProblem is not null) AnsiConsole.MarkupLineInterpolated($"[red]加载未成功：{r.LoadProblem}[/]");
    }
}
