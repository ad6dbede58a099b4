using BudgetPerf.Etl.Queue;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Tests.Integration.Queue;

/// <summary>
/// Issue 15, the loads of one worker pass: a file that fails its load (here: bytes queued past a validator that would
/// refuse them now) is 已拒绝 naming its file, row, column and reason, and nothing of it lands; the pass's other files
/// still load and become visible in the same build.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PassLoadTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private const string M01 = "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n";
    private const string M02 = "2025,1-6月,M02,农村公路养护,102,交通局,年度资金总额,300,,60,\n";
    private const string M03 = "2025,1-6月,M03,基层医疗补助,103,卫健委,年度资金总额,200,,20,\n";
    private const string M04 = "2025,1-6月,M04,乡村学校午餐,101,教育局,年度资金总额,三百,,20,\n";   // 年初预算数 not a number

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_pass_loads_its_good_files_and_rejects_the_bad_one_naming_file_row_column_and_reason(string engineName)
    {
        var engine = await QueueSetup.HandMadeWithAdminAsync(engineName, _dir, postgres, ("mf.csv", HandMade.MonitoringFundHeader + M01));
        var m02 = await QueueSetup.QueueAsync(engine, _dir, "mf2.csv", HandMade.MonitoringFundHeader + M02, QueueSetup.Admin);
        var bad = await QueueBypassingAcceptanceAsync(engine, "mf4.csv", HandMade.MonitoringFundHeader + M04);
        var m03 = await QueueSetup.QueueAsync(engine, _dir, "mf3.csv", HandMade.MonitoringFundHeader + M03, QueueSetup.Admin);

        var pass = await QueueSetup.Worker(engine, _dir, "w").RunOnceAsync();

        Assert.Equal([m02, m03], pass.Visible.Order());
        Assert.Equal([bad], pass.Rejected);
        Assert.True(pass.Build!.Success);
        var s = (await new SubmissionQueue(engine).FindAsync(bad))!;
        Assert.Equal(SubmissionState.Rejected, s.State);
        // the CSV's first data row is row 2; 年初预算数 is its 8th column
        Assert.StartsWith("入库时拒绝：mf4.csv 第2行 年初预算数：", s.Error);
        await using var connection = await engine.OpenAsync();
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM raw_monitoring_fund WHERE project_code = 'M04'"));
        // 100 (M01) + 300 (M02) + 200 (M03) = 600 万元: the good files of the pass, and nothing of the bad one
        Assert.Equal(600m, await connection.ExecuteScalarAsync<decimal>("SELECT SUM(budget) FROM fct_budget_execution"));
        Assert.Equal(["M01", "M02", "M03"], await connection.QueryAsync<string>("SELECT project_code FROM dim_project ORDER BY 1"));
        // the good files, each its own batch, appended in ONE transaction (PostgreSQL: their rows share one xmin)
        var batches = (await connection.QueryAsync<long>(
            "SELECT batch_id FROM etl_batch WHERE file_name IN ('mf2.csv', 'mf3.csv') AND status = 'loaded' ORDER BY 1")).ToList();
        Assert.Equal(2, batches.Count);
        if (engineName == "postgres")
            Assert.Equal(1L, await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(DISTINCT xmin::text) FROM raw_monitoring_fund WHERE project_code IN ('M02', 'M03')"));
        // the bad file's rejection is recorded with its own errors, none of them the good files'
        Assert.Equal(["mf4.csv"], await connection.QueryAsync<string>(
            "SELECT DISTINCT b.file_name FROM load_error e JOIN etl_batch b ON b.batch_id = e.batch_id WHERE e.severity = 'error'"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Two_identical_files_in_one_pass_load_once_and_both_become_visible(string engineName)
    {
        var engine = await QueueSetup.HandMadeWithAdminAsync(engineName, _dir, postgres, ("mf.csv", HandMade.MonitoringFundHeader + M01));
        var m02 = await QueueSetup.QueueAsync(engine, _dir, "mf2.csv", HandMade.MonitoringFundHeader + M02, QueueSetup.Admin);
        var m03 = await QueueSetup.QueueAsync(engine, _dir, "mf3.csv", HandMade.MonitoringFundHeader + M03, QueueSetup.Admin);
        var again = await QueueSetup.QueueAsync(engine, _dir, "mf2 再次.csv", HandMade.MonitoringFundHeader + M02, QueueSetup.Admin);

        var pass = await QueueSetup.Worker(engine, _dir, "w").RunOnceAsync();

        Assert.True(pass.Build!.Success);
        Assert.Equal([m02, m03, again], pass.Visible.Order());
        var queue = new SubmissionQueue(engine);
        var (first, copy) = ((await queue.FindAsync(m02))!, (await queue.FindAsync(again))!);
        Assert.Equal($"重复文件：与批次 {first.BatchId} 相同，已入库过", copy.Error);
        Assert.Equal(first.VisibleAt, copy.VisibleAt);
        await using var connection = await engine.OpenAsync();
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM raw_monitoring_fund WHERE project_code = 'M02'"));
        // M02 once: 100 (M01) + 300 (M02) + 200 (M03) = 600 万元; 期间执行数 50 + 60 + 20 = 130 万元
        Assert.Equal(600m, await connection.ExecuteScalarAsync<decimal>("SELECT SUM(budget) FROM fct_budget_execution"));
        Assert.Equal(130m, await connection.ExecuteScalarAsync<decimal>("SELECT SUM(executed) FROM fct_budget_execution"));
        // audited as uploaded: two loaded, one duplicate of the first
        Assert.Equal(["duplicate", "loaded", "loaded"], (await connection.QueryAsync<string>(
            "SELECT detail FROM audit_log WHERE action = 'upload'")).Select(d => d.Split(" result=")[1].Split(' ')[0]).Order());
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task When_the_passs_one_append_fails_each_file_is_appended_alone_and_only_the_failing_one_fails(string engineName)
    {
        var engine = await QueueSetup.HandMadeWithAdminAsync(engineName, _dir, postgres, ("mf.csv", HandMade.MonitoringFundHeader + M01));
        var m02 = await QueueSetup.QueueAsync(engine, _dir, "mf2.csv", HandMade.MonitoringFundHeader + M02, QueueSetup.Admin);
        var m01 = await QueueSetup.QueueAsync(engine, _dir, "mf1 更正.csv", HandMade.MonitoringFundHeader + M01.Replace(",100,", ",150,"), QueueSetup.Admin);
        var m03 = await QueueSetup.QueueAsync(engine, _dir, "mf3.csv", HandMade.MonitoringFundHeader + M03, QueueSetup.Admin);
        await using (var ddl = await engine.OpenAsync())   // valid to the validator, refused by the database on append
            await ddl.ExecuteAsync("CREATE UNIQUE INDEX one_row_per_project ON raw_monitoring_fund (project_code)");

        var pass = await QueueSetup.Worker(engine, _dir, "w").RunOnceAsync();

        Assert.True(pass.Build!.Success);
        Assert.Equal([m02, m03], pass.Visible.Order());
        Assert.Equal([m01], pass.Failed);
        var failed = (await new SubmissionQueue(engine).FindAsync(m01))!;
        Assert.Equal(SubmissionState.Failed, failed.State);
        Assert.StartsWith("入库失败：mf1 更正.csv：", failed.Error);
        await using var connection = await engine.OpenAsync();
        // 100 (M01 as first loaded) + 300 (M02) + 200 (M03) = 600 万元: nothing of the failing file
        Assert.Equal(600m, await connection.ExecuteScalarAsync<decimal>("SELECT SUM(budget) FROM fct_budget_execution"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_file_that_asks_what_an_earlier_file_of_the_pass_holds_is_validated_after_that_files_commit(string engineName)
    {
        // S1's 预算执行率 分值 is 10 on its 年度资金总额 line; an indicator file with 分值 90 is valid then (90 + 10 = 100)
        var engine = await QueueSetup.HandMadeWithAdminAsync(engineName, _dir, postgres, ("s_fund.csv", HandMade.FundHeader + S1Fund(10)));
        var fund = await QueueSetup.QueueAsync(engine, _dir, "s_fund2.csv", HandMade.FundHeader + S1Fund(20), QueueSetup.Admin);
        var indicators = await QueueSetup.QueueAsync(engine, _dir, "s_ind.csv",
            HandMade.IndicatorHeader + "2024,S1,产出指标,数量指标,培训人次,,≥100人次,,100,90,\n", QueueSetup.Admin);
        var other = await QueueSetup.QueueAsync(engine, _dir, "mf2.csv", HandMade.MonitoringFundHeader + M02, QueueSetup.Admin);

        var pass = await QueueSetup.Worker(engine, _dir, "w").RunOnceAsync();

        // loaded one by one, the resubmitted fund file (分值 20) comes first: the indicators then sum to 90 + 20 = 110
        Assert.Equal([fund, other], pass.Visible.Order());
        Assert.Equal([indicators], pass.Rejected);
        var s = (await new SubmissionQueue(engine).FindAsync(indicators))!;
        // (the 分值 read back from the warehouse is a DECIMAL(18,4): the message prints its four places)
        Assert.Equal("入库时拒绝：s_ind.csv 第2行 分值：S1 的指标分值合计为 90，加上预算执行率 20.0000 分为 110.0000，应为 100", s.Error);
        await using var connection = await engine.OpenAsync();
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM raw_selfeval_indicator"));
    }

    private static string S1Fund(int weight) => $"2024,S1,评分项目,D1,一局,年度资金总额,100,100,100,{weight},{weight}\n";

    /// <summary>Queued as if accepted earlier (the queue stores what acceptance let through); the load validates again.</summary>
    private async Task<long> QueueBypassingAcceptanceAsync(WarehouseEngine engine, string name, string text)
    {
        var item = QueueSetup.Item(_dir, name, text);
        return await new SubmissionQueue(engine).EnqueueAsync(name, item.Sha256!, await File.ReadAllBytesAsync(item.Path!),
            QueueSetup.Admin.UserName, null, 1);
    }

    public void Dispose() => _dir.Dispose();
}
