using System.Security.Claims;
using BudgetPerf.Dashboard.Annotations;
using BudgetPerf.Dashboard.Export;
using BudgetPerf.Dashboard.Security;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Annotations;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;
using Dapper;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Security;

/// <summary>
/// 财政批注 (migration 0017) on both engines, over two departments' year-end self-evaluations:
/// A1 of 教育局 (101) scores 10 + 90 = 100 → 优 → 优先保障; B1 of 交通局 (102) scores 10 + 90 × 0.4 = 46 → 差 → 削减/取消.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FlagAnnotationTests(PostgresServer postgres) : IDisposable
{
    private const string Cut = "削减/取消", Keep = "优先保障";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<WarehouseEngine> BuiltAsync(string engineName) => HandMade.BuildAsync(engineName, _dir, postgres,
        ("fund.csv", FundHeader + "2024,A1,课后服务补助,101,教育局,年度资金总额,100,100,100,10,10\n"
                                + "2024,B1,农村公路养护,102,交通局,年度资金总额,100,100,100,10,10\n"),
        ("ind.csv", IndicatorHeader + "2024,A1,产出指标,数量指标,服务人次,,≥100人次,,100,90,\n"
                                    + "2024,B1,产出指标,数量指标,养护里程,,≥100公里,,40,90,\n"));

    private static async Task<List<AuditEntry>> AnnotateAuditAsync(WarehouseEngine engine)
    {
        await using var connection = await engine.OpenAsync();
        return (await connection.QueryAsync<AuditEntry>(
            "SELECT logged_at AS LoggedAt, user_name AS UserName, action AS Action, detail AS Detail, outcome AS Outcome " +
            "FROM audit_log WHERE action = 'annotate' ORDER BY logged_at")).ToList();
    }

    private static async Task<long> AnnotationRowsAsync(WarehouseEngine engine)
    {
        await using var connection = await engine.OpenAsync();
        return Convert.ToInt64(await connection.ExecuteScalarAsync("SELECT COUNT(*) FROM flag_annotation"));
    }

    private static ClaimsPrincipal UserOf(string role, string departments = "") =>
        CallerClaims.PrincipalOf(new AppUser { UserName = "u-" + role, DisplayName = role, Roles = role, Departments = departments });

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_latest_annotation_is_current_the_earlier_stays_in_history_and_both_are_audited(string engineName)
    {
        var engine = await BuiltAsync(engineName);
        var store = new FlagAnnotationStore(engine);

        var first = await store.AddAsync(2024, "B1", Cut, FlagDecision.Verify, "  请交通局核实养护里程  ", "cz1");
        var second = await store.AddAsync(2024, "B1", Cut, FlagDecision.Reject, "已核实，里程统计口径有误", "cz2");

        var current = Assert.Single(await store.CurrentAsync(DataScope.All, 2024));
        Assert.Equal((second.AnnotationId, "B1", Cut, "不采纳", "已核实，里程统计口径有误", "cz2", second.AnnotatedAt),
            (current.AnnotationId, current.ProjectCode, current.Flag, current.Decision, current.Note, current.AnnotatedBy, current.AnnotatedAt));
        var history = await store.ForProjectAsync(DataScope.All, "B1");
        Assert.Equal([second.AnnotationId, first.AnnotationId], history.Select(a => a.AnnotationId));
        Assert.Equal(["不采纳", "待核实"], history.Select(a => a.Decision));
        Assert.Equal("请交通局核实养护里程", history[1].Note);   // trimmed
        Assert.Empty(await store.CurrentAsync(DataScope.All, 2023));

        var audit = await AnnotateAuditAsync(engine);
        Assert.Equal(["cz1", "cz2"], audit.Select(a => a.UserName));
        Assert.All(audit, a => Assert.Equal("ok", a.Outcome));
        Assert.Equal("2024 B1 削减/取消：不采纳；已核实，里程统计口径有误", audit[1].Detail);

        // a decision outside 采纳 / 不采纳 / 待核实 is refused by the store and, written around it, by the table
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddAsync(2024, "B1", Cut, "同意", null, "cz1"));
        await using (var connection = await engine.OpenAsync())
            await Assert.ThrowsAnyAsync<Exception>(() => connection.ExecuteAsync(
                "INSERT INTO flag_annotation (fiscal_year, project_code, flag, decision, annotated_by, annotated_at) " +
                "VALUES (2024, 'B1', '削减/取消', '同意', 'x', TIMESTAMP '2025-01-01 00:00:00')"));
        Assert.Equal(2L, await AnnotationRowsAsync(engine));
        Assert.Equal(2, (await AnnotateAuditAsync(engine)).Count);
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_department_reader_sees_only_its_own_departments_annotations(string engineName)
    {
        var engine = await BuiltAsync(engineName);
        var store = new FlagAnnotationStore(engine);
        await store.AddAsync(2024, "A1", Keep, FlagDecision.Adopt, null, "cz");
        await store.AddAsync(2024, "B1", Cut, FlagDecision.Verify, "核实中", "cz");
        var education = DataScope.Of(["101"]);

        Assert.Equal(["A1", "B1"], (await store.CurrentAsync(DataScope.All, 2024)).Select(a => a.ProjectCode));
        Assert.Equal(["A1"], (await store.CurrentAsync(education, 2024)).Select(a => a.ProjectCode));
        Assert.Single(await store.ForProjectAsync(education, "A1"));
        Assert.Empty(await store.ForProjectAsync(education, "B1"));
        Assert.Empty(await store.CurrentAsync(DataScope.Of([]), 2024));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Only_finance_may_annotate_and_only_a_flag_the_project_has(string engineName)
    {
        var engine = await BuiltAsync(engineName);
        var gate = new FlagAnnotationService(new FlagAnnotationStore(engine), new ProjectDrillQueries(engine));

        // 领导, 分析, 管理员 read everything but may not annotate; nor may 部门, even on its own department's project
        foreach (var user in new[] { UserOf("领导"), UserOf("分析"), UserOf("管理员"), UserOf("部门", "102"), new ClaimsPrincipal(new ClaimsIdentity()) })
        {
            var refused = await gate.AnnotateAsync(user, 2024, "B1", Cut, FlagDecision.Adopt, null);
            Assert.Equal(AnnotateOutcome.Forbidden, refused.Outcome);
            Assert.Null(refused.Annotation);
        }
        Assert.Equal(0L, await AnnotationRowsAsync(engine));

        var finance = UserOf("财政");
        Assert.Equal(AnnotateOutcome.NotFound, (await gate.AnnotateAsync(finance, 2024, "A1", Cut, FlagDecision.Adopt, null)).Outcome);   // A1 is 优先保障
        Assert.Equal(AnnotateOutcome.NotFound, (await gate.AnnotateAsync(finance, 2023, "B1", Cut, FlagDecision.Adopt, null)).Outcome);
        Assert.Equal(AnnotateOutcome.Invalid, (await gate.AnnotateAsync(finance, 2024, "B1", Cut, "", null)).Outcome);
        Assert.Equal(AnnotateOutcome.Invalid, (await gate.AnnotateAsync(finance, 2024, "B1", Cut, FlagDecision.Adopt, new string('长', 501))).Outcome);
        Assert.Equal(0L, await AnnotationRowsAsync(engine));

        var saved = await gate.AnnotateAsync(finance, 2024, "B1", Cut, FlagDecision.Adopt, "按建议削减 30%");
        Assert.Equal(AnnotateOutcome.Saved, saved.Outcome);
        Assert.Equal(("u-财政", "采纳"), (saved.Annotation!.AnnotatedBy, saved.Annotation.Decision));
        Assert.Equal(1L, await AnnotationRowsAsync(engine));
        // five refusals for want of the role and two for a flag that is not there, each audited; one annotation
        var audit = await AnnotateAuditAsync(engine);
        Assert.Equal(7, audit.Count(a => a.Outcome == "refused"));
        Assert.Equal(["u-领导", "u-分析", "u-管理员", "u-部门", "anonymous"], audit.Where(a => a.Detail!.Contains("无批注权限")).Select(a => a.UserName));
        Assert.Equal("u-财政", Assert.Single(audit, a => a.Outcome == "ok").UserName);
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_cuts_export_carries_each_flags_current_decision_and_note(string engineName)
    {
        var engine = await BuiltAsync(engineName);
        var store = new FlagAnnotationStore(engine);
        await store.AddAsync(2024, "B1", Cut, FlagDecision.Verify, "先核实", "cz");
        await store.AddAsync(2024, "B1", Cut, FlagDecision.Adopt, "=按建议削减", "cz");   // the current one; formula-leading on purpose

        var cuts = new CutQueries(engine);
        var rows = await cuts.ListAsync(DataScope.All, 2024);
        var cut = Assert.Single(rows, r => r is { ProjectCode: "B1", Flag: Cut });
        Assert.Equal(("采纳", "=按建议削减"), (cut.AnnotationDecision, cut.AnnotationNote));
        Assert.All(rows.Where(r => r != cut), r => Assert.Equal((null, null), (r.AnnotationDecision, r.AnnotationNote)));
        Assert.True(rows.Count(r => r.ProjectCode == "A1") >= 1);   // 优先保障 (and any other flag) without annotation

        // the file the export endpoint writes: two more columns, the note neutralised
        var opened = await cuts.OpenReaderAsync(cuts.Whole(DataScope.All, 2024));
        var path = _dir.File("cuts.csv");
        await using (opened!.Value.Connection)
        await using (opened.Value.Reader)
            Assert.Equal(rows.Count, await GridExport.WriteAsync(opened.Value.Reader, "csv", path));
        var lines = await File.ReadAllLinesAsync(path);
        // the page's headers (FiscalYear → 年度 …: the aliases are quoted, the same on PostgreSQL, which would fold unquoted ones)
        var header = lines[0].TrimStart('\uFEFF').Split(',');
        Assert.Equal(["年度", "项目编码"], header[..2]);
        Assert.Equal(["财政意见", "批注"], header[^2..]);
        var b1 = Assert.Single(lines, l => l.Contains(",B1,") && l.Contains(Cut));
        Assert.EndsWith(",采纳,\"'=按建议削减\"", b1);

        // a department reader's export holds its own rows only, with their annotations
        Assert.All(await cuts.ListAsync(DataScope.Of(["101"]), 2024), r => Assert.Equal("A1", r.ProjectCode));
    }
}
