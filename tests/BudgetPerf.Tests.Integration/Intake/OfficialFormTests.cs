using BudgetPerf.Etl.Loading;
using BudgetPerf.Etl.Templates;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration.Intake;

/// <summary>
/// The official form layouts, filled programmatically from the blank templates <c>budgetperf templates</c> writes,
/// load by their labels: one project per sheet, year from （2025年度）, period from 1-6月执行数, project matched on
/// (主管部门, 项目名称) or given a stable derived code.
/// </summary>
[Collection(UntimedPostgresCollection.Name)]
public sealed class OfficialFormTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private async Task<WarehouseEngine> InitializedAsync(string engineName)
    {
        var engine = await Engines.FreshAsync(engineName, _dir, postgres);
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        return engine;
    }

    private static async Task<T> OneAsync<T>(WarehouseEngine engine, string sql)
    {
        await using var connection = await engine.OpenAsync();
        return await connection.ExecuteScalarAsync<T>(sql) ?? throw new InvalidOperationException(sql);
    }

    private static async Task<long> CountAsync(WarehouseEngine engine, string table) =>
        Convert.ToInt64(await OneAsync<object>(engine, $"SELECT COUNT(*) FROM {table}"));

    /// <summary>附件1 for one project: name/department at row 3 (values at B and I), funds from row 6, indicators from row 12.</summary>
    private static void FillMonitoring(SheetBuilder s, string project, string department, decimal budget, decimal executed)
    {
        OfficialTemplates.Monitoring(s, 2025);
        s.Text(3, 1, project).Text(3, 8, department);
        s.Number(6, 1, budget).Number(6, 4, executed);            // 年度资金总额: 年初预算数, 1-6月执行数
        s.Number(7, 1, budget).Number(7, 4, executed);            // 其中：本年一般公共预算拨款
        string[][] indicators =
        [
            ["产出指标", "数量指标", "培训人次", "≥", "1200", "人次", null!, "500", "1100", "经费保障", "资金下达晚", "加快拨付", "有可能"],
            ["产出指标", "质量指标", "培训合格率", "≥", "95%", "%", null!, "96%", "96%", null!, null!, null!, "确定能"],
            ["满意度指标", "服务对象满意度指标", "学员满意度", "≥", "90%", "%", null!, "92%", "92%", null!, null!, null!, "确定能"],
        ];
        for (var r = 0; r < indicators.Length; r++)
            for (var c = 0; c < indicators[r].Length; c++) s.Text(12 + r, c, indicators[r][c]);
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_filled_monitoring_form_with_two_project_sheets_loads(string engineName)
    {
        var engine = await InitializedAsync(engineName);
        var xlsx = new XlsxBuilder();
        FillMonitoring(xlsx.Sheet("培训项目"), "教师培训经费", "教育局", 100m, 30.5m);
        FillMonitoring(xlsx.Sheet("校舍项目"), "校舍维修经费", "教育局", 200m, 120.25m);
        var file = _dir.File("附件1.xlsx");
        xlsx.Save(file);

        var result = await new SubmissionLoader(engine).LoadFileAsync(file);

        Assert.True(result.Status == LoadStatus.Loaded, string.Join("\n", result.Issues));
        // 2 sheets × (年度资金总额 + 本年一般公共预算拨款) fund rows and 3 indicators; the empty printed lines are skipped
        Assert.Equal(4, await CountAsync(engine, "raw_monitoring_fund"));
        Assert.Equal(6, await CountAsync(engine, "raw_monitoring_indicator"));
        Assert.Equal(2025, await OneAsync<int>(engine, "SELECT MIN(fiscal_year) FROM raw_monitoring_fund"));
        Assert.Equal("1-6月", await OneAsync<string>(engine, "SELECT MIN(period) FROM raw_monitoring_indicator"));
        Assert.Equal(120.25m, await OneAsync<decimal>(engine,
            "SELECT executed FROM raw_monitoring_fund WHERE project_name = '校舍维修经费' AND fund_line = '年度资金总额'"));
        Assert.Equal("经费保障", await OneAsync<string>(engine,
            "SELECT deviation_causes FROM raw_monitoring_indicator WHERE level3 = '培训人次' AND project_code LIKE 'X%' LIMIT 1"));
        // the stable derived code: X + 10 hex of SHA-256("教育局|教师培训经费"), the same every time
        var code = await OneAsync<string>(engine, "SELECT project_code FROM raw_monitoring_fund WHERE project_name = '教师培训经费' LIMIT 1");
        Assert.Matches("^X[0-9A-F]{10}$", code);
        Assert.Equal(3, Convert.ToInt64(await OneAsync<object>(engine,
            $"SELECT COUNT(*) FROM raw_monitoring_indicator WHERE project_code = '{code}'")));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_form_project_is_matched_on_department_and_name(string engineName)
    {
        var engine = await InitializedAsync(engineName);
        var loader = new SubmissionLoader(engine);
        await loader.LoadFileAsync(_dir.Write("projects.csv", "项目编码,项目名称,主管部门编码,主管部门\nP9,教师培训经费,101,教育局\n"));
        var xlsx = new XlsxBuilder();
        FillMonitoring(xlsx.Sheet("项目"), "教师培训经费", "教育局", 100m, 30m);
        var file = _dir.File("附件1.xlsx");
        xlsx.Save(file);

        var result = await loader.LoadFileAsync(file);

        Assert.True(result.Status == LoadStatus.Loaded, string.Join("\n", result.Issues));
        Assert.Equal("P9", await OneAsync<string>(engine, "SELECT MIN(project_code) FROM raw_monitoring_indicator"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_college_form_takes_its_period_from_the_column_labels(string engineName)
    {
        var engine = await InitializedAsync(engineName);
        var xlsx = new XlsxBuilder();
        var s = xlsx.Sheet("项目");
        OfficialTemplates.CollegeMonitoring(s, 2024);
        s.Text(3, 1, "实训设备购置").Text(3, 8, "常州纺织服装职业技术学院");
        s.Number(6, 1, 80m).Number(6, 3, 50m);   // 年初预算数, 1-7月执行数
        string[] row = ["产出指标", "数量指标", "购置设备台数", "≥", "40", "台", null!, "25", "40", null!, null!, null!, "确定能"];
        for (var c = 0; c < row.Length; c++) s.Text(12, c, row[c]);
        var file = _dir.File("表2-2.xlsx");
        xlsx.Save(file);

        var result = await new SubmissionLoader(engine).LoadFileAsync(file);

        Assert.True(result.Status == LoadStatus.Loaded, string.Join("\n", result.Issues));
        Assert.Equal("1-7月", await OneAsync<string>(engine, "SELECT MIN(period) FROM raw_monitoring_fund"));
        Assert.Equal(2024, await OneAsync<int>(engine, "SELECT MIN(fiscal_year) FROM raw_monitoring_indicator"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Correction_and_adjustment_forms_load(string engineName)
    {
        var engine = await InitializedAsync(engineName);
        var xlsx = new XlsxBuilder();
        var c = xlsx.Sheet("纠偏");
        OfficialTemplates.Correction(c, 2025);
        c.Text(3, 1, "教师培训经费").Text(3, 5, "教育局").Text(4, 1, "Q2");
        string[] correction = ["产出指标", "数量指标", "培训人次", "1200人次", "600人次", "500人次", "-16.7%", "资金下达晚", "加快拨付"];
        for (var k = 0; k < correction.Length; k++) c.Text(12, k, correction[k]);
        var a = xlsx.Sheet("调整");
        OfficialTemplates.Adjustment(a, 2025);
        a.Text(3, 1, "教师培训经费").Text(3, 4, "教育局").Number(4, 1, 100m).Number(4, 4, 80m).Text(5, 1, "上级政策调整，培训规模缩减");
        string[] adjustment = ["产出指标", "数量指标", "培训人次", "≥1200人次", "≥1000人次", "按实际参训人次计"];
        for (var k = 0; k < adjustment.Length; k++) a.Text(12, k, adjustment[k]);
        var file = _dir.File("附件2与附件3.xlsx");
        xlsx.Save(file);

        var result = await new SubmissionLoader(engine).LoadFileAsync(file);

        Assert.True(result.Status == LoadStatus.Loaded, string.Join("\n", result.Issues));
        Assert.Equal("Q2", await OneAsync<string>(engine, "SELECT quarter FROM raw_correction"));
        Assert.Equal(80m, await OneAsync<decimal>(engine, "SELECT adjusted_amount FROM raw_adjustment"));
        Assert.Equal("上级政策调整，培训规模缩减", await OneAsync<string>(engine, "SELECT reason FROM raw_adjustment"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Check_box_columns_and_vertically_merged_levels_are_read(string engineName)
    {
        var engine = await InitializedAsync(engineName);
        var xlsx = new XlsxBuilder();
        var s = xlsx.Sheet("项目");
        s.Text(1, 0, "项目支出绩效监控情况表").Merge(1, 0, 1, 13);
        s.Text(2, 0, "（2025年度）").Merge(2, 0, 2, 13);
        s.Text(3, 0, "项目名称").Text(3, 1, "教师培训经费").Text(3, 4, "主管部门").Text(3, 5, "教育局");
        s.Text(5, 0, "资金类别").Text(5, 1, "年初预算数").Text(5, 2, "1-6月执行数");
        s.Text(6, 0, "年度资金总额").Number(6, 1, 100m).Number(6, 2, 40m);
        // a two-row header: 偏差原因 over five ticked columns (D..H), 完成目标可能性 over three (I..K)
        s.Text(8, 0, "一级指标").Merge(8, 0, 9, 0).Text(8, 1, "二级指标").Merge(8, 1, 9, 1).Text(8, 2, "三级指标").Merge(8, 2, 9, 2);
        s.Text(8, 3, "偏差原因").Merge(8, 3, 8, 7).Text(8, 8, "完成目标可能性").Merge(8, 8, 8, 10);
        s.Text(8, 11, "年度指标值").Merge(8, 11, 9, 11).Text(8, 12, "1-6月执行情况").Merge(8, 12, 9, 12);
        string[] causes = ["经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"];
        for (var k = 0; k < 5; k++) s.Text(9, 3 + k, causes[k]);
        string[] possibilities = ["确定能", "有可能", "完全不可能"];
        for (var k = 0; k < 3; k++) s.Text(9, 8 + k, possibilities[k]);
        s.Text(10, 0, "产出指标").Merge(10, 0, 11, 0);     // 一级指标 merged over both indicator rows
        s.Text(10, 1, "数量指标").Text(10, 2, "培训人次").Text(10, 3, "√").Text(10, 5, "✔").Text(10, 9, "☑").Text(10, 11, "≥1200人次").Text(10, 12, "500");
        s.Text(11, 1, "质量指标").Text(11, 2, "培训合格率").Text(11, 8, "是").Text(11, 11, "≥95%").Text(11, 12, "96%");
        var file = _dir.File("勾选.xlsx");
        xlsx.Save(file);

        var result = await new SubmissionLoader(engine).LoadFileAsync(file);

        Assert.True(result.Status == LoadStatus.Loaded, string.Join("\n", result.Issues));
        await using var connection = await engine.OpenAsync();
        var rows = (await connection.QueryAsync<(string, string, string?, string)>(
            "SELECT level1, level3, deviation_causes, possibility FROM raw_monitoring_indicator ORDER BY source_row")).ToList();
        Assert.Equal(("产出指标", "培训人次", "经费保障；人员保障", "有可能"), rows[0]);
        Assert.Equal(("产出指标", "培训合格率", null, "确定能"), rows[1]);
    }

    [SkippableTheory]
    [InlineData("duckdb", false)]
    [InlineData("postgres", false)]
    [InlineData("duckdb", true)]
    public async Task The_langfang_case_loads_from_a_self_evaluation_form(string engineName, bool zeroTotal)
    {
        var engine = await InitializedAsync(engineName);
        var xlsx = new XlsxBuilder();
        var s = xlsx.Sheet("暖通改造");
        OfficialTemplates.SelfEvaluation(s, 2019);
        s.Text(3, 1, "办公宿舍楼、食堂及餐厅暖通改造经费").Text(3, 6, "廊坊市食品工程学校");
        // 年度资金总额 43.2 / 43.2 / 37.24, 分值 10, 得分 9 — or, in the zero variant, a total line left at 0
        // while the detail line (本年一般公共预算拨款) carries the money: the models use the detail sum.
        var total = zeroTotal ? 0m : 43.2m;
        s.Number(6, 1, total).Number(6, 2, total).Number(6, 3, zeroTotal ? 0m : 37.24m).Number(6, 4, 10m).Number(6, 5, 9m);
        s.Number(7, 1, 43.2m).Number(7, 2, 43.2m).Number(7, 3, 37.24m);
        string[] names = ["工程完工率", "工程验收合格率", "项目完成及时率", "成本控制率", "安全率", "学校发展能力", "长期使用性", "学生满意度"];
        s.Text(12, 0, "产出指标").Text(12, 1, "数量指标").Text(12, 2, "工程资金金额").Number(12, 4, 43.2m).Text(12, 5, "万元")
            .Number(12, 6, 37.24m).Number(12, 7, 10m).Number(12, 8, 9m);
        for (var i = 0; i < names.Length; i++)
            s.Text(13 + i, 0, i < 4 ? "产出指标" : i < 7 ? "效益指标" : "满意度指标").Text(13 + i, 1, "质量指标").Text(13 + i, 2, names[i])
                .Number(13 + i, 4, 100m).Number(13 + i, 6, 100m).Number(13 + i, 7, 10m).Number(13 + i, 8, 10m);
        var file = _dir.File("廊坊自评.xlsx");
        xlsx.Save(file);

        var result = await new SubmissionLoader(engine).LoadFileAsync(file);

        Assert.True(result.Status == LoadStatus.Loaded, string.Join("\n", result.Issues));
        Assert.Equal(zeroTotal, result.Issues.Any(i => i.Message.Contains("按明细合计计算")));
        Assert.Equal(9, await CountAsync(engine, "raw_selfeval_indicator"));
        var build = await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") });
        Assert.True(build.Success, string.Join("\n", build.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}")));
        // 10 × 37.24 / 43.2 = 8.6203… → 8.62 for 预算执行率 and for 工程资金金额; 8.62 + 8.62 + 8 × 10 = 97.24; published 9 + 9 + 80 = 98
        Assert.Equal(8.62m, await OneAsync<decimal>(engine, "SELECT budget_score FROM mart_project_grade"));
        Assert.Equal(97.24m, await OneAsync<decimal>(engine, "SELECT recomputed_score FROM mart_project_grade"));
        Assert.Equal(98m, await OneAsync<decimal>(engine, "SELECT published_score FROM mart_project_grade"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Filled_department_forms_load_into_the_department_tables(string engineName)
    {
        var engine = await InitializedAsync(engineName);
        var monitoring = new XlsxBuilder();
        var m = monitoring.Sheet("教育局");
        OfficialTemplates.DepartmentMonitoring(m, 2025);
        m.Text(3, 1, "教育局").Text(3, 8, "101");                 // 部门名称 | 部门编码 (width 14: values at B and I)
        m.Number(6, 1, 500m).Number(6, 4, 210.5m);               // 年度资金总额: 年初预算数, 1-6月执行数
        m.Number(7, 1, 450m).Number(7, 4, 200m);                 // 其中：本年一般公共预算拨款
        string[][] monitored =
        [
            ["履职效能", "重点工作完成率", "年度重点任务完成率", "≥", "95%", "%", null!, "50%", "48%", "制度保障", "部分任务下半年实施", null!, "有可能"],
            ["满意度", "服务对象满意度", "家长满意度", "≥", "90%", "%", null!, "90%", "92%", null!, null!, null!, "确定能"],
        ];
        for (var r = 0; r < monitored.Length; r++)
            for (var c = 0; c < monitored[r].Length; c++) m.Text(12 + r, c, monitored[r][c]);
        var monitoringFile = _dir.File("表1-2.xlsx");
        monitoring.Save(monitoringFile);

        var selfEvaluation = new XlsxBuilder();
        var e = selfEvaluation.Sheet("教育局");
        OfficialTemplates.DepartmentSelfEvaluation(e, 2025);
        e.Text(3, 1, "教育局").Text(3, 6, "101");                 // width 10: values at B and G
        e.Number(6, 1, 500m).Number(6, 2, 520m).Number(6, 3, 498.6m).Number(6, 4, 10m).Number(6, 5, 9.5m);
        // 分值 10 + 10 + 40 + 20 + 10 = 90, with 预算执行率 10 on the 年度资金总额 line: 100
        (string L1, string L2, string L3, decimal Weight)[] evaluated =
        [
            ("决策", "目标设定", "绩效目标合理性", 10m), ("过程", "预算执行", "资金使用合规性", 10m),
            ("履职效能", "重点工作完成", "年度重点任务完成率", 40m), ("效益", "社会效益", "义务教育巩固率", 20m),
            ("满意度", "服务对象满意度", "家长满意度", 10m),
        ];
        for (var i = 0; i < evaluated.Length; i++)
            e.Text(12 + i, 0, evaluated[i].L1).Text(12 + i, 1, evaluated[i].L2).Text(12 + i, 2, evaluated[i].L3).Text(12 + i, 3, "≥")
                .Text(12 + i, 4, "95%").Text(12 + i, 5, "%").Text(12 + i, 6, "96%").Number(12 + i, 7, evaluated[i].Weight)
                .Number(12 + i, 8, evaluated[i].Weight);
        var selfEvaluationFile = _dir.File("表1-3-2.xlsx");
        selfEvaluation.Save(selfEvaluationFile);

        var loader = new SubmissionLoader(engine);
        var monitored1 = await loader.LoadFileAsync(monitoringFile);
        var evaluated1 = await loader.LoadFileAsync(selfEvaluationFile);

        Assert.True(monitored1.Status == LoadStatus.Loaded, string.Join("\n", monitored1.Issues));
        Assert.True(evaluated1.Status == LoadStatus.Loaded, string.Join("\n", evaluated1.Issues));
        Assert.Equal("dept_monitoring_fund+dept_monitoring_indicator", monitored1.Kind);
        Assert.Equal("dept_selfeval_fund+dept_selfeval_indicator", evaluated1.Kind);
        Assert.Equal(2, await CountAsync(engine, "raw_dept_monitoring_fund"));
        Assert.Equal(2, await CountAsync(engine, "raw_dept_monitoring_indicator"));
        Assert.Equal(1, await CountAsync(engine, "raw_dept_selfeval_fund"));   // the printed detail lines left blank are skipped
        Assert.Equal(5, await CountAsync(engine, "raw_dept_selfeval_indicator"));
        Assert.Equal(210.5m, await OneAsync<decimal>(engine,
            "SELECT executed FROM raw_dept_monitoring_fund WHERE department_code = '101' AND fund_line = '年度资金总额'"));
        Assert.Equal("教育局", await OneAsync<string>(engine, "SELECT MIN(department_name) FROM raw_dept_selfeval_fund"));
        Assert.Equal("1-6月", await OneAsync<string>(engine, "SELECT MIN(period) FROM raw_dept_monitoring_indicator"));
        Assert.Equal("制度保障", await OneAsync<string>(engine,
            "SELECT deviation_causes FROM raw_dept_monitoring_indicator WHERE level3 = '年度重点任务完成率'"));
        Assert.Equal(90m, await OneAsync<decimal>(engine, "SELECT SUM(weight) FROM raw_dept_selfeval_indicator WHERE department_code = '101'"));
        // the 指标值 parser reads ≥95% / 96% in percent points, as for the project forms
        Assert.Equal(95m, await OneAsync<decimal>(engine, "SELECT MIN(target_value) FROM raw_dept_selfeval_indicator"));
        Assert.Equal(96m, await OneAsync<decimal>(engine, "SELECT MIN(actual_value) FROM raw_dept_selfeval_indicator"));
    }

    [Fact]
    public void The_templates_include_the_department_forms()
    {
        var written = OfficialTemplates.WriteAll(_dir.File("templates"), 2025).Select(Path.GetFileName).ToList();

        Assert.Contains("表1-2_部门整体支出绩效监控情况表.xlsx", written);
        Assert.Contains("表1-3-2_部门整体支出绩效自评表.xlsx", written);
        // blank, they are still recognised as department forms: no block has a row, so nothing is read
        using var file = BudgetPerf.Etl.Reading.SubmissionSources.Open(_dir.File("templates/表1-2_部门整体支出绩效监控情况表.xlsx"));
        Assert.Equal(["dept_monitoring_fund", "dept_monitoring_indicator"],
            file.Parts.Select(p => ((BudgetPerf.Etl.Reading.IKnownKind)p).Kind.Code).ToArray());
        Assert.All(file.Parts, p => Assert.Empty(p.Rows()));
    }

    [Fact]
    public void The_templates_include_every_printed_layout_and_each_reads_back_as_its_form()
    {
        var written = OfficialTemplates.WriteAll(_dir.File("templates"), 2025);

        foreach (var layout in BudgetPerf.Etl.Reading.Forms.FormLayouts.All)
        {
            var path = Assert.Single(written, p => Path.GetFileName(p) == $"办法表样_{layout.Id}_{layout.Title}.xlsx");
            using var file = BudgetPerf.Etl.Reading.SubmissionSources.Open(path);
            var sheet = Assert.Single(file.Explanations);
            Assert.StartsWith(layout.Id + " ", sheet.Form);                   // recognised as the layout it was printed from
            Assert.NotEmpty(sheet.Blocks);                                    // its blocks found by their captions
            // blank: every skeleton row skipped; only the common indicators the form pre-prints with their targets are read
            // (立项依据充分性 充分 …, 表2-1 / 表2-2: 11, 表1-1 / 表1-2: 31), to load as 未填报
            Assert.All(file.Parts, p => Assert.Equal(
                p is BudgetPerf.Etl.Reading.IKnownKind { Kind.Code: var code } && code.EndsWith("indicator", StringComparison.Ordinal)
                    ? layout.Indicators.Common?.Length ?? 0 : 0,
                p.Rows().Count()));
        }
    }

    public void Dispose() => _dir.Dispose();
}
