using BudgetPerf.Tests.Integration.Support;

namespace BudgetPerf.Tests.Integration;

/// <summary><c>budgetperf bench queries</c> on a tiny demo warehouse: it runs every page query and prints the table (no timing assertions).</summary>
public sealed class QueryBenchTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task Bench_queries_builds_a_demo_warehouse_and_prints_p50_p95_per_page_query()
    {
        // given no --db: a county demo of two years (the earlier one self-evaluated, so grades and cuts have rows)
        var outcome = await CliProcess.RunAsync(_dir.Path, null,
            "bench", "queries", "--scale", "county", "--years", "2", "--repeat", "2", "--dir", _dir.File("bench"));

        Assert.True(outcome.ExitCode == 0, outcome.Output);
        Assert.True(File.Exists(_dir.File("bench/county-2y.duckdb")));
        foreach (var header in new[] { "p50 ms", "p95 ms", "max ms", "目标 ms" }) Assert.Contains(header, outcome.Output);
        foreach (var page in new[] { "总览", "偏差排名", "项目详情", "趋势", "削减与收回", "等级与预算挂钩", "数据上报" }) Assert.Contains(page, outcome.Output);
        Assert.Contains("target p95 <= 100 ms", outcome.Output);
        Assert.Matches(@"\d+ of \d+ queries within target", outcome.Output);

        // when run again with --db on the warehouse it built: no rebuild, same table
        var again = await CliProcess.RunAsync(_dir.Path, null,
            "bench", "queries", "--db", _dir.File("bench/county-2y.duckdb"), "--repeat", "1");
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.DoesNotContain("构建演示数仓", again.Output);
        Assert.Contains("heatmap", again.Output);
    }

    public void Dispose() => _dir.Dispose();
}
