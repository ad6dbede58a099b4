using BudgetPerf.Etl.Reading.Forms;
using BudgetPerf.Etl.Templates;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Tests.Integration.Forms;

/// <summary>
/// The printed forms, filled with the hand-computed figures of <see cref="PrintedCorpus"/>, load on DuckDB and
/// PostgreSQL and reach the marts: lights and 偏差指数 (附件1), 纠偏跟踪 (附件2 / 附件3), scores and grades (表2-3-2, national 自评表).
/// </summary>
[Collection(UntimedPostgresCollection.Name)]
public sealed class PrintedFormMartTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private Task<WarehouseEngine> InitializedAsync(string engineName) => FormWarehouse.InitializedAsync(engineName, _dir, postgres);

    private string Save(string name, params (FormLayout Layout, FormFill Fill)[] sheets) => FormWarehouse.Save(_dir, name, sheets);

    private Task LoadAndBuildAsync(WarehouseEngine engine, params string[] files) => FormWarehouse.LoadAndBuildAsync(engine, _dir, files);

    private static async Task<T> OneAsync<T>(WarehouseEngine engine, string sql)
    {
        await using var connection = await engine.OpenAsync();
        return await connection.ExecuteScalarAsync<T>(sql) ?? throw new InvalidOperationException(sql);
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Annex1_as_printed_reaches_the_deviation_mart_with_the_hand_computed_index(string engineName)
    {
        var engine = await InitializedAsync(engineName);
        await LoadAndBuildAsync(engine, Save("附件1.xlsx", (FormLayouts.Annex1, PrintedCorpus.Annex1())));

        // 执行率 30 / 100 = 0.3; r = 0.3 / 0.5 × 100 = 60 → yellow; 偏差指数 20 + 50 × 0.1 = 25 (PrintedCorpus.Annex1)
        Assert.Equal(0.3m, await OneAsync<decimal>(engine, "SELECT execution_rate FROM mart_project_deviation"));
        Assert.Equal(60m, await OneAsync<decimal>(engine, "SELECT execution_progress FROM mart_project_deviation"));
        Assert.Equal("yellow", await OneAsync<string>(engine, "SELECT execution_warning FROM mart_project_deviation"));
        Assert.Equal(25m, await OneAsync<decimal>(engine, "SELECT deviation_index FROM mart_project_deviation"));
        Assert.Equal("yellow", await OneAsync<string>(engine, "SELECT warning FROM mart_project_deviation"));
        // 培训人次: 480 of 1200 × 0.5 = 600 → r 80, green band, 有可能 → yellow
        Assert.Equal(80m, await OneAsync<decimal>(engine, "SELECT progress_r FROM fct_indicator_progress WHERE level3 = '培训人次'"));
        Assert.Equal("yellow", await OneAsync<string>(engine, "SELECT light FROM fct_indicator_progress WHERE level3 = '培训人次'"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Annex2_and_annex3_as_printed_reach_the_correction_tracking(string engineName)
    {
        var engine = await InitializedAsync(engineName);
        await LoadAndBuildAsync(engine, Save("附件1.xlsx", (FormLayouts.Annex1, PrintedCorpus.Annex1())),
            Save("附件2.xlsx", (FormLayouts.Annex2, PrintedCorpus.Annex2())), Save("附件3.xlsx", (FormLayouts.Annex3, PrintedCorpus.Annex3())));

        // 培训人次 (yellow) has a Q2 纠偏表 with 改进措施和有关建议 → 已纠偏; 学员满意度 (green) has an 调整表 → 申请调整目标;
        // 培训合格率 (green, neither) is not tracked
        Assert.Equal(2L, Convert.ToInt64(await OneAsync<object>(engine, "SELECT COUNT(*) FROM mart_indicator_correction")));
        Assert.Equal("已纠偏", await OneAsync<string>(engine, "SELECT correction_status FROM mart_indicator_correction WHERE level3 = '培训人次'"));
        Assert.Equal("申请调整目标", await OneAsync<string>(engine, "SELECT correction_status FROM mart_indicator_correction WHERE level3 = '学员满意度'"));
        Assert.Equal(80m, await OneAsync<decimal>(engine, "SELECT adjusted_amount FROM raw_adjustment"));
    }

    [SkippableTheory]
    [InlineData("duckdb", "表2-3-2")]
    [InlineData("postgres", "表2-3-2")]
    [InlineData("duckdb", "财预〔2020〕10号")]
    [InlineData("postgres", "财预〔2020〕10号")]
    public async Task Self_evaluation_forms_as_printed_reach_the_grade_with_the_hand_computed_score(string engineName, string form)
    {
        var engine = await InitializedAsync(engineName);
        var (layout, fill) = form == "表2-3-2" ? (FormLayouts.College232, PrintedCorpus.College232()) : (FormLayouts.NationalSelfEvaluation, PrintedCorpus.National());
        await LoadAndBuildAsync(engine, Save($"{form}.xlsx", (layout, fill)));

        // 预算执行率 10 × 45 / 50 = 9; 购置设备台数 40 ≥ 40 → 40; 合格率 100 = 100 → 30; 满意度 20 × 81 / 90 = 18;
        // total 9 + 40 + 30 + 18 = 97 → 优; published 9 + 36 + 30 + 18 = 93; the 子项目 lines (27 + 18) never add to 45
        Assert.Equal(9m, await OneAsync<decimal>(engine, "SELECT budget_score FROM mart_project_grade"));
        Assert.Equal(97m, await OneAsync<decimal>(engine, "SELECT recomputed_score FROM mart_project_grade"));
        Assert.Equal(93m, await OneAsync<decimal>(engine, "SELECT published_score FROM mart_project_grade"));
        Assert.Equal("优", await OneAsync<string>(engine, "SELECT grade FROM mart_project_grade"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task College_22_without_a_budget_is_judged_against_its_plan(string engineName)
    {
        var engine = await InitializedAsync(engineName);
        await LoadAndBuildAsync(engine, Save("表2-2.xlsx", (FormLayouts.College22, PrintedCorpus.College22())));

        // r = 30 / 40 × 100 = 75 → yellow; 执行率 as if 0.75 × 0.5 = 0.375; 偏差指数 12.5 + 5 = 17.5 (PrintedCorpus.College22)
        Assert.Equal(75m, await OneAsync<decimal>(engine, "SELECT execution_progress FROM mart_project_deviation"));
        Assert.Equal(0.375m, await OneAsync<decimal>(engine, "SELECT execution_rate FROM mart_project_deviation"));
        Assert.Equal("yellow", await OneAsync<string>(engine, "SELECT execution_warning FROM mart_project_deviation"));
        Assert.Equal(17.5m, await OneAsync<decimal>(engine, "SELECT deviation_index FROM mart_project_deviation"));
        Assert.Equal("plan", await OneAsync<string>(engine, "SELECT budget_rule FROM fct_budget_execution WHERE fund_line = '年度资金总额'"));
        // 购置设备台数: the period target 20 as written (not 20 × 0.5): 16 / 20 → r 80; 有可能 → yellow
        Assert.Equal(20m, await OneAsync<decimal>(engine, "SELECT expected_value FROM fct_indicator_judgement WHERE level3 = '购置设备台数'"));
        Assert.Equal("yellow", await OneAsync<string>(engine, "SELECT light FROM fct_indicator_progress WHERE level3 = '购置设备台数'"));
        Assert.Equal("设备招标延后", await OneAsync<string>(engine, "SELECT cause_note FROM fct_indicator_progress WHERE level3 = '购置设备台数'"));
        // 219-常州纺织服装职业技术学院: the code and the name in one cell
        Assert.Equal("219", await OneAsync<string>(engine, "SELECT MIN(department_code) FROM raw_monitoring_fund"));
        Assert.Equal("常州纺织服装职业技术学院", await OneAsync<string>(engine, "SELECT MIN(department_name) FROM raw_monitoring_fund"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task College_department_forms_as_printed_reach_the_department_ranking_and_grade(string engineName)
    {
        var engine = await InitializedAsync(engineName);
        await LoadAndBuildAsync(engine, Save("表1-2.xlsx", (FormLayouts.College12, PrintedCorpus.College12())),
            Save("表1-3-2.xlsx", (FormLayouts.College132, PrintedCorpus.College132())));

        // 表1-2: r 180 / 200 × 100 = 90 → green; 偏差指数 5 + 2.5 = 7.5 (PrintedCorpus.College12)
        Assert.Equal(90m, await OneAsync<decimal>(engine, "SELECT execution_progress FROM mart_department_ranking WHERE department_code = '101'"));
        Assert.Equal("green", await OneAsync<string>(engine, "SELECT execution_warning FROM mart_department_ranking WHERE department_code = '101'"));
        Assert.Equal(7.5m, await OneAsync<decimal>(engine, "SELECT deviation_index FROM mart_department_ranking WHERE department_code = '101'"));
        // 表1-3-2: 9 + 50 + 32 = 91 → 优 (PrintedCorpus.College132)
        Assert.Equal(91m, await OneAsync<decimal>(engine, "SELECT recomputed_score FROM mart_department_grade WHERE department_code = '101'"));
        Assert.Equal("优", await OneAsync<string>(engine, "SELECT grade FROM mart_department_grade WHERE department_code = '101'"));
    }

    /// <summary>附件1's figures (<see cref="PrintedCorpus.Annex1"/>) in our own template (OfficialTemplates.Monitoring: row 3 names, row 6 年度资金总额, indicators from row 12).</summary>
    private string OurTemplate()
    {
        var xlsx = new XlsxBuilder();
        var s = xlsx.Sheet("项目");
        OfficialTemplates.Monitoring(s, 2025);
        s.Text(3, 1, PrintedCorpus.Project).Text(3, 8, PrintedCorpus.Department);
        s.Number(6, 1, 100m).Number(6, 4, 30m).Number(7, 1, 80m).Number(7, 4, 24m).Number(9, 1, 20m).Number(9, 4, 6m);
        string?[][] rows =
        [
            ["产出指标", "数量指标", "培训人次", "≥", "1200", "人次", null, "480", "1100", "经费保障；人员保障", null, "加快资金拨付", "有可能"],
            ["产出指标", "质量指标", "培训合格率", "≥", "95", "%", null, "96", "96", null, null, null, "确定能"],
            ["满意度指标", "服务对象满意度指标", "学员满意度", "≥", "90", "%", null, "81", null, null, null, null, "确定能", "问卷回收中"],
        ];
        for (var r = 0; r < rows.Length; r++)
            for (var c = 0; c < rows[r].Length; c++) s.Text(12 + r, c, rows[r][c]);
        var path = _dir.File("附件1_模板.xlsx");
        xlsx.Save(path);
        return path;
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_filled_template_and_the_printed_form_give_the_same_marts(string engineName)
    {
        const string Sql = "SELECT d.execution_rate, d.execution_progress, d.execution_warning, d.deviation_index, d.warning, " +
                           "(SELECT string_agg(p.level3 || ':' || p.light || ':' || cast(p.progress_r as varchar), ',' ORDER BY p.level3) FROM fct_indicator_progress p) AS lights " +
                           "FROM mart_project_deviation d";
        var printed = await InitializedAsync(engineName);
        await LoadAndBuildAsync(printed, Save("附件1.xlsx", (FormLayouts.Annex1, PrintedCorpus.Annex1())));
        await using var a = await printed.OpenAsync();
        var fromPrinted = await a.QuerySingleAsync<(decimal, decimal, string, decimal, string, string)>(Sql);

        var template = engineName == "duckdb" ? new BudgetPerf.Warehouse.Engines.DuckDb.DuckDbEngine(_dir.File("template.duckdb"))
            : await Engines.FreshAsync(engineName, _dir, postgres);
        await WarehouseSetup.InitAsync(template, _dir.File("target-template"));
        await LoadAndBuildAsync(template, OurTemplate());
        await using var b = await template.OpenAsync();
        var fromTemplate = await b.QuerySingleAsync<(decimal, decimal, string, decimal, string, string)>(Sql);

        Assert.Equal(fromPrinted, fromTemplate);
        Assert.Equal(25m, fromPrinted.Item4);   // PrintedCorpus.Annex1: 20 + 5
    }

    public void Dispose() => _dir.Dispose();
}
