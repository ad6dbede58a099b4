using System.Security.Cryptography;
using BudgetPerf.Etl.Intake;
using BudgetPerf.Etl.Queue;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Security;
using Dapper;

namespace BudgetPerf.Tests.Integration.Queue;

/// <summary>
/// <c>bench submissions --engine postgres</c> (issue 15) failed 26 of 30 uploads: PostgreSQL chose the build as the victim
/// of a deadlock with a reader (40P01). The worker now runs such a build again (it rolled back whole).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class QueuedBuildRetryTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private const string M01 = "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n";
    private const string M02 = "2025,1-6月,M02,农村公路养护,102,交通局,年度资金总额,300,,60,\n";

    [SkippableFact]
    public async Task A_build_ended_by_a_deadlock_is_built_again_and_its_submission_becomes_visible()
    {
        var engine = await HandMade.BuildAsync("postgres", _dir, postgres, ("mf.csv", HandMade.MonitoringFundHeader + M01));
        await using (var connection = await engine.OpenAsync())
            // the first call raises PostgreSQL's own deadlock error; a sequence survives the build's rollback, so the
            // second build passes
            await connection.ExecuteAsync("""
                CREATE SEQUENCE bp_test_calls;
                CREATE FUNCTION bp_deadlock_once() RETURNS integer LANGUAGE plpgsql AS $$
                BEGIN
                    IF nextval('bp_test_calls') = 1 THEN
                        RAISE EXCEPTION 'deadlock detected' USING ERRCODE = '40P01';
                    END IF;
                    RETURN 1;
                END $$;
                """);
        var sql = _dir.CopyOfSql();
        File.WriteAllText(Path.Combine(sql, "models", "marts", "mart_zz_deadlock_once.sql"), "-- materialized: table\nselect bp_deadlock_once() as one");
        await QueueSetup.AddUserAsync(engine, QueueSetup.Admin.UserName);
        var id = await QueueSetup.QueueAsync(engine, _dir, "mf2.csv", HandMade.MonitoringFundHeader + M02, QueueSetup.Admin);
        var worker = QueueSetup.Worker(engine, _dir, "w", sql);

        var pass = await worker.RunOnceAsync();

        Assert.True(pass.Build!.Success);
        Assert.Equal([id], pass.Visible);
        var status = (await new SubmissionQueue(engine).FindAsync(id))!;
        Assert.Equal(SubmissionState.Visible, status.State);
        // visible from the commit (one server, no standby), not from after the data tests that follow it
        Assert.True(Math.Abs((status.VisibleAt!.Value - pass.Build.CommittedAt!.Value).TotalMilliseconds) < 1,
            $"visible at {status.VisibleAt:O}, committed at {pass.Build.CommittedAt:O}");
        await using var check = await engine.OpenAsync();
        Assert.Equal(2L, await check.ExecuteScalarAsync<long>("SELECT last_value FROM bp_test_calls"));   // built twice
        // 100 (M01) + 300 (M02) = 400 万元
        Assert.Equal(400m, await check.ExecuteScalarAsync<decimal>("SELECT SUM(budget) FROM fct_budget_execution"));
    }

    public void Dispose() => _dir.Dispose();
}
