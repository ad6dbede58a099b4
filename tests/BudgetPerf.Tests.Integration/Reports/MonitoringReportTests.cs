using BudgetPerf.Dashboard.Reports;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Reports;

/// <summary>项目支出绩效监控报告 (附件4) of a hand-made project in a temp DuckDB warehouse.</summary>
[Collection(UntimedPostgresCollection.Name)]
public sealed class MonitoringReportTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private static (string Name, string Csv)[] HandMadeProject() => ReportFixtures.Project();

    private async Task<WarehouseEngine> BuiltAsync() => await BuildAsync("duckdb", _dir, postgres, HandMadeProject());

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Report_states_each_indicator_in_the_forms_sentence_and_is_valid_openxml(string engineName)
    {
        // given the hand-made project built into a warehouse on the engine
        var engine = await BuildAsync(engineName, _dir, postgres, HandMadeProject());

        // when the report for 2024 1-6月 is written
        var data = await MonitoringReportData.LoadAsync(engine, "RP1", 2024, "1-6月");
        using var stream = new MemoryStream();
        MonitoringReport.Write(data!, stream);

        // then the document is valid Open XML
        stream.Position = 0;
        using var doc = WordprocessingDocument.Open(stream, false);
        var errors = new OpenXmlValidator().Validate(doc).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var text = doc.MainDocumentPart!.Document!.Body!.Descendants<Paragraph>().Select(p => p.InnerText).ToList();

        // and it follows 附件4's headings and numbering exactly, as the county prints them: every heading of the template
        // in its order, the 一、 and （一） levels styled as headings and no heading the template does not have
        Assert.Equal("农村改厕项目支出绩效监控报告", text[0]);
        var printed = PrintedPages.MonitoringReportHeadings();
        var at = -1;
        foreach (var heading in printed)
        {
            var next = text.FindIndex(at + 1, t => t == heading);
            Assert.True(next > at, $"附件4 heading “{heading}” missing or out of order");
            at = next;
        }
        var body = doc.MainDocumentPart!.Document!.Body!;
        string[] Styled(string style) => body.Elements<Paragraph>()
            .Where(p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value == style).Select(p => p.InnerText).ToArray();
        Assert.Equal(printed.Where(h => h.Length > 1 && h[1] == '、'), Styled("Heading1"));
        Assert.Equal(printed.Where(h => h.StartsWith("（") && "一二三四五六七八九十".Contains(h[1])), Styled("Heading2"));
        Assert.Contains(MonitoringReport.OrganisationPlaceholder, text);
        // 二（二）: no 项目起止时间 submitted is said once
        Assert.Equal("未填报。", text[text.IndexOf("（二）项目起止日期") + 1]);

        // 三: 执行率 80 / 200 = 40.0%, 序时进度 6/12 = 50.0%
        Assert.Contains(text, t => t.StartsWith("截至1-6月，项目全年预算200.00万元，已执行80.00万元，预算执行率为40.0%，序时进度为50.0%，"));

        // 四, 数量 (cumulative): expected 3000 × 0.5 = 1500; 1650 / 3000 = 55.0%; (1650 − 1500) / 1500 = +10.0% → 超前
        Assert.Contains("改厕户数：2024年度目标值为≥3000户，1-6月执行情况为1650户，完成年度目标值的55.0%，偏差率为10.0%（超前）。", text);
        // 质量 (a rate, not pro-rated): expected 90; 81 / 90 = 90.0%; (81 − 90) / 90 = −10.0% → 滞后
        Assert.Contains("验收合格率：2024年度目标值为≥90%，1-6月执行情况为81%，完成年度目标值的90.0%，偏差率为-10.0%（滞后）。", text);
        // 质量 (qualitative, 指标性质 定性): the target and the result as written, no ratio and no "定性" before the target
        Assert.Contains("工程质量达标情况：2024年度目标值为达到国家相关质量标准，1-6月执行情况为部分达成年度指标并具有一定效果。", text);
        // 社会效益 (cumulative): expected 1000 × 0.5 = 500; 300 / 1000 = 30.0%; (300 − 500) / 500 = −40.0% → 滞后
        Assert.Contains("受益人数：2024年度目标值为≥1000人，1-6月执行情况为300人，完成年度目标值的30.0%，偏差率为-40.0%（滞后）。", text);
        // 满意度 (a rate): expected 90; 95 / 90 = 1.05555… → 105.6%; (95 − 90) / 90 = +5.555…% → 5.6% 超前
        Assert.Contains("群众满意度：2024年度目标值为≥90%，1-6月执行情况为95%，完成年度目标值的105.6%，偏差率为5.6%（超前）。", text);

        // and the groups come in the form's order: 数量 before 质量 before 社会效益 before 满意度
        var order = new[] { "改厕户数：", "验收合格率：", "受益人数：", "群众满意度：" }
            .Select(prefix => text.FindIndex(t => t.StartsWith(prefix))).ToList();
        Assert.Equal(order.Order(), order);

        // 三 carries one PNG chart, placed inline at the A4 text width (8844 twips = 5,615,940 EMU), height by the 2:1 aspect
        var image = Assert.Single(doc.MainDocumentPart!.ImageParts);
        Assert.Equal("image/png", image.ContentType);
        using (var png = image.GetStream())
        {
            var magic = new byte[8];
            png.ReadExactly(magic);
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, magic);
        }
        var extent = Assert.Single(doc.MainDocumentPart.Document.Body.Descendants<DW.Inline>()).Extent!;
        Assert.Equal(5_615_940L, extent.Cx!.Value);
        Assert.Equal(2_807_970L, extent.Cy!.Value);
        var chart = text.FindIndex(t => t.StartsWith("图1 2024年预算执行率与序时进度"));
        Assert.InRange(chart, text.IndexOf("三、年度预算执行情况") + 1, text.IndexOf("四、绩效目标情况及分析") - 1);

        // 五（三）纠偏情况 says no 纠偏表 / 调整表 was submitted; 六 is the editable placeholder, last
        var corrections = text.IndexOf("（三）纠偏情况");
        Assert.Equal("截至本报告生成时，项目单位未报送2024年度的绩效运行监控目标纠偏表和目标调整表。", text[corrections + 1]);
        Assert.Equal("（四）有关建议", text[corrections + 2]);
        Assert.Equal(MonitoringReport.OtherMattersPlaceholder, text[^1]);
        Assert.Equal("六、其他需要说明的问题", text[^2]);
    }

    [Fact]
    public async Task Section_five_three_states_the_submitted_correction_and_adjustment()
    {
        // given RP1 with a 纠偏表 row for Q2 and a 调整表 changing one target
        var engine = await BuildAsync("duckdb", _dir, postgres, [.. HandMadeProject(),
            ("rp_corr.csv", "年度,季度,项目编码,一级指标,二级指标,三级指标,完成时指标值,本季度应完成值,实际完成,执行偏差,存在的主要问题,改进措施和有关建议\n"
                + "2024,Q2,RP1,效益指标,社会效益指标,受益人数,≥1000人,500人,300人,-40.0%,入户宣传不足,增加宣传频次\n"),
            ("rp_adj.csv", "年度,项目编码,调整原因及依据,原先申请资金,计划调整后资金,一级指标,二级指标,三级指标,原指标,调整后指标,指标标准解释\n"
                + "2024,RP1,农户意愿下降,200,180,效益指标,社会效益指标,受益人数,≥1000人,≥800人,按实际受益户籍人口计\n")]);

        // when the report is written
        var data = await MonitoringReportData.LoadAsync(engine, "RP1", 2024, "1-6月");
        using var stream = new MemoryStream();
        MonitoringReport.Write(data!, stream);
        stream.Position = 0;
        using var doc = WordprocessingDocument.Open(stream, false);
        var text = doc.MainDocumentPart!.Document!.Body!.Descendants<Paragraph>().Select(p => p.InnerText).ToList();

        // then 五（三）纠偏情况 states both, as submitted
        Assert.Contains("Q2，受益人数：完成时指标值≥1000人，本季度应完成值500人，实际完成300人，执行偏差-40.0%；存在的主要问题：入户宣传不足；改进措施和有关建议：增加宣传频次。", text);
        Assert.Contains("调整原因及依据：农户意愿下降。原先申请资金200.00万元，计划调整后资金180.00万元。", text);
        Assert.Contains("受益人数：原指标≥1000人，调整后指标≥800人（按实际受益户籍人口计）。", text);
        Assert.DoesNotContain(text, t => t.Contains("未报送2024年度的绩效运行监控目标纠偏表"));
    }

    [Fact]
    public async Task Report_of_an_unknown_project_exits_1_with_a_chinese_message()
    {
        // given a built warehouse that has RP1 only
        await BuiltAsync();

        // when the CLI is asked for a project it does not hold
        var outcome = await CliProcess.RunAsync(_dir.Path, null,
            "report", "NOPE", "--year", "2024", "--db", _dir.File("warehouse.duckdb"), "--out", _dir.File("nope.docx"));

        // then exit 1, a plain Chinese message, and no file
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("数仓中没有项目 NOPE", outcome.Output);
        Assert.False(File.Exists(_dir.File("nope.docx")));
    }

    public void Dispose() => _dir.Dispose();
}
