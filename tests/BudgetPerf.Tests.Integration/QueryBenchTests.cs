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
        // issue 14: the region drill at every level and the search slicer are timed too
        foreach (var query in new[] { "region drill: 省 rows", "region drill: 市 rows of a 省", "region drill: 县 rows of a 市",
                     "region drill: 部门 rows of a 县", "search as you type: 1 character" })
            Assert.Contains(query, outcome.Output);
        Assert.Contains("区划 660000 → 660100 → 660121", outcome.Output);
        Assert.Matches(@"\d+ of \d+ queries within target", outcome.Output);

        // when run again with --db on the warehouse it built: no rebuild, same table
        var again = await CliProcess.RunAsync(_dir.Path, null,
            "bench", "queries", "--db", _dir.File("bench/county-2y.duckdb"), "--repeat", "1");
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.DoesNotContain("构建演示数仓", again.Output);
        Assert.Contains("heatmap", again.Output);
    }

    [Fact]
    public async Task Bench_overlap_finds_the_four_planted_overlaps_of_a_county_and_none_of_its_look_alikes()
    {
        var outcome = await CliProcess.RunAsync(_dir.Path, null,
            "bench", "overlap", "--scale", "county", "--years", "1", "--dir", _dir.File("bench"));

        Assert.True(outcome.ExitCode == 0, outcome.Output);
        // ProjectCatalog.NearDuplicates: 4 true overlaps and 5 look-alikes, every one of their departments in every county
        Assert.Contains("planted true overlaps = 4; planted look-alikes = 5", outcome.Output);
        Assert.Matches(@"precision = \d+(\.\d)? ?%", outcome.Output);
        Assert.Contains("recall = 100.0", outcome.Output);
        Assert.Contains("false positives = 0 (look-alikes 0, others 0)", outcome.Output);
    }

    public void Dispose() => _dir.Dispose();
}
