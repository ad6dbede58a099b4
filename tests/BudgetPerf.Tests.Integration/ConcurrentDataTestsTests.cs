using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Models;

namespace BudgetPerf.Tests.Integration;

/// <summary>
/// Issue 15, the data tests after a build on several connections at once (PostgreSQL's engine default): the same tests
/// reach the same verdicts, reported in the same order, and a violated test still fails with its rows.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ConcurrentDataTestsTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private const string Rows = "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n"
                                + "2025,1-6月,M02,农村公路养护,102,交通局,年度资金总额,300,,60,\n";

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Three_sessions_report_what_one_does_in_the_same_order_with_the_violations_and_their_rows(string engineName)
    {
        // given: a built warehouse and two tests it violates, on two relations (dim_project: M02; dim_department: 102)
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, ("mf.csv", HandMade.MonitoringFundHeader + Rows));
        var sql = _dir.CopyOfSql();
        File.WriteAllText(Path.Combine(sql, "tests", "zz_no_road_project.sql"),
            "select project_code from {{ ref('dim_project') }} where project_code = 'M02'");
        File.WriteAllText(Path.Combine(sql, "tests", "zz_no_transport_department.sql"),
            "select department_code from {{ ref('dim_department') }} where department_code = '102'");
        var runner = new ModelRunner(engine);
        BuildOptions Options(int sessions) => new() { SqlRoot = sql, ArtifactsDir = _dir.File($"target{sessions}"), TestSessions = sessions };

        // when
        var one = await runner.TestAsync(Options(1), null);
        var three = await runner.TestAsync(Options(3), null);

        // then: every test once, in the same order and with the same verdict; the two violations fail with their row
        Assert.True(one.Nodes.Count > 20, $"{one.Nodes.Count} tests");
        Assert.Equal(one.Nodes.Select(n => (n.Node, n.Status)), three.Nodes.Select(n => (n.Node, n.Status)));
        Assert.Equal(["zz_no_road_project", "zz_no_transport_department"],
            three.Nodes.Where(n => n.Status == "fail").Select(n => n.Node).Order(StringComparer.Ordinal));
        Assert.Equal(one.Failures.Select(f => (f.TestName, f.FailureCount, string.Join("|", f.Rows))),
            three.Failures.Select(f => (f.TestName, f.FailureCount, string.Join("|", f.Rows))));
        Assert.Contains("M02", three.Failures.Single(f => f.TestName == "zz_no_road_project").Rows.Single());
    }

    public void Dispose() => _dir.Dispose();
}
