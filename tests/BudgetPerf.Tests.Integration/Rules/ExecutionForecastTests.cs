using BudgetPerf.Dashboard.Reports;
using BudgetPerf.Tests.Integration.Fixtures;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Rules;

/// <summary>
/// 年末执行预测 (issue 17 item 3) on a hand-made county, on both engines: 2024 is history (1-6月 monitoring and the
/// year-end 自评), 2025 is forecast from it. Policy defaults: forecast_shrinkage 5, forecast_min_history 3,
/// forecast_interval_min_history 10, forecast_carryover_min 0.8. Every budget is 100 万元 but A5's 200.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ExecutionForecastTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private const string FundWithForecastHeader =
        "年度,期间,项目编码,项目名称,主管部门编码,主管部门,资金类别,年初预算数,调整后预算数,期间执行数,全年预计执行数,结转年数\n";

    // 2024 (history), 1-6月 executed / stated 全年预计执行数 / year-end 全年执行数, of 100:
    //   D1: A1 40 / 100 / 80, A2 50 / 90 / 70, A3 20 / 100 / 60;   D2: B1 50 / 100 / 99
    // 2025 at 1-6月: A4 (D1) 30, stated 100; A5 (D1) 160 of 200, stated 200; B2 (D2) 60, stated blank; C1 (D3, new) 50, stated 95
    private static (string, string)[] Files() =>
    [
        ("2024_mfund.csv", FundWithForecastHeader
            + "2024,1-6月,A1,甲一,D1,一局,年度资金总额,100,,40,100,\n"
            + "2024,1-6月,A2,甲二,D1,一局,年度资金总额,100,,50,90,\n"
            + "2024,1-6月,A3,甲三,D1,一局,年度资金总额,100,,20,100,\n"
            + "2024,1-6月,B1,乙一,D2,二局,年度资金总额,100,,50,100,\n"),
        ("2024_selfeval.csv", FundHeader
            + "2024,A1,甲一,D1,一局,年度资金总额,100,100,80,10,\n"
            + "2024,A2,甲二,D1,一局,年度资金总额,100,100,70,10,\n"
            + "2024,A3,甲三,D1,一局,年度资金总额,100,100,60,10,\n"
            + "2024,B1,乙一,D2,二局,年度资金总额,100,100,99,10,\n"),
        ("2025_mfund.csv", FundWithForecastHeader
            + "2025,1-6月,A4,甲四,D1,一局,年度资金总额,100,,30,100,\n"
            + "2025,1-6月,A5,甲五,D1,一局,年度资金总额,200,,160,200,\n"
            + "2025,1-6月,B2,乙二,D2,二局,年度资金总额,100,,60,,\n"
            + "2025,1-6月,C1,丙一,D3,三局,年度资金总额,100,,50,95,\n"),
    ];

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_department_forecast_applies_its_shrunk_delivery_ratio_with_the_pooled_residual_interval(string engineName)
    {
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, Files());
        var queries = new ForecastQueries(engine);

        // promised − current and actual − current, 2024: A1 0.60 / 0.40, A2 0.40 / 0.20, A3 0.80 / 0.40, B1 0.50 / 0.49
        // D1 ratio 1.00 / 1.80 = 0.5556; all 1.49 / 2.30 = 0.6478; D1 has 3 ≥ 3 project-years: weight 3 / (3 + 5) = 0.375
        // delivery D1 = 0.375 × 0.5556 + 0.625 × 0.6478 = 0.613225 → 0.6132; D2 (1 < 3): all departments' 0.6478
        // residuals: A1 0.80 − (0.40 + 0.6132 × 0.60) = 0.03208, A2 0.70 − 0.74528 = −0.04528, A3 0.60 − 0.69056 = −0.09056,
        //            B1 0.99 − (0.50 + 0.6478 × 0.50) = 0.16610; D1 has 3 < 10 of its own, so all four give the interval:
        //   10th percentile −0.09056 + 0.3 × 0.04528 = −0.076976 → −0.0770; 90th 0.03208 + 0.7 × 0.13402 = 0.125894 → 0.1259
        // A4: 0.30 + 0.6132 × 0.70 = 0.72924 → 0.7292, interval [0.6522, 0.8551]; < 0.8: 预计结转, 100 × 0.2708 = 27.08
        var a4 = await queries.ProjectAsync(DataScope.All, "A4", 2025, "1-6月");
        Assert.NotNull(a4);
        Assert.Equal(("department", 0.6132m, 0.7292m, 0.6522m, 0.8551m), (a4.Method, a4.DeliveryRatio, a4.ForecastRate, a4.ForecastLow, a4.ForecastHigh));
        Assert.Equal((0.5556m, 0.6478m, 0.375m, 3L, 4L), (a4.DepartmentRatio, a4.AllRatio, a4.DepartmentWeight, a4.DepartmentPairs, a4.AllPairs));
        Assert.Equal(("all_departments", true, 27.08m, 2024, 2024), (a4.IntervalSource, a4.CarryoverRisk, a4.ExpectedCarryover, a4.FirstHistoryYear, a4.LastHistoryYear));
        Assert.Contains("第八条（二）", a4.Basis);
        Assert.Contains("避免资金沉淀", a4.BasisQuote);

        // A5: 0.80 + 0.6132 × 0.20 = 0.92264 → 0.9226, interval [0.8456, min(1, 1.0485) = 1]; not at risk; 200 × 0.0774 = 15.48
        var a5 = await queries.ProjectAsync(DataScope.All, "A5", 2025, "1-6月");
        Assert.Equal((0.9226m, 0.8456m, 1.0000m, false, 15.48m), (a5!.ForecastRate, a5.ForecastLow, a5.ForecastHigh, a5.CarryoverRisk, a5.ExpectedCarryover));

        // B2 (too little history of its own) and C1 (a department new this year) take all departments' ratio 0.6478:
        // B2 blank stated → the whole budget is promised: 0.60 + 0.6478 × 0.40 = 0.85912 → 0.8591
        // C1 0.50 + 0.6478 × 0.45 = 0.79151 → 0.7915 < 0.8: 预计结转
        var b2 = await queries.ProjectAsync(DataScope.All, "B2", 2025, "1-6月");
        var c1 = await queries.ProjectAsync(DataScope.All, "C1", 2025, "1-6月");
        Assert.Equal(("all_departments", 0.8591m, false, (decimal?)null), (b2!.Method, b2.ForecastRate, b2.CarryoverRisk, b2.StatedRate));
        Assert.Equal(("all_departments", 0.7915m, true, 0.95m), (c1!.Method, c1.ForecastRate, c1.CarryoverRisk, c1.StatedRate));

        // 2024 had no earlier year: the stated rate as it is, no interval; its actual is the 自评 执行率
        var a2 = await queries.ProjectAsync(DataScope.All, "A2", 2024, "1-6月");
        Assert.Equal(("no_history", 0.9m, (decimal?)null, 0.7m), (a2!.Method, a2.ForecastRate, a2.ForecastLow, a2.ActualRate));
        // the back-test's errors: |0.70 − 0.90| = 0.20 for the forecast and for the stated figure alike
        Assert.Equal((0.2m, 0.2m), (a2.ForecastError, a2.StatedError));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_department_forecast_weights_its_projects_by_budget_and_counts_those_at_risk(string engineName)
    {
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, Files());
        var d1 = await new ForecastQueries(engine).DepartmentAsync(DataScope.All, "D1", 2025, "1-6月");

        // D1 2025: A4 (100) and A5 (200); current (30 + 160) / 300 = 0.6333
        // forecast (0.7292 × 100 + 0.9226 × 200) / 300 = 257.44 / 300 = 0.858133 → 0.8581 ≥ 0.8: not at risk as a whole
        // low (65.22 + 169.12) / 300 = 0.781133 → 0.7811; high (85.51 + 200) / 300 = 0.9517; A4 at risk: 1;
        // 预计结转 27.08 + 15.48 = 42.56
        Assert.NotNull(d1);
        Assert.Equal((0.6333m, 0.8581m, 0.7811m, 0.9517m), (d1.CurrentRate, d1.ForecastRate, d1.ForecastLow, d1.ForecastHigh));
        Assert.Equal((false, 1, 42.56m, 2), (d1.CarryoverRisk, d1.ProjectsAtRisk, d1.ExpectedCarryover, d1.ProjectCount));

        // a 部门 user of D2 sees none of D1's
        Assert.Null(await new ForecastQueries(engine).DepartmentAsync(DataScope.Of(["D2"]), "D1", 2025, "1-6月"));
    }

    [Fact]
    public async Task The_department_report_words_the_forecast_and_tables_the_projects_at_risk()
    {
        var engine = await HandMade.BuildAsync("duckdb", _dir, postgres, Files());
        var file = await ReportFiles.BuildAsync(engine, ReportRequest.ForDepartment("D1", 2025, "1-6月", ReportKind.Monitoring));

        using var doc = WordprocessingDocument.Open(new MemoryStream(file!.Content), false);
        var body = doc.MainDocumentPart!.Document!.Body!;
        var text = body.Descendants<Paragraph>().Where(p => p.Parent is Body).Select(p => p.InnerText).ToList();
        var section = text.IndexOf("五、年末执行预测");
        Assert.True(section > 0, string.Join("\n", text));
        // the department's figures of the other test: 85.8% (78.1%–95.2%), now 63.3%, stated (100 + 200) / 300 = 100%,
        // 42.56 万元, one project at risk
        Assert.Equal("按本期执行率、各项目填报的全年预计执行数和本部门往年同期执行的兑现情况预测，本部门2个项目预计年末执行率为85.8%（78.1%–95.2%）"
                     + "（当前63.3%，填报预计100.0%），预计结转42.56万元；预计年末执行率低于80.0%即提示预计结转风险，本部门整体未达风险线，"
                     + "其中1个项目存在预计结转风险。", text[section + 1]);
        var risk = body.Elements<Table>().Last().Elements<TableRow>().Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToList()).ToList();
        Assert.Equal(["项目", "预算", "当前执行率", "填报预计", "预计年末执行率（区间）", "预计结转"], risk[0]);
        Assert.Equal(["甲四", "100.00", "30.0%", "100.0%", "72.9%（65.2%–85.5%）", "27.08"], risk[1]);
        Assert.Equal(2, risk.Count);
        Assert.Contains(text, t => t.StartsWith("依据：《杭锦旗预算绩效运行监控管理办法（试行）》第八条（二）"));
    }

    public void Dispose() => _dir.Dispose();
}
