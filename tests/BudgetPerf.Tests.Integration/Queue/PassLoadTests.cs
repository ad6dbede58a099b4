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
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, ("mf.csv", HandMade.MonitoringFundHeader + M01));
        await QueueSetup.AddUserAsync(engine, QueueSetup.Admin.UserName);
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
    }

    /// <summary>Queued as if accepted earlier (the queue stores what acceptance let through); the load validates again.</summary>
    private async Task<long> QueueBypassingAcceptanceAsync(WarehouseEngine engine, string name, string text)
    {
        var item = QueueSetup.Item(_dir, name, text);
        return await new SubmissionQueue(engine).EnqueueAsync(name, item.Sha256!, await File.ReadAllBytesAsync(item.Path!),
            QueueSetup.Admin.UserName, null, 1);
    }

    public void Dispose() => _dir.Dispose();
}
