using BudgetPerf.Etl.Reading.Forms;
using BudgetPerf.Etl.Templates;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Tests.Integration.Forms;

/// <summary>
/// 表1-1 整体预算绩效目标申报表 (常纺院 预算绩效管理办法) loads as the department's declared budget and targets: a 表1-2
/// that prints no 预算数 is judged against the declared 全年预算数 (before the plan rule), and a department target that
/// differs from its declaration is counted in mart_department_ranking (第十条).
/// </summary>
[Collection(UntimedPostgresCollection.Name)]
public sealed class DepartmentDeclarationTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private string Save(string name, FormLayout layout, FormFill fill) => FormWarehouse.Save(_dir, name, layout, fill);

    private Task<WarehouseEngine> LoadAndBuildAsync(string engineName, params string[] files) =>
        FormWarehouse.LoadAndBuildAsync(engineName, _dir, postgres, files);

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_department_declaration_gives_its_monitoring_form_the_declared_budget_and_flags_a_changed_target(string engineName)
    {
        var engine = await LoadAndBuildAsync(engineName,
            Save("表1-1.xlsx", FormLayouts.College11, PrintedCorpus.College11()), Save("表1-2.xlsx", FormLayouts.College12, PrintedCorpus.College12()));
        await using var connection = await engine.OpenAsync();

        Assert.Equal(450m, await connection.ExecuteScalarAsync<decimal>(
            "SELECT annual_budget FROM stg_dept_declaration_fund WHERE department_code = '101' AND fund_line = '年度资金总额'"));
        Assert.Equal("目标 1: 完成年度重点任务", await connection.ExecuteScalarAsync<string>(
            "SELECT annual_goal FROM stg_dept_declaration_fund WHERE fund_line = '年度资金总额'"));
        // 表1-2: 资金总额 半年计划 200, 实际 180. Budget = declared 450 (not the plan rule's 200 / 0.5 = 400):
        // 执行率 180 / 450 = 0.4, r = 0.4 / 0.5 × 100 = 80 → green (execution bands: green r ≥ 80);
        // execution_deviation 50 × (0.5 − 0.4) / 0.5 = 10; indicators: 预算执行率 =50% / 45% → shortfall 0.1, 家长满意度 ≥90% / 92% → 0,
        // mean 0.05 → 2.5; 偏差指数 10 + 2.5 = 12.5
        var row = await connection.QuerySingleAsync<(string BudgetRule, decimal Budget, decimal ExecutionRate, decimal ExecutionProgress, decimal DeviationIndex, string ExecutionWarning, long ChangedTargetCount)>(
            "SELECT budget_rule, budget, execution_rate, execution_progress, deviation_index, execution_warning, CAST(changed_target_count AS BIGINT) FROM mart_department_ranking WHERE department_code = '101'");
        Assert.Equal(("declared", 450m, 0.4m, 80m, 12.5m, "green"), (row.BudgetRule, row.Budget, row.ExecutionRate, row.ExecutionProgress, row.DeviationIndex, row.ExecutionWarning));
        // 家长满意度: 表1-2 半年 ≥90% against the declared 半年 ≥95% → changed; 预算执行率 =50% as declared → not
        Assert.Equal(1L, row.ChangedTargetCount);
        Assert.Equal("≥95%", await connection.ExecuteScalarAsync<string>(
            "SELECT declared_target FROM fct_department_target_change WHERE level3 = '家长满意度' AND target_kind = '半年'"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Without_a_department_declaration_the_plan_rule_judges_the_monitoring_form(string engineName)
    {
        var engine = await LoadAndBuildAsync(engineName, Save("表1-2.xlsx", FormLayouts.College12, PrintedCorpus.College12()));
        await using var connection = await engine.OpenAsync();

        // budget = 200 / 0.5 = 400; 执行率 180 / 400 = 0.45, r 90; 偏差指数 5 + 2.5 = 7.5 (PrintedCorpus.College12)
        var row = await connection.QuerySingleAsync<(string BudgetRule, decimal Budget, decimal DeviationIndex, long ChangedTargetCount)>(
            "SELECT budget_rule, budget, deviation_index, CAST(changed_target_count AS BIGINT) FROM mart_department_ranking WHERE department_code = '101'");
        Assert.Equal(("plan", 400m, 7.5m, 0L), row);
    }

    public void Dispose() => _dir.Dispose();
}
