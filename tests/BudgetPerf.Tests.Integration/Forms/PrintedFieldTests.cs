using BudgetPerf.Etl.Reading.Forms;
using BudgetPerf.Etl.Templates;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;
using Dapper;

namespace BudgetPerf.Tests.Integration.Forms;

/// <summary>
/// What the printed forms carry beyond the flat tables is stored and reaches the marts the project page reads:
/// 是否偏差 (表2-2), the goal texts (年初设定目标 / 半年完成情况, 附件1 年度总体目标), 附件3's 调整后预期目标 / 工作任务 /
/// 时间安排, and 表1-2's 履职 block (重点工作 / 对应项目).
/// </summary>
[Collection(UntimedPostgresCollection.Name)]
public sealed class PrintedFieldTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private string Save(string name, FormLayout layout, FormFill fill, Action<SheetBuilder>? more = null) =>
        FormWarehouse.Save(_dir, name, layout, fill, more);

    private Task<WarehouseEngine> LoadAndBuildAsync(string engineName, params string[] files) =>
        FormWarehouse.LoadAndBuildAsync(engineName, _dir, postgres, files);

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Deviation_ticks_goal_texts_and_adjustment_plans_reach_the_project_page_marts(string engineName)
    {
        var monitoring = PrintedCorpus.College22();
        monitoring.Funds["资金总额"]["是否偏差"] = "是";
        monitoring.Indicators[0].Values["是否偏差"] = "是";   // 购置设备台数, yellow (r 80, 有可能)
        monitoring.Goals["半年完成情况"] = "已购置16台";
        var adjustment = PrintedCorpus.Annex3("购置设备台数");
        adjustment.Head["项目名称"] = "实训设备购置";
        adjustment.Head["填报单位"] = "219-常州纺织服装职业技术学院";
        adjustment.Head["项目产出"] = "购置设备36台";
        adjustment.Head["目标完成度"] = "90%";
        adjustment.Head["具体工作任务/工作量"] = "招标采购";
        adjustment.Head["计划时间安排"] = "2025年7月至10月";
        adjustment.Indicators[0] = new IndicatorFill("产出指标", "数量指标", "购置设备台数",
            new() { ["原指标"] = "≥20台", ["调整后指标"] = "≥18台" });
        var engine = await LoadAndBuildAsync(engineName,
            Save("表2-2.xlsx", FormLayouts.College22, monitoring), Save("附件3.xlsx", FormLayouts.Annex3, adjustment));
        await using var connection = await engine.OpenAsync();

        var code = await connection.ExecuteScalarAsync<string>("SELECT project_code FROM mart_project_deviation") ?? "";
        var tracking = (await new ProjectDrillQueries(engine).CorrectionTrackingAsync(DataScope.All, code, 2025)).Single(t => t.Level3 == "购置设备台数");
        Assert.Equal(("是", "申请调整目标", "产出：购置设备36台；目标完成度：90%；工作任务：招标采购；时间安排：2025年7月至10月"),
            (tracking.DeclaredDeviation, tracking.CorrectionStatus, tracking.AdjustedGoal));
        var goal = (await new ProjectDrillQueries(engine).GoalsAsync(DataScope.All, code, 2025)).Single();
        Assert.Equal(("监控", "1-6月", "目标 1: 购置实训设备40台", "已购置16台"), (goal.Stage, goal.Period, goal.AnnualGoal, goal.GoalProgress));
        // the derivation of 预算数 under the plan rule: r = 30 ÷ 40 × 100 = 75, as if 执行率 = 0.75 × 0.5 = 37.5%, 预算数 40 ÷ 0.5 = 80
        var total = (await new ProjectDrillQueries(engine).BudgetLinesAsync(DataScope.All, code, 2025, "1-6月")).Single(l => l.FundLine == "年度资金总额");
        Assert.Equal("是", total.DeviationFlag);
        Assert.Equal("计划执行数口径（表2-2 未列预算数，且无表2-1 申报）：r = 实际执行数 ÷ 计划执行数 × 100 = 30 ÷ 40 × 100 = 75；"
                     + "按 执行率 = r × 序时进度 = 37.5% 判断（预算数 = 计划执行数 ÷ 序时进度 = 40 ÷ 50% = 80），预警档次与偏差指数同一般项目",
            total.RuleText(0.5m));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_duty_block_of_a_department_monitoring_form_keeps_its_key_work_and_related_project(string engineName)
    {
        // 表1-2's 履职 block as printed: its own header row with 重点工作 / 对应项目 between 二级 and 三级
        string[] header = ["一级指标", "二级指标", "重点工作", "对应项目", "三级指标", "半年计划\n指标值", "半年实际\n执行值", "是否\n偏差", "完成目标可\n能性"];
        string[] first = ["履职", "职能 1", "招生宣传", "招生宣传经费", "录取人数", "≥500人", "520人", "否", "确定能"];
        string[] second = ["履职", "职能 1", "", "", "报到率", "≥95%", "96%", "否", "确定能"];   // 重点工作 merged down: blank here
        var file = Save("表1-2.xlsx", FormLayouts.College12, PrintedCorpus.College12(), sheet =>
        {
            for (var c = 0; c < header.Length; c++) sheet.Text(80, c, header[c]).Text(81, c, first[c]).Text(82, c, second[c] == "" ? null : second[c]);
        });
        var engine = await LoadAndBuildAsync(engineName, file);
        await using var connection = await engine.OpenAsync();

        var rows = (await connection.QueryAsync<(string Level3, string? KeyWork, string? RelatedProject, string? DeviationFlag)>(
            "SELECT level3, key_work, related_project, deviation_flag FROM stg_dept_monitoring_indicator WHERE level1 = '履职' ORDER BY source_row")).ToList();
        Assert.Equal([("录取人数", "招生宣传", "招生宣传经费", "否"), ("报到率", "招生宣传", "招生宣传经费", "否")], rows);
        // the two 履职 rows join the 31 pre-printed common indicators (预算执行率 filled by PrintedCorpus.College12) and its
        // 家长满意度: 31 + 1 + 2 = 34
        Assert.Equal(34L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM stg_dept_monitoring_indicator"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Pre_printed_common_indicators_left_unfilled_load_as_unreported_and_leave_the_index_alone(string engineName)
    {
        // 表2-2 as printed: its 11 common indicators (立项依据充分性 充分 … 制度执行有效性 有效) pre-printed with their 半年 targets,
        // the department filling only its own four (PrintedCorpus.College22)
        var engine = await LoadAndBuildAsync(engineName, Save("表2-2.xlsx", FormLayouts.College22, PrintedCorpus.College22()));
        await using var connection = await engine.OpenAsync();

        // loaded, not dropped: 11 + 4 rows; the 11 are 未填报 (grey, no shortfall), 预算执行率 with the 全年 100% 表2-1 prints
        Assert.Equal(15L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mart_indicator_derivation WHERE stage = '监控'"));
        Assert.Equal(11L, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM mart_indicator_derivation WHERE progress_rule_code = 'unreported' AND light = 'grey' AND shortfall IS NULL"));
        Assert.Equal(("100%", "序时进度"), (
            await connection.ExecuteScalarAsync<string>("SELECT annual_target FROM mart_indicator_derivation WHERE level3 = '预算执行率'"),
            await connection.ExecuteScalarAsync<string>("SELECT period_target FROM mart_indicator_derivation WHERE level3 = '资金到位率'")));
        // the index is the four filled indicators' as before: 12.5 + 50 × (0.2 + 0 + 0 + 0.2) / 4 = 17.5
        Assert.Equal(17.5m, await connection.ExecuteScalarAsync<decimal>("SELECT deviation_index FROM mart_project_deviation"));
    }

    public void Dispose() => _dir.Dispose();
}
