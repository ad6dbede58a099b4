using BudgetPerf.Dashboard.Reports;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Wordprocessing;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Reports;

/// <summary>
/// Prefilled 附件2 纠偏表 / 附件3 调整表 of RP1 at 2024 1-6月: the figures of mart_indicator_derivation in the official
/// layout, and the round trip — fill two cells as a department would, load the file with the intake, rebuild, see it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CorrectionFormTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    /// <summary>The sheet's cells by address (inline strings and numbers as their text).</summary>
    private static Dictionary<string, string> Cells(byte[] xlsx)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        return doc.WorkbookPart!.WorksheetParts.Single().Worksheet!.Descendants<Cell>()
            .Where(c => c.InlineString is not null || c.CellValue is not null)
            .ToDictionary(c => c.CellReference!.Value!, c => c.InlineString?.InnerText ?? c.CellValue!.Text);
    }

    /// <summary>Types text into existing cells, as a department completing the form in Excel would.</summary>
    private static byte[] Fill(byte[] xlsx, params (string Address, string Text)[] values)
    {
        var stream = new MemoryStream();
        stream.Write(xlsx);
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            var cells = doc.WorkbookPart!.WorksheetParts.Single().Worksheet!.Descendants<Cell>().ToDictionary(c => c.CellReference!.Value!);
            foreach (var (address, text) in values)
            {
                var cell = cells[address];
                cell.CellValue = null;
                cell.DataType = CellValues.InlineString;
                cell.InlineString = new InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(text));
            }
        }
        return stream.ToArray();
    }

    /// <summary>The intake loads the file as uploaded (it must load cleanly), then every model is rebuilt.</summary>
    private async Task LoadAndRebuildAsync(WarehouseEngine engine, string name, byte[] xlsx)
    {
        var path = _dir.File(name);
        await File.WriteAllBytesAsync(path, xlsx);
        var result = await new SubmissionLoader(engine).LoadFileAsync(path);
        Assert.True(result.Status == LoadStatus.Loaded, string.Join("\n", result.Issues));
        var build = await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") });
        Assert.True(build.Success, string.Join("\n", build.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}")));
    }

    private static async Task<List<string>> ReportTextAsync(WarehouseEngine engine)
    {
        var file = await ReportFiles.BuildAsync(engine, ReportRequest.ForProject("RP1", 2024, "1-6月", ReportKind.Monitoring));
        using var doc = WordprocessingDocument.Open(new MemoryStream(file!.Content), false);
        return doc.MainDocumentPart!.Document!.Body!.Descendants<Paragraph>().Select(p => p.InnerText).ToList();
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_correction_form_is_prefilled_from_the_derivation_and_a_completed_one_loads_back(string engineName)
    {
        // given RP1 monitored at 2024 1-6月
        var engine = await BuildAsync(engineName, _dir, postgres, ReportFixtures.Project());

        // when its 纠偏表 is generated
        var file = await ReportFiles.BuildAsync(engine, ReportRequest.ForProject("RP1", 2024, "1-6月", ReportKind.Correction));

        // then it is the official layout: title, year, project, Q2 (1-6月 ends in June), the code the intake matches on
        Assert.Equal("RP1_2024年1-6月_附件2_项目支出绩效监控纠偏表.xlsx", file!.FileName);
        Assert.Equal(ReportFile.Xlsx, file.ContentType);
        var cells = Cells(file.Content);
        Assert.Equal("项目支出绩效监控纠偏表", cells["A1"]);
        Assert.Equal("（2024年度）", cells["A2"]);
        Assert.Equal(("农村改厕", "一局", "Q2", "RP1"), (cells["B3"], cells["F3"], cells["B4"], cells["F4"]));
        Assert.Equal("执行偏差", cells["G11"]);
        string Row(int r) => string.Join("|", "ABCDEFG".Select(c => cells.GetValueOrDefault($"{c}{r}", "")));
        // the numbers of section 四: expected 3000 × 6/12 = 1500, (1650 − 1500) / 1500 = +10.0%; a rate is not pro-rated
        Assert.Equal("产出指标|数量指标|改厕户数|≥3000户|1500户|1650户|10.0%（超前）", Row(12));
        Assert.Equal("产出指标|质量指标|验收合格率|≥90%|90%|81%|-10.0%（滞后）", Row(13));
        Assert.Equal("产出指标|质量指标|工程质量达标情况|达到国家相关质量标准||部分达成年度指标并具有一定效果|", Row(14));
        Assert.Equal("效益指标|社会效益指标|受益人数|≥1000人|500人|300人|-40.0%（滞后）", Row(15));
        Assert.Equal("满意度指标|服务对象满意度指标|群众满意度|≥90%|90%|95%|5.6%（超前）", Row(16));
        Assert.False(cells.ContainsKey("H15") || cells.ContainsKey("I15"), "问题与措施 are left to the department");

        // when the department types its problem and measure for 受益人数 and uploads the file
        var completed = Fill(file.Content, ("H15", "入户宣传不足"), ("I15", "增加宣传频次，9月底前完成入户动员"));
        await LoadAndRebuildAsync(engine, "附件2_完成.xlsx", completed);

        // then the warehouse holds the five rows of Q2 with the typed text, and the report's 七 states it
        var corrections = await new ReportQueries(engine).CorrectionsAsync(DataScope.All, "RP1", 2024);
        Assert.Equal(5, corrections.Count);
        var row = Assert.Single(corrections, c => c.Level3 == "受益人数");
        Assert.Equal(("Q2", "500人", "300人", "-40.0%（滞后）", "入户宣传不足", "增加宣传频次，9月底前完成入户动员"),
            (row.Quarter, row.QuarterTarget, row.Actual, row.Deviation, row.Problems, row.Measures));
        // and 纠偏跟踪 (mart_indicator_correction) marks that red indicator 已纠偏 with the measure, the others as before
        var tracking = await new ProjectDrillQueries(engine).CorrectionTrackingAsync(DataScope.All, "RP1", 2024);
        var tracked = Assert.Single(tracking, t => t.Level3 == "受益人数");
        Assert.Equal(("1-6月", "Q2", "已纠偏", "入户宣传不足", "增加宣传频次，9月底前完成入户动员"),
            (tracked.Period, tracked.Quarter, tracked.CorrectionStatus, tracked.CorrectionProblems, tracked.CorrectionMeasures));
        Assert.All(tracking.Where(t => t.Level3 != "受益人数"), t => Assert.Equal("未纠偏", t.CorrectionStatus));
        Assert.Contains("Q2，受益人数：完成时指标值≥1000人，本季度应完成值500人，实际完成300人，执行偏差-40.0%（滞后）；"
                        + "存在的主要问题：入户宣传不足；改进措施和有关建议：增加宣传频次，9月底前完成入户动员。", await ReportTextAsync(engine));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_adjustment_form_is_prefilled_and_a_changed_target_loads_back(string engineName)
    {
        // given RP1 monitored at 2024 1-6月 (budget 200)
        var engine = await BuildAsync(engineName, _dir, postgres, ReportFixtures.Project());

        // when its 调整表 is generated
        var file = await ReportFiles.BuildAsync(engine, ReportRequest.ForProject("RP1", 2024, "1-6月", ReportKind.Adjustment));

        // then the project, the budget as 原先申请资金 and every indicator with its 原指标
        var cells = Cells(file!.Content);
        Assert.Equal("项目支出绩效目标调整表", cells["A1"]);
        Assert.Equal(("农村改厕", "一局", "200", "RP1"), (cells["B3"], cells["E3"], cells["B4"], cells["B6"]));
        Assert.Equal(("受益人数", "≥1000人"), (cells["C15"], cells["D15"]));
        Assert.False(cells.ContainsKey("E15"), "调整后指标 is left to the department");

        // when the department gives the reason and a new target for 受益人数, and uploads the file
        var completed = Fill(file.Content, ("B5", "农户改厕意愿下降，按实际需求调减"), ("E15", "≥800人"));
        await LoadAndRebuildAsync(engine, "附件3_完成.xlsx", completed);

        // then the warehouse holds the changed target and the reason, and the report's 七 states the one change
        var adjustments = await new ReportQueries(engine).AdjustmentsAsync(DataScope.All, "RP1", 2024);
        var changed = Assert.Single(adjustments, a => a.AdjustedTarget is not null);
        Assert.Equal(("受益人数", "≥1000人", "≥800人", "农户改厕意愿下降，按实际需求调减", 200m),
            (changed.Level3, changed.OriginalTarget, changed.AdjustedTarget, changed.Reason, changed.OriginalAmount));
        var adjusted = Assert.Single(await new ProjectDrillQueries(engine).CorrectionTrackingAsync(DataScope.All, "RP1", 2024),
            t => t.Level3 == "受益人数");
        Assert.Equal(("申请调整目标", "≥1000人", "≥800人", "农户改厕意愿下降，按实际需求调减"),
            (adjusted.CorrectionStatus, adjusted.OriginalTarget, adjusted.AdjustedTarget, adjusted.AdjustmentReason));
        var text = await ReportTextAsync(engine);
        Assert.Contains("受益人数：原指标≥1000人，调整后指标≥800人。", text);
        Assert.DoesNotContain(text, t => t.StartsWith("改厕户数：原指标"));
    }

    public void Dispose() => _dir.Dispose();
}
