using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Scenarios;
using BudgetPerf.Warehouse.Security;
using Dapper;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Scenarios;

/// <summary>
/// 预算安排模拟 (issue 17 item 2): sql/queries/what_if_allocation.sql over a hand-made year, on both engines — the policy
/// side matches /grades' 合计 line, a scenario moves the department totals by the hand-computed amount, and saving
/// one is audited and leaves the policy in force (policy_current, policy_override, mart_cut_candidates) unchanged.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WhatIfAllocationTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    // 2025, policy in force = the seed (中 −10%, 差 −30%, 优/良 0%, 执行率 < 0.8 削减):
    //   A01 教育局 budget 100, executed 90 → 10 × 0.9 = 9; 质量 60 of 100 → 90 × 0.6 = 54; 63 → 中 → −10% × 100 = −10
    //   A02 教育局 budget 50, executed 20 → 10 × 0.4 = 4; 质量 0 → 0; 4 → 差 (and 执行率 0.4 < 0.8) → −30% × 50 = −15
    //   B01 交通局 budget 80, executed 80 → 10; 质量 100 of 100 → 90; 100 → 优 → 优先保障 0% → 0
    //   policy: 教育局 150 − 25 = 125; 交通局 80 + 0 = 80; total 230 − 25 = 205
    private Task<WarehouseEngine> BuiltAsync(string engineName) => HandMade.BuildAsync(engineName, _dir, postgres,
        ("fund.csv", FundHeader + "2025,A01,义务教育课后服务补助,101,教育局,年度资金总额,100,100,90,10,9\n"
                                + "2025,A02,校舍维修改造经费,101,教育局,年度资金总额,50,50,20,10,4\n"
                                + "2025,B01,农村公路养护,102,交通局,年度资金总额,80,80,80,10,10\n"),
        ("ind.csv", IndicatorHeader + "2025,A01,产出指标,质量指标,课后服务覆盖率,≥,100,%,60,90,54\n"
                                    + "2025,A02,产出指标,质量指标,维修验收合格率,≥,100,%,0,90,0\n"
                                    + "2025,B01,产出指标,质量指标,养护合格率,≥,100,%,100,90,90\n"));

    private static AllocationScenario Policy(string name) => new()
    {
        Name = name, FiscalYear = 2025, SupportedChangePct = 0, MidChangePct = -10, PoorChangePct = -30, AgainChangePct = -30,
        ExecutionMin = 0.8m, RecoverYears = 2,
    };

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_poor_cut_of_fifty_percent_and_a_five_percent_uplift_move_the_totals_by_the_hand_computed_amounts(string engineName)
    {
        var engine = await BuiltAsync(engineName);
        var store = new ScenarioStore(engine);
        var scenario = Policy("差削减50%、优良上调5%");
        scenario.PoorChangePct = -50;
        scenario.SupportedChangePct = 5;
        var id = await store.SaveAsync(scenario, "caizheng");

        var lines = await new WhatIfQueries(engine).CompareAsync(DataScope.All, 2025, id);

        // policy: as /grades' 合计 line (−25 for 教育局), allocations 125 / 80 / 205
        var net = (await new GradeQueries(engine).AllocationAsync(DataScope.All, 2025)).Single(l => l.DepartmentCode == "101" && l.Flag == GradeQueries.NetFlag);
        Assert.Equal(-25m, net.SuggestedChange);
        Assert.Equal((150m, -25m, 125m), Department(lines, 0, "101"));
        Assert.Equal((80m, 0m, 80m), Department(lines, 0, "102"));
        Assert.Equal((230m, -25m, 205m), Total(lines, 0));
        // scenario: A02 −50% × 50 = −25, A01 −10 → 教育局 150 − 35 = 115 (−10 against the policy: 50 × (−50% + 30%));
        //           B01 +5% × 80 = +4 → 交通局 84; total 230 − 35 + 4 = 199 (−6 against 205)
        Assert.Equal((150m, -35m, 115m), Department(lines, id, "101"));
        Assert.Equal((80m, 4m, 84m), Department(lines, id, "102"));
        Assert.Equal((230m, -31m, 199m), Total(lines, id));
        // the waterfall's steps (scope total by rule): 削减/取消 −25, 从紧安排 −10, 优先保障 +4 sum to −31
        var steps = lines.Where(l => l.Side == id && l.IsScopeTotal == 1 && l.IsRuleTotal == 0).ToDictionary(l => l.Flag!, l => l.Change);
        Assert.Equal(-25m, steps["削减/取消"]);
        Assert.Equal(-10m, steps["从紧安排"]);
        Assert.Equal(4m, steps["优先保障"]);
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_scenario_with_the_policy_values_equals_the_policy_and_saving_it_leaves_the_policy_in_force_unchanged(string engineName)
    {
        var engine = await BuiltAsync(engineName);
        var before = await SnapshotAsync(engine);

        // 差 → −30% is the seed's own grade_poor_change_pct: the scenario moves nothing (教育局 125, total 205)
        var id = await new ScenarioStore(engine).SaveAsync(Policy("差 −30%"), "caizheng");
        var lines = await new WhatIfQueries(engine).CompareAsync(DataScope.All, 2025, id);
        Assert.Equal((150m, -25m, 125m), Department(lines, id, "101"));
        Assert.Equal(Total(lines, 0), Total(lines, id));

        Assert.Equal(before, await SnapshotAsync(engine));
        await using var connection = await engine.OpenAsync();
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT CAST(COUNT(*) AS BIGINT) FROM policy_override"));
        var audit = (await connection.QueryAsync<(string, string, string)>(
            "SELECT user_name, action, detail FROM audit_log WHERE action LIKE 'scenario.%'")).Single();
        Assert.Equal(("caizheng", "scenario.save"), (audit.Item1, audit.Item2));
        Assert.Contains("差 -30%", audit.Item3);
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Two_scenarios_compare_side_by_side_and_a_department_scope_sees_only_its_department(string engineName)
    {
        var engine = await BuiltAsync(engineName);
        var store = new ScenarioStore(engine);
        var mild = Policy("中 −20%");
        mild.MidChangePct = -20;
        var a = await store.SaveAsync(mild, "lingdao");
        var b = await store.SaveAsync(Policy("现行"), "caizheng");

        var lines = await new WhatIfQueries(engine).CompareAsync(DataScope.Of(["101"]), 2025, a, b);

        // 中 −20%: A01 −20, A02 −15 → 教育局 150 − 35 = 115; scenario b = the policy: 125; 交通局 is out of scope
        Assert.Equal((150m, -35m, 115m), Department(lines, a, "101"));
        Assert.Equal((150m, -25m, 125m), Department(lines, b, "101"));
        Assert.Equal((150m, -35m, 115m), Total(lines, a));
        Assert.DoesNotContain(lines, l => l.DepartmentCode == "102");

        Assert.True(await store.DeleteAsync(a, "lingdao"));
        Assert.Equal([b], (await store.ListAsync()).Select(s => s.ScenarioId));
    }

    private static (decimal?, decimal?, decimal?) Department(IReadOnlyList<WhatIfLine> lines, long side, string department) =>
        lines.Where(l => l.Side == side && l.DepartmentCode == department && l.IsRuleTotal == 1 && l.IsScopeTotal == 0)
            .Select(l => (l.Budget, l.Change, l.Allocation)).Single();

    private static (decimal?, decimal?, decimal?) Total(IReadOnlyList<WhatIfLine> lines, long side) =>
        lines.Where(l => l.Side == side && l.IsScopeTotal == 1 && l.IsRuleTotal == 1).Select(l => (l.Budget, l.Change, l.Allocation)).Single();

    private static async Task<string> SnapshotAsync(WarehouseEngine engine)
    {
        await using var connection = await engine.OpenAsync();
        var policy = await connection.QueryAsync<(string, string)>("SELECT setting, value FROM policy_current ORDER BY setting");
        var cuts = await connection.QueryAsync<(string, string, decimal?)>(
            "SELECT project_code, flag, suggested_change_pct FROM mart_cut_candidates ORDER BY project_code, flag");
        return string.Join(";", policy) + "|" + string.Join(";", cuts);
    }

    public void Dispose() => _dir.Dispose();
}
