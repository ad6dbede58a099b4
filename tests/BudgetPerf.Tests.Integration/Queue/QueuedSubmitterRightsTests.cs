using System.Security.Cryptography;
using BudgetPerf.Etl.Intake;
using BudgetPerf.Etl.Queue;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;
using Dapper;

namespace BudgetPerf.Tests.Integration.Queue;

/// <summary>
/// The queue's first flaw (issue 15): a 部门 user's rights were checked only when the file was accepted. The worker now
/// reads the account again when it loads (<see cref="SubmitterRights"/>): disabled since → 已拒绝, nothing loaded;
/// rescoped since → the rows are checked against the new departments, a row now outside rejects the file naming its cell.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class QueuedSubmitterRightsTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    // M02 belongs to 102 交通局, M03 to 103 卫健委 (主管部门编码 in the row)
    private const string M01 = "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n";
    private const string M02 = "2025,1-6月,M02,农村公路养护,102,交通局,年度资金总额,300,,60,\n";
    private const string M03 = "2025,1-6月,M03,基层医疗补助,103,卫健委,年度资金总额,200,,20,\n";

    private static Task AddDepartmentUserAsync(WarehouseEngine engine, string name, string departments) =>
        QueueSetup.AddUserAsync(engine, name, "部门", departments);

    /// <summary>Accepted (validated with the scope the user has now) and queued; returns the submission id.</summary>
    private Task<long> QueueAsync(WarehouseEngine engine, string user, string departments, string name, string row) =>
        QueueSetup.QueueAsync(engine, _dir, name, HandMade.MonitoringFundHeader + row, new Submitter(user, DataScope.Of(departments.Split(','))));

    private SubmissionWorker Worker(WarehouseEngine engine) => QueueSetup.Worker(engine, _dir, "worker");

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_file_whose_account_was_disabled_after_acceptance_is_rejected_by_the_worker_and_loads_nothing(string engineName)
    {
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, ("mf.csv", HandMade.MonitoringFundHeader + M01));
        await AddDepartmentUserAsync(engine, "jtj", "102");
        var id = await QueueAsync(engine, "jtj", "102", "mf2.csv", M02);
        Assert.True(await new UserStore(engine).DisableAsync("jtj", "admin"));   // 调岗: the account is stopped while the file waits

        var pass = await Worker(engine).RunOnceAsync();

        Assert.Equal([id], pass.Rejected);
        Assert.Null(pass.Build);   // nothing loaded, nothing built
        var s = (await new SubmissionQueue(engine).FindAsync(id))!;
        Assert.Equal(SubmissionState.Rejected, s.State);
        Assert.Equal("入库时拒绝：提交人账号“jtj”在受理后已停用，文件未入库", s.Error);
        await using var connection = await engine.OpenAsync();
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM raw_monitoring_fund WHERE project_code = 'M02'"));
        Assert.Equal(["M01"], await connection.QueryAsync<string>("SELECT project_code FROM dim_project ORDER BY 1"));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_log WHERE user_name = 'jtj' AND action = 'upload' AND outcome = 'refused'"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_file_of_a_user_rescoped_after_acceptance_is_checked_against_the_new_departments_row_by_row(string engineName)
    {
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, ("mf.csv", HandMade.MonitoringFundHeader + M01));
        await AddDepartmentUserAsync(engine, "clerk", "102,103");
        var transport = await QueueAsync(engine, "clerk", "102,103", "mf2.csv", M02);
        var health = await QueueAsync(engine, "clerk", "102,103", "mf3.csv", M03);
        await using (var connection = await engine.OpenAsync())   // the clerk now reports for 卫健委 (103) only
            await connection.ExecuteAsync(engine.Sql("UPDATE app_user SET departments = '103' WHERE user_name = @name"), new { name = "clerk" });

        var pass = await Worker(engine).RunOnceAsync();

        Assert.Equal([transport], pass.Rejected);
        Assert.Equal([health], pass.Visible);
        var s = (await new SubmissionQueue(engine).FindAsync(transport))!;
        Assert.Equal(SubmissionState.Rejected, s.State);
        // the loader's own scope error, naming file, row and column (row 2 = the first data row under the header)
        Assert.StartsWith("入库时拒绝：mf2.csv 第2行 主管部门编码：", s.Error);
        Assert.Contains("102", s.Error);
        await using var check = await engine.OpenAsync();
        // 100 (M01) + 200 (M03) = 300 万元: the transport file loaded nothing
        Assert.Equal(300m, await check.ExecuteScalarAsync<decimal>("SELECT SUM(budget) FROM fct_budget_execution"));
        Assert.Equal(["M01", "M03"], await check.QueryAsync<string>("SELECT project_code FROM dim_project ORDER BY 1"));
    }

    public void Dispose() => _dir.Dispose();
}
