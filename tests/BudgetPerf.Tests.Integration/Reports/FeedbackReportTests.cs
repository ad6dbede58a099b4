using System.Text.RegularExpressions;
using BudgetPerf.Dashboard.Reports;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Reports;

/// <summary>评价结果反馈书: 表2-B of RP1 and 表1-B of D1, from hand-computed self-evaluations.</summary>
[Collection(PostgresCollection.Name)]
public sealed class FeedbackReportTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    /// <summary>The valid document's form as label → value paragraphs, plus every paragraph's text.</summary>
    private static (Dictionary<string, List<string>> Form, List<string> Text) Read(ReportFile file)
    {
        using var doc = WordprocessingDocument.Open(new MemoryStream(file.Content), false);
        var errors = new OpenXmlValidator().Validate(doc).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var body = doc.MainDocumentPart!.Document!.Body!;
        var form = body.Elements<Table>().Single().Elements<TableRow>().ToDictionary(
            r => r.Elements<TableCell>().First().InnerText,
            r => r.Elements<TableCell>().Last().Elements<Paragraph>().Select(p => p.InnerText).ToList());
        return (form, body.Descendants<Paragraph>().Select(p => p.InnerText).ToList());
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Project_feedback_states_the_grade_the_scores_and_the_problems_from_low_scores_and_flags(string engineName)
    {
        // given RP1 monitored and self-evaluated (total 77.00 → 中, 执行率 70.0%)
        var engine = await BuildAsync(engineName, _dir, postgres, [.. ReportFixtures.Project(), .. ReportFixtures.SelfEvaluation()]);

        // when the 反馈书 is built
        var file = await ReportFiles.BuildAsync(engine, ReportRequest.ForProject("RP1", 2024, "1-6月", ReportKind.Feedback));

        // then 表2-B with the project, the grade and the submission date
        Assert.Equal("RP1_2024年度_绩效评价结果反馈书.docx", file!.FileName);
        var (form, text) = Read(file);
        Assert.Equal(["表2-B", "项目支出绩效评价结果反馈书", "（2024年度）"], text.Take(3));
        Assert.Equal(["农村改厕"], form["项目名称"]);
        Assert.Equal(["一局"], form["主管部门"]);
        // 7.00 + 30.00 + 24.00 + 6.00 + 10.00 = 77.00, published the same → 中
        Assert.Equal(["中（复核得分77.00分，自评得分77.00分）"], form["综合评审等级"]);
        Assert.Matches(new Regex(@"^\d{4}年\d{1,2}月\d{1,2}日（自评表报送日期）$"), Assert.Single(form["评价时间"]));

        // 主要绩效情况: budget 140 / 200 = 70.0% → 10 × 0.7 = 7.00; indicators 70.00 of 90; two at full score
        Assert.Equal(
        [
            "2024年度全年预算200.00万元，全年执行140.00万元，预算执行率70.0%，预算执行得分7.00分。",
            "共设置4项绩效指标，指标得分合计70.00分（分值合计90.00分）；2项指标达到年度目标并得满分：改厕户数、群众满意度。",
        ], form["主要绩效情况"]);

        // 主要问题与建议: the largest loss first (受益人数 loses 14, 验收合格率 6), then the flags of mart_cut_candidates:
        // 中 → 从紧安排 −10%; 70.0% < 80% → 削减/取消 the unspent 60.00
        var problems = form["主要问题与建议"];
        Assert.Equal("1. 受益人数：年度目标值≥1000人，实际完成300人，得分6.00分（分值20.00分，失分14.00分）。", problems[0]);
        Assert.Equal("2. 验收合格率：年度目标值≥90%，实际完成72%，得分24.00分（分值30.00分，失分6.00分）。", problems[1]);
        Assert.Equal("建议：", problems[2]);
        Assert.Equal("（一）针对受益人数、验收合格率未达到年度目标，建议分析原因、制定整改措施，并在编制下年度预算时合理设定绩效目标，整改情况纳入下年度绩效监控。", problems[3]);
        Assert.Contains(problems, p => p.StartsWith("（二）从紧安排：自评等级 中（重算得分 77.00 分）：从紧安排，建议调减 10%；依据：常纺院 第十六条"));
        Assert.Contains(problems, p => p.StartsWith("（三）削减/取消：年末执行率 70.0%，低于 80") && p.Contains("削减未执行部分 60.00 万元"));
    }

    [Fact]
    public async Task Department_feedback_is_the_whole_version_with_rank_and_its_projects_flags()
    {
        // given D1's 部门整体 self-evaluation (95.50 → 优) and RP1's flags
        var engine = await BuildAsync("duckdb", _dir, postgres,
            [.. ReportFixtures.Project(), .. ReportFixtures.SelfEvaluation(), .. ReportFixtures.DepartmentSelfEvaluation()]);

        var file = await ReportFiles.BuildAsync(engine, ReportRequest.ForDepartment("D1", 2024, "1-6月", ReportKind.Feedback));

        var (form, text) = Read(file!);
        Assert.Equal(["表1-B", "部门整体支出绩效评价结果反馈书"], text.Take(2));
        Assert.Equal(["一局"], form["部门名称"]);
        Assert.Equal(["优（复核得分95.50分，自评得分95.50分，本年度部门排名第1）"], form["综合评审等级"]);
        Assert.Equal("2024年度全年预算1,000.00万元，全年执行950.00万元，预算执行率95.0%，预算执行得分9.50分。", form["主要绩效情况"][0]);
        var problems = form["主要问题与建议"];
        Assert.Equal("1. 重点工作完成率：年度目标值≥100%，实际完成90%，得分36.00分（分值40.00分，失分4.00分）。", problems[0]);
        // RP1's flags, per flag: 从紧安排 on its 200.00, 削减/取消 on the unspent 60.00
        Assert.Contains(problems, p => p.Contains("从紧安排：本部门1个项目（农村改厕），涉及金额200.00万元"));
        Assert.Contains(problems, p => p.Contains("削减/取消：本部门1个项目（农村改厕），涉及金额60.00万元"));
    }

    public void Dispose() => _dir.Dispose();
}
