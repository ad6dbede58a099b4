using BudgetPerf.Etl.Reading.Forms;
using BudgetPerf.Etl.Templates;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Dashboard.Reports;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;
using Dapper;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace BudgetPerf.Tests.Integration.Forms;

/// <summary>
/// 表2-1 declarations: the declared 全年预算数 is the budget of a 表2-2 that prints none (before the plan rule), and a
/// target changed from the declared one without an 调整表 is flagged 目标未经调整即变更 — the same change with one is not.
/// </summary>
[Collection(UntimedPostgresCollection.Name)]
public sealed class DeclaredTargetTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private string Save(string name, FormLayout layout, FormFill fill) => FormWarehouse.Save(_dir, name, layout, fill);

    private Task<WarehouseEngine> LoadAndBuildAsync(string engineName, params string[] files) =>
        FormWarehouse.LoadAndBuildAsync(engineName, _dir, postgres, files);

    private string ChangedMonitoring()
    {
        var fill = PrintedCorpus.College22();
        fill.Indicators[3].Values["期间指标值"] = "≥85%";   // 师生满意度: declared ≥90% for the half year
        return Save("表2-2.xlsx", FormLayouts.College22, fill);
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_declared_budget_judges_the_plan_only_form_and_an_unadjusted_target_change_is_flagged(string engineName)
    {
        var engine = await LoadAndBuildAsync(engineName, Save("表2-1.xlsx", FormLayouts.College21, PrintedCorpus.College21()), ChangedMonitoring());
        await using var connection = await engine.OpenAsync();

        // budget = declared 全年预算数 100 (not 40 / 0.5): 执行率 30 / 100 = 0.3, r = 0.3 / 0.5 × 100 = 60;
        // 偏差指数 50 × (0.5 − 0.3) / 0.5 = 20 + 50 × mean shortfall (0.2 + 0 + 0.2 + 0) / 4 = 5 → 25
        Assert.Equal("declared", await connection.ExecuteScalarAsync<string>("SELECT budget_rule FROM fct_budget_execution WHERE fund_line = '年度资金总额'"));
        Assert.Equal(60m, await connection.ExecuteScalarAsync<decimal>("SELECT execution_progress FROM mart_project_deviation"));
        Assert.Equal(25m, await connection.ExecuteScalarAsync<decimal>("SELECT deviation_index FROM mart_project_deviation"));
        // 师生满意度 半年 ≥85% against the declared ≥90%, no 调整表 → one flag citing 第十条; the three unchanged are not flagged
        var reason = await connection.ExecuteScalarAsync<string>("SELECT reason FROM mart_cut_candidates WHERE flag = '目标未经调整即变更'");
        Assert.Contains("「师生满意度」半年目标 ≥85%，申报为 ≥90%", reason);
        // the citation is the rule's (rule_citation flag.target_changed → cfy-10), rendered from the regulation seed
        Assert.Equal("《常州纺织服装职业技术学院预算绩效管理办法》第十条",
            await connection.ExecuteScalarAsync<string>("SELECT basis FROM mart_cut_candidates WHERE flag = '目标未经调整即变更'"));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM fct_target_change"));

        // the project page's derivation of 预算数: the declared rule with its figures (执行率 30 ÷ 100 = 30%)
        var total = (await new ProjectDrillQueries(engine).BudgetLinesAsync(DataScope.All,
            await connection.ExecuteScalarAsync<string>("SELECT project_code FROM mart_project_deviation") ?? "", 2025, "1-6月"))
            .Single(l => l.FundLine == "年度资金总额");
        Assert.Equal("申报预算口径：监控表未列预算数，采用表2-1 申报的全年预算数 100 万元；执行率 = 执行数 ÷ 申报预算数 = 30 ÷ 100 = 30%",
            total.RuleText(0.5m));

        // the department report (部门 219, the project green-lit or not) lists the change in its section 四 with 第十条
        var report = await ReportFiles.BuildAsync(engine, ReportRequest.ForDepartment("219", 2025, "1-6月", ReportKind.Monitoring));
        using var doc = WordprocessingDocument.Open(new MemoryStream(report!.Content), false);
        var text = doc.MainDocumentPart!.Document!.Body!.Descendants<Paragraph>().Select(p => p.InnerText).ToList();
        var heading = text.IndexOf("四、绩效目标未经调整即变更情况");
        Assert.True(heading > 0, string.Join("\n", text));
        Assert.StartsWith("实训设备购置：", text[heading + 2]);
        Assert.Contains("「师生满意度」半年目标 ≥85%，申报为 ≥90%", text[heading + 2]);
        Assert.Contains("第十条", text[heading + 2]);
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_same_target_change_with_an_adjustment_form_is_not_flagged(string engineName)
    {
        var adjustment = PrintedCorpus.Annex3("师生满意度");
        adjustment.Head["项目名称"] = "实训设备购置";
        adjustment.Head["填报单位"] = "常州纺织服装职业技术学院";
        adjustment.Indicators[0] = adjustment.Indicators[0] with { Level1 = "满意度指标" };
        var engine = await LoadAndBuildAsync(engineName, Save("表2-1.xlsx", FormLayouts.College21, PrintedCorpus.College21()), ChangedMonitoring(),
            Save("附件3.xlsx", FormLayouts.Annex3, adjustment));
        await using var connection = await engine.OpenAsync();

        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM fct_target_change"));
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM mart_cut_candidates WHERE flag = '目标未经调整即变更'"));
    }

    public void Dispose() => _dir.Dispose();
}
