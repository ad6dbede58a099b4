using System.Text.RegularExpressions;
using BudgetPerf.Dashboard.Reports;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Reports;

/// <summary>评价结果反馈书: 表2-B of RP1 and 表1-B of D1, from hand-computed self-evaluations.</summary>
[Collection(UntimedPostgresCollection.Name)]
public sealed class FeedbackReportTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    /// <summary>
    /// The valid document's grid: the label cells (bold) row by row, each label's value (the paragraphs of the cell after
    /// it, when that is no label), and every paragraph's text.
    /// </summary>
    private static (List<List<string>> Labels, Dictionary<string, List<string>> Form, List<string> Text) Read(ReportFile file)
    {
        using var doc = WordprocessingDocument.Open(new MemoryStream(file.Content), false);
        var errors = new OpenXmlValidator().Validate(doc).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var body = doc.MainDocumentPart!.Document!.Body!;
        static bool IsLabel(TableCell c) => c.Descendants<Bold>().Any() && c.InnerText.Length > 0;
        var labels = new List<List<string>>();
        var form = new Dictionary<string, List<string>>();
        foreach (var row in body.Elements<Table>().Single().Elements<TableRow>())
        {
            var cells = row.Elements<TableCell>().ToList();
            labels.Add(cells.Where(IsLabel).Select(c => c.InnerText).ToList());
            for (var i = 0; i < cells.Count - 1; i++)
                if (IsLabel(cells[i]) && !IsLabel(cells[i + 1]))
                    form[cells[i].InnerText] = cells[i + 1].Elements<Paragraph>().Select(p => p.InnerText).ToList();
        }
        return (labels, form, body.Descendants<Paragraph>().Select(p => p.InnerText).ToList());
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Project_feedback_is_the_printed_table_2B_with_the_grade_the_scores_problems_and_suggestions(string engineName)
    {
        // given RP1 monitored and self-evaluated (total 77.00 → 中, 执行率 70.0%)
        var engine = await BuildAsync(engineName, _dir, postgres, [.. ReportFixtures.Project(), .. ReportFixtures.SelfEvaluation()]);

        // when the 反馈书 is built
        var file = await ReportFiles.BuildAsync(engine, ReportRequest.ForProject("RP1", 2024, "1-6月", ReportKind.Feedback));

        // then it is 表2-B as the college prints it: the title, the label cells row by row, the 备注 line
        Assert.Equal("RP1_2024年度_绩效评价结果反馈书.docx", file!.FileName);
        var (labels, form, text) = Read(file);
        var printed = PrintedPages.FeedbackForm("表 2-B");
        Assert.Equal(["表2-B", printed.Title, "（2024年度）"], text.Take(3));
        Assert.Equal(printed.Rows, labels);
        Assert.Equal(printed.Remark, text[^1]);

        Assert.Equal(["农村改厕（项目编码 RP1）"], form["项目名称"]);
        Assert.Equal(["一局"], form["实施部门"]);                      // no 实施单位 submitted: the 主管部门
        Assert.Equal(["未填报"], form["项目起止时间"]);                 // said once, not 未填报至未填报
        // 7.00 + 30.00 + 24.00 + 6.00 + 10.00 = 77.00, published the same → 中
        Assert.Equal(["中（复核得分77.00分，自评得分77.00分）"], form["综合评审等级"]);
        Assert.Matches(new Regex(@"^\d{4}年\d{1,2}月\d{1,2}日（自评表报送日期）$"), Assert.Single(form["评价时间"]));

        // 主要绩效情况: budget 140 / 200 = 70.0% → 10 × 0.7 = 7.00; indicators 70.00 of 90; two at full score
        Assert.Equal(
        [
            "2024年度全年预算200.00万元，全年执行140.00万元，预算执行率70.0%，预算执行得分7.00分。",
            "共设置4项绩效指标，指标得分合计70.00分（分值合计90.00分）；2项指标达到年度目标并得满分：改厕户数、群众满意度。",
        ], form["主要绩效情况"]);

        // 一、主要问题: the largest loss first (受益人数 loses 14, 验收合格率 6)
        Assert.Equal(
        [
            "1. 受益人数：年度目标值≥1000人，实际完成300人，得分6.00分（分值20.00分，失分14.00分）。",
            "2. 验收合格率：年度目标值≥90%，实际完成72%，得分24.00分（分值30.00分，失分6.00分）。",
        ], form["一、主要问题"]);
        // 二、相关建议: then the flags of mart_cut_candidates with the article each cites, quoted:
        // 中 → 从紧安排 −10% (the college's 第十六条); 70.0% < 80% → 削减/取消 the unspent 60.00 (the county's 第四条)
        var suggestions = form["二、相关建议"];
        Assert.Equal("1. 针对受益人数、验收合格率未达到年度目标，建议分析原因、制定整改措施，并在编制下年度预算时合理设定绩效目标，整改情况纳入下年度绩效监控。", suggestions[0]);
        Assert.Contains(suggestions, p => p.StartsWith("2. 从紧安排：自评等级 中（重算得分 77.00 分）：从紧安排，建议调减 10%；"
            + "依据：《常州纺织服装职业技术学院预算绩效管理办法》第十六条（“对评价等级为中、差的，根据情况从紧安排”）"));
        Assert.Contains(suggestions, p => p.StartsWith("3. 削减/取消：年末执行率 70.0%，低于 80") && p.Contains("削减未执行部分 60.00 万元")
            && p.EndsWith("依据：《杭锦旗预算绩效运行监控管理办法（试行）》第四条（“对低效无效资金一律削减或取消”）。"));

        // the sums are the warehouse's (ReportQueries), the 反馈书 only formats them: 分值合计 30 + 30 + 20 + 10 = 90 on
        // every indicator row; 涉及金额 per flag (D1 has RP1 alone): 从紧安排 its budget 200, 削减/取消 the unspent
        // 200 − 140 = 60 — per flag, not the 260 of both
        var report = new ReportQueries(engine);
        Assert.All(await report.IndicatorScoresAsync(DataScope.All, "project", "RP1", 2024), s => Assert.Equal(90m, s.WeightTotal));
        var cuts = await report.DepartmentCutsAsync(DataScope.All, "D1", 2024);
        Assert.Equal((200m, 60m), (cuts.Single(c => c.Flag == "从紧安排").FlagAmount!.Value, cuts.Single(c => c.Flag == "削减/取消").FlagAmount!.Value));
    }

    [Fact]
    public async Task Department_feedback_is_the_printed_table_1B_with_rank_and_its_projects_flags()
    {
        // given D1's 部门整体 self-evaluation (95.50 → 优) and RP1's flags
        var engine = await BuildAsync("duckdb", _dir, postgres,
            [.. ReportFixtures.Project(), .. ReportFixtures.SelfEvaluation(), .. ReportFixtures.DepartmentSelfEvaluation()]);

        var file = await ReportFiles.BuildAsync(engine, ReportRequest.ForDepartment("D1", 2024, "1-6月", ReportKind.Feedback));

        var (labels, form, text) = Read(file!);
        var printed = PrintedPages.FeedbackForm("表 1-B");
        Assert.Equal(["表1-B", printed.Title], text.Take(2));
        Assert.Equal(printed.Rows, labels);
        Assert.Equal(printed.Remark, text[^1]);
        Assert.Equal(["一局"], form["部门名称"]);
        Assert.Equal(["2024年度"], form["评价年度"]);
        Assert.Equal(["优（复核得分95.50分，自评得分95.50分，本年度部门排名第1）"], form["综合评审等级"]);
        Assert.Equal("2024年度全年预算1,000.00万元，全年执行950.00万元，预算执行率95.0%，预算执行得分9.50分。", form["主要绩效情况"][0]);
        Assert.Equal("1. 重点工作完成率：年度目标值≥100%，实际完成90%，得分36.00分（分值40.00分，失分4.00分）。", form["一、主要问题"][0]);
        // RP1's flags, per flag: 从紧安排 on its 200.00, 削减/取消 on the unspent 60.00
        var suggestions = form["二、相关建议"];
        Assert.Contains(suggestions, p => p.Contains("从紧安排：本部门1个项目（农村改厕），涉及金额200.00万元"));
        Assert.Contains(suggestions, p => p.Contains("削减/取消：本部门1个项目（农村改厕），涉及金额60.00万元")
            && p.Contains("《杭锦旗预算绩效运行监控管理办法（试行）》第四条"));
    }

    public void Dispose() => _dir.Dispose();
}
