using BudgetPerf.Dashboard.Reports;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Reports;

/// <summary>The department-level 绩效监控报告 (report --department) of D1 with RP1 (behind) and RP2 (on schedule).</summary>
[Collection(UntimedPostgresCollection.Name)]
public sealed class DepartmentReportTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task Department_report_tables_its_projects_worst_first_with_the_heatmap_row_and_a_section_per_flagged_project()
    {
        // given D1's two projects built into a DuckDB warehouse
        var engine = await BuildAsync("duckdb", _dir, postgres, ReportFixtures.Department());

        // when the department report is built through the single entry point
        var file = await ReportFiles.BuildAsync(engine, ReportRequest.ForDepartment("D1", 2024, "1-6月", ReportKind.Monitoring));

        // then it is a valid Word file named after the department
        Assert.NotNull(file);
        Assert.Equal("D1_2024年1-6月_部门绩效监控报告.docx", file.FileName);
        Assert.Equal(ReportFile.Docx, file.ContentType);
        using var doc = WordprocessingDocument.Open(new MemoryStream(file.Content), false);
        var errors = new OpenXmlValidator().Validate(doc).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var body = doc.MainDocumentPart!.Document!.Body!;
        var text = body.Descendants<Paragraph>().Where(p => p.Parent is Body).Select(p => p.InnerText).ToList();
        Assert.Equal("一局项目支出绩效监控报告", text[0]);

        // totals: budget 200 + 100 = 300, executed 80 + 50 = 130 → 43.3%; RP1 is yellow (受益人数 r = 300/500 × 100 = 60, the yellow band's lower bound), RP2 green
        Assert.Equal("截至1-6月，本部门共2个项目纳入监控，预算合计300.00万元，已执行130.00万元，预算执行率为43.3%，序时进度为50.0%。"
                        + "其中红灯0个、黄灯1个、绿灯1个。各项目按偏差指数从高到低排列如下（金额单位：万元）：", text[3]);

        // the table: RP1 first (偏差指数 > 0: execution half alone is 50 × (0.5 − 0.4) / 0.5 = 10), RP2 at 0.0
        var rows = body.Elements<Table>().Single().Elements<TableRow>().Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToList()).ToList();
        Assert.Equal(["项目", "预算", "执行数", "执行率", "序时进度", "偏差指数", "预警"], rows[0]);
        Assert.Equal(["农村改厕", "200.00", "80.00", "40.0%", "50.0%"], rows[1].Take(5));
        Assert.True(decimal.Parse(rows[1][5]) >= 10m, rows[1][5]);
        Assert.Equal("黄灯", rows[1][6]);
        Assert.Equal(["村道养护", "100.00", "50.00", "50.0%", "50.0%", "0.0", "绿灯"], rows[2]);

        // the heatmap row is one embedded PNG under 二
        Assert.Single(doc.MainDocumentPart.ImageParts);
        Assert.Contains(text, t => t.StartsWith("图1 2024年1-6月偏差热力图"));

        // 三: one section, for RP1 only, with its yellow indicator in the form's sentence
        Assert.Contains("（一）农村改厕（黄灯）", text);
        Assert.DoesNotContain(text, t => t.StartsWith("（二）"));
        Assert.Contains("受益人数（黄灯）：2024年度目标值为≥1000人，1-6月执行情况为300人，完成年度目标值的30.0%，偏差率为-40.0%（滞后）。", text);
    }

    [Fact]
    public async Task Report_needs_exactly_one_of_project_and_department()
    {
        // given a built warehouse
        await BuildAsync("duckdb", _dir, postgres, ReportFixtures.Project());
        var db = _dir.File("warehouse.duckdb");

        // when neither, or both, are given: exit 2 with a usage message and no file
        var neither = await CliProcess.RunAsync(_dir.Path, null, "report", "--year", "2024", "--db", db);
        var both = await CliProcess.RunAsync(_dir.Path, null, "report", "RP1", "--department", "D1", "--year", "2024", "--db", db);
        var unknown = await CliProcess.RunAsync(_dir.Path, null, "report", "--department", "NOPE", "--year", "2024", "--db", db);

        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("二者必须且只能给出其一", neither.Output);
        Assert.Equal(2, both.ExitCode);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("数仓中没有部门 NOPE", unknown.Output);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.docx"));

        // a 纠偏表 is per project, and the kinds exclude each other: exit 2
        var departmentForm = await CliProcess.RunAsync(_dir.Path, null, "report", "--department", "D1", "--year", "2024", "--correction", "--db", db);
        Assert.Equal(2, departmentForm.ExitCode);
        Assert.Contains("纠偏表和调整表按项目生成", departmentForm.Output);
        var twoKinds = await CliProcess.RunAsync(_dir.Path, null, "report", "RP1", "--year", "2024", "--feedback", "--adjustment", "--db", db);
        Assert.Equal(2, twoKinds.ExitCode);

        // and a well-formed request writes its file where --out says (a zip package: PK)
        var ok = await CliProcess.RunAsync(_dir.Path, null, "report", "RP1", "--year", "2024", "--correction", "--db", db, "--out", _dir.File("纠偏.xlsx"));
        Assert.True(ok.ExitCode == 0, ok.Output);
        Assert.Equal("PK"u8.ToArray(), File.ReadAllBytes(_dir.File("纠偏.xlsx"))[..2]);
    }

    [Fact]
    public async Task A_period_maps_to_the_quarter_it_ends_in()
    {
        // given a built warehouse (dim_period takes the quarter from the period seed)
        var engine = await BuildAsync("duckdb", _dir, postgres, ReportFixtures.Department());
        var queries = new ReportQueries(engine);

        // then each period's quarter is the one its last month falls in (⌈last_month / 3⌉); 自评 is no period
        (string Period, string? Quarter)[] cases =
            [("1-6月", "Q2"), ("1-7月", "Q3"), ("1-3月", "Q1"), ("1-12月", "Q4"), ("Q3", "Q3"), ("上半年", "Q2"), ("自评", null)];
        foreach (var (period, quarter) in cases)
            Assert.True(quarter == await queries.QuarterAsync(2024, period), $"{period} → {quarter}");
    }

    [Fact]
    public async Task A_scoped_request_outside_its_departments_gets_no_file()
    {
        // given D1's projects, and a 部门 user of D2 only
        var engine = await BuildAsync("duckdb", _dir, postgres, ReportFixtures.Department());
        var d2 = DataScope.Of(["D2"]);

        // then neither D1's report, nor RP1's report, is built for them; D1's own scope gets them
        foreach (var kind in new[] { ReportKind.Monitoring, ReportKind.Feedback })
            Assert.Null(await ReportFiles.BuildAsync(engine, ReportRequest.ForDepartment("D1", 2024, "1-6月", kind) with { Scope = d2 }));
        Assert.Null(await ReportFiles.BuildAsync(engine, ReportRequest.ForProject("RP1", 2024, "1-6月", ReportKind.Monitoring) with { Scope = d2 }));
        Assert.NotNull(await ReportFiles.BuildAsync(engine,
            ReportRequest.ForProject("RP1", 2024, "1-6月", ReportKind.Monitoring) with { Scope = DataScope.Of(["D1"]) }));
        Assert.NotNull(await ReportFiles.BuildAsync(engine,
            ReportRequest.ForDepartment("D1", 2024, "1-6月", ReportKind.Monitoring) with { Scope = DataScope.Of(["D1"]) }));
    }

    public void Dispose() => _dir.Dispose();
}
