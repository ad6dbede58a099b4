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
[Collection(UntimedPostgresCollection.Name)]
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

    /// <summary>The data validation lists of the sheet: range → items.</summary>
    private static Dictionary<string, string> Lists(byte[] xlsx)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        return doc.WorkbookPart!.WorksheetParts.Single().Worksheet!.Descendants<DataValidation>()
            .ToDictionary(v => v.SequenceOfReferences!.InnerText!, v => v.Formula1!.Text);
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_correction_form_is_the_printed_annex_2_prefilled_from_the_derivation_and_a_completed_one_loads_back(string engineName)
    {
        // given RP1 monitored at 2024 1-6月
        var engine = await BuildAsync(engineName, _dir, postgres, ReportFixtures.Project());

        // when its 纠偏表 is generated
        var file = await ReportFiles.BuildAsync(engine, ReportRequest.ForProject("RP1", 2024, "1-6月", ReportKind.Correction));

        // then it is 附件2 as the county's 办法 prints it: 附件2, title, （2024年 2季度） (1-6月 ends in June), label and value in one cell
        Assert.Equal("RP1_2024年1-6月_附件2_项目支出绩效监控纠偏表.xlsx", file!.FileName);
        Assert.Equal(ReportFile.Xlsx, file.ContentType);
        var cells = Cells(file.Content);
        var dump = string.Join("; ", cells.Select(c => $"{c.Key}={c.Value}"));
        Assert.True(("附件2", "绩效运行监控目标纠偏表", "（2024年 2季度）", "填报单位（盖章）：一局", "项目（政策）名称：农村改厕")
            == (cells["A1"], cells["A2"], cells["A3"], cells["A4"], cells["D4"]), dump);
        Assert.Equal(("一级目标", "三级\n目标"), (cells["A5"], cells["C5"]));
        // the project's rows from row 6 (levels merged down their rows), the numbers of section 四: expected 3000 × 6/12 = 1500,
        // (1650 − 1500) / 1500 = +10.0%; a rate is not pro-rated
        string Row(int r) => string.Join("|", "CDEFG".Select(c => cells.GetValueOrDefault($"{c}{r}", "")));
        Assert.Equal("改厕户数|≥3000户|1500户|1650户|10.0%（超前）", Row(6));
        Assert.Equal(("产出指标", "数量指标", "质量指标"), (cells["A6"], cells["B6"], cells["B7"]));
        Assert.Equal("验收合格率|≥90%|90%|81%|-10.0%（滞后）", Row(7));
        Assert.Equal("工程质量达标情况|达到国家相关质量标准||部分达成年度指标并具有一定效果|", Row(8));
        Assert.Equal("受益人数|≥1000人|500人|300人|-40.0%（滞后）", Row(9));
        Assert.Equal("群众满意度|≥90%|90%|95%|5.6%（超前）", Row(10));
        Assert.Equal(("存在的主要问题\n（分条描述清楚）", "改进措施和有关建议\n（分条描述清楚）"), (cells["A11"], cells["A12"]));
        Assert.False(cells.ContainsKey("B11") || cells.ContainsKey("B12"), "问题与措施 are left to the department");
        // the drop-down added to the printed page: 一级目标 from the form's own and the project's
        Assert.Equal("\"产出目标,效果目标,产出指标,效益指标,满意度指标\"", Lists(file.Content)["A6:A10"]);

        // when the department types its problems and measures under the grid and uploads the file
        var completed = Fill(file.Content, ("B11", "入户宣传不足"), ("B12", "增加宣传频次，9月底前完成入户动员"));
        await LoadAndRebuildAsync(engine, "附件2_完成.xlsx", completed);

        // then the layout engine reads it back: the five rows of Q2 of RP1 (matched on 一局 + 农村改厕), the texts on each
        var corrections = await new ReportQueries(engine).CorrectionsAsync(DataScope.All, "RP1", 2024);
        Assert.Equal(5, corrections.Count);
        var row = Assert.Single(corrections, c => c.Level3 == "受益人数");
        Assert.Equal(("Q2", "≥1000人", "500人", "300人", "-40.0%（滞后）", "入户宣传不足", "增加宣传频次，9月底前完成入户动员"),
            (row.Quarter, row.FinalTarget, row.QuarterTarget, row.Actual, row.Deviation, row.Problems, row.Measures));
        // and 纠偏跟踪 marks the project's deviating indicators 已纠偏 (the printed form's measures are the sheet's)
        var tracking = await new ProjectDrillQueries(engine).CorrectionTrackingAsync(DataScope.All, "RP1", 2024);
        var tracked = Assert.Single(tracking, t => t.Level3 == "受益人数");
        Assert.Equal(("1-6月", "Q2", "已纠偏", "入户宣传不足", "增加宣传频次，9月底前完成入户动员"),
            (tracked.Period, tracked.Quarter, tracked.CorrectionStatus, tracked.CorrectionProblems, tracked.CorrectionMeasures));
        Assert.Contains("Q2，受益人数：完成时指标值≥1000人，本季度应完成值500人，实际完成300人，执行偏差-40.0%（滞后）；"
                        + "存在的主要问题：入户宣传不足；改进措施和有关建议：增加宣传频次，9月底前完成入户动员。", await ReportTextAsync(engine));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_adjustment_form_is_the_printed_annex_3_prefilled_and_a_changed_target_loads_back(string engineName)
    {
        // given RP1 monitored at 2024 1-6月 (budget 200)
        var engine = await BuildAsync(engineName, _dir, postgres, ReportFixtures.Project());

        // when its 调整表 is generated
        var file = await ReportFiles.BuildAsync(engine, ReportRequest.ForProject("RP1", 2024, "1-6月", ReportKind.Adjustment));

        // then 附件3 as printed: the project, the budget as 原先申请资金 under its caption (a number in 万元 format), every
        // indicator under 指标名称 with its 原指标 (the fourth, 受益人数, on row 17)
        var cells = Cells(file!.Content);
        var dump = string.Join("; ", cells.Select(c => $"{c.Key}={c.Value}"));
        Assert.True(("附件3", "绩效运行监控目标调整表", "填报单位（盖章）：一局", "农村改厕", "原先申\n请资金", "200")
            == (cells["A1"], cells["A2"], cells["A4"], cells["B5"], cells["C10"], cells["C11"]), dump);
        Assert.Equal(("指标名称", "一级指标", "受益人数", "≥1000人"), (cells["B12"], cells["B13"], cells["D17"], cells["E17"]));
        Assert.False(cells.ContainsKey("F17"), "调整后指标 is left to the department");

        // when the department gives the reason, the adjusted output and a new target for 受益人数, and uploads the file
        var completed = Fill(file.Content, ("B6", "农户改厕意愿下降，按实际需求调减"), ("B7", "改厕2800户"), ("F17", "≥800人"));
        await LoadAndRebuildAsync(engine, "附件3_完成.xlsx", completed);

        // then the warehouse holds the changed target, the reason and the 调整后预期目标; 纠偏跟踪 shows them
        var adjustments = await new ReportQueries(engine).AdjustmentsAsync(DataScope.All, "RP1", 2024);
        var changed = Assert.Single(adjustments, a => a.AdjustedTarget is not null);
        Assert.Equal(("受益人数", "≥1000人", "≥800人", "农户改厕意愿下降，按实际需求调减", 200m),
            (changed.Level3, changed.OriginalTarget, changed.AdjustedTarget, changed.Reason, changed.OriginalAmount));
        var adjusted = Assert.Single(await new ProjectDrillQueries(engine).CorrectionTrackingAsync(DataScope.All, "RP1", 2024),
            t => t.Level3 == "受益人数");
        Assert.Equal(("申请调整目标", "≥1000人", "≥800人", "农户改厕意愿下降，按实际需求调减", "产出：改厕2800户"),
            (adjusted.CorrectionStatus, adjusted.OriginalTarget, adjusted.AdjustedTarget, adjusted.AdjustmentReason, adjusted.AdjustedGoal));
        var text = await ReportTextAsync(engine);
        Assert.Contains("受益人数：原指标≥1000人，调整后指标≥800人。", text);
        Assert.DoesNotContain(text, t => t.StartsWith("改厕户数：原指标"));
    }

    public void Dispose() => _dir.Dispose();
}
