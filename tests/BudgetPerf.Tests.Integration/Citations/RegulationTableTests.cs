using BudgetPerf.Dashboard;
using BudgetPerf.Dashboard.Export;
using BudgetPerf.Dashboard.Regulations;
using BudgetPerf.Dashboard.Reports;
using BudgetPerf.Dashboard.Security;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Reports;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace BudgetPerf.Tests.Integration.Citations;

/// <summary>
/// Issue 13: the flags cite the right 办法 from the seeds; a 管理员 loads a second regulation table and maps a rule,
/// and the cut list, its export and a new report cite it, with audit rows and the figures unchanged.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RegulationTableTests(PostgresServer postgres) : IDisposable
{
    private const string County = "《杭锦旗预算绩效运行监控管理办法（试行）》";
    private const string Bureau = "某县财政支出绩效运行监控办法";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static System.Security.Claims.ClaimsPrincipal As(string role) =>
        CallerClaims.PrincipalOf(new AppUser { UserName = "u-" + role, Roles = role });

    private static async Task<RegulationChange> LoadAsync(RegulationService service, string role, string name, string csv) =>
        await service.LoadAsync(As(role), name, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)));

    private static List<string> ReportText(ReportFile file)
    {
        using var doc = WordprocessingDocument.Open(new MemoryStream(file.Content), false);
        return doc.MainDocumentPart!.Document!.Body!.Descendants<Paragraph>().Select(p => p.InnerText).ToList();
    }

    private async Task<List<string>> ExportAsync(CutQueries cuts, string name)
    {
        var opened = await cuts.OpenReaderAsync(cuts.Whole(DataScope.All, 2024));
        var path = _dir.File(name);
        await using (opened!.Value.Connection)
        await using (opened.Value.Reader)
            await GridExport.WriteAsync(opened.Value.Reader, "csv", path);
        return (await File.ReadAllLinesAsync(path)).ToList();
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_second_regulation_table_changes_the_citations_everywhere_and_not_the_figures(string engineName)
    {
        // given RP1 self-evaluated: 77.00 → 中 (从紧安排, −10%) and 执行率 140 / 200 = 70.0% < 80% → 削减/取消 of 200 − 140 = 60
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, [.. ReportFixtures.Project(), .. ReportFixtures.SelfEvaluation()]);
        var cuts = new CutQueries(engine);
        var before = await cuts.ListAsync(DataScope.All, 2024);
        var cut = Assert.Single(before, c => c.Flag == "削减/取消");
        Assert.Equal(60m, cut.Amount);
        // the seed's citations: the county's 第四条 for 削减/取消, the college's 第十六条 for 从紧安排
        Assert.Equal(County + "第四条", cut.Basis);
        Assert.Equal(County + "第四条（“对低效无效资金一律削减或取消”）", cut.BasisQuote);
        Assert.Equal("《常州纺织服装职业技术学院预算绩效管理办法》第十六条", Assert.Single(before, c => c.Flag == "从紧安排").Basis);

        var service = new RegulationService(engine, new WarehouseRebuild(engine));
        // only a 管理员; a bad table is refused with file, row, column and reason, and nothing is recorded
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => LoadAsync(service, "财政", "办法.csv", "办法,条,款,原文\n"));
        var refused = await LoadAsync(service, "管理员", "办法.csv", $"办法,条,款,原文\n{Bureau},第六条,,对低效无效资金予以削减\n{Bureau},六a,,x\n");
        var problem = Assert.Single(refused.Problems);
        Assert.Equal(("办法.csv", 3, "条", "六a"), (problem.File, problem.Row, problem.Column, problem.Value));
        Assert.Equal("seed", Assert.Single((await service.Store.ArticlesAsync()).Select(a => a.Source).Distinct()));

        // when the 管理员 loads the bureau's table (article 6 written as a number) and maps 削减/取消 to its 第六条（二）
        var loaded = await LoadAsync(service, "管理员", "某县办法.csv",
            $"办法,条,款,原文\n{Bureau},6,（二）,对低效无效资金予以削减\n{Bureau},第九条,,对评价结果为中的项目从紧安排\n");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        // then before any mapping no rule borrows a default citation: every one is 未对应条款
        Assert.All(await service.Store.CitationsAsync(), c => Assert.Equal(("未对应条款", false), (c.Citation, c.Mapped)));
        Assert.All(await cuts.ListAsync(DataScope.All, 2024), c => Assert.Equal(("未对应条款", "未对应条款"), (c.Basis, c.BasisQuote)));

        var article = Assert.Single(await service.Store.ArticlesAsync(), a => a.Article == "第六条");
        Assert.Equal($"《{Bureau}》第六条（二）", article.Citation);
        Assert.True((await service.MapAsync(As("管理员"), "flag.cut", [article.ArticleKey])).Ok);
        Assert.NotEmpty((await service.MapAsync(As("管理员"), "flag.cut", ["no-such-key"])).Problems);

        // the cut list (/cuts reads TopAsync), the export and a new report cite the bureau's article with its phrase
        var expected = $"《{Bureau}》第六条（二）";
        var top = await cuts.TopAsync(DataScope.All, 2024, ["削减/取消", "从紧安排"], 200);
        Assert.Equal((expected, expected + "（“对低效无效资金予以削减”）"), (top.Single(c => c.Flag == "削减/取消").Basis, top.Single(c => c.Flag == "削减/取消").BasisQuote));
        Assert.Equal("未对应条款", top.Single(c => c.Flag == "从紧安排").Basis);
        var export = await ExportAsync(cuts, "cuts.csv");
        Assert.Contains(export, l => l.Contains("削减/取消") && l.Contains(expected + "（“对低效无效资金予以削减”）"));
        Assert.DoesNotContain(export, l => l.Contains("杭锦旗") || l.Contains("常州纺织"));
        var report = ReportText((await ReportFiles.BuildAsync(engine, ReportRequest.ForProject("RP1", 2024, "1-6月", ReportKind.Feedback)))!);
        Assert.Contains(report, p => p.Contains("削减/取消") && p.Contains("依据：" + expected + "（“对低效无效资金予以削减”）"));
        Assert.DoesNotContain(report, p => p.Contains("杭锦旗") || p.Contains("常州纺织"));

        // the figures are unchanged, and the audit log has the load and the mapping
        var after = await cuts.ListAsync(DataScope.All, 2024);
        Assert.Equal(before.Select(c => (c.ProjectCode, c.Flag, c.SuggestedChangePct, c.Amount, c.Reason)),
            after.Select(c => (c.ProjectCode, c.Flag, c.SuggestedChangePct, c.Amount, c.Reason)));
        var audit = await new UserStore(engine).RecentAuditAsync(10);
        Assert.Contains(audit, e => e.Action == "regulation.load" && e.UserName == "u-管理员" && e.Detail!.StartsWith("某县办法.csv"));
        Assert.Contains(audit, e => e.Action == "regulation.map" && e.Detail == $"flag.cut: 未对应条款 → {expected}");
    }
}
