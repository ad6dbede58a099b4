using System.Globalization;
using System.Text.RegularExpressions;
using BudgetPerf.Etl.Demo;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Engines.DuckDb;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration.Incremental;

/// <summary>
/// Issue 15 item 1, done when: after any sequence of uploads, resubmissions, rejected files and policy changes the
/// incremental build equals a full refresh, row for row, on both engines. Two warehouses take the same files in
/// the same order; one builds incrementally, the other with <c>--full-refresh</c>; after every step every model's
/// whole content is compared.
/// </summary>
[Collection(UntimedPostgresCollection.Name)]
public sealed partial class IncrementalBuildTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    [GeneratedRegex(@"^incremental: (\d+) rows deleted, (\d+) inserted$")]
    private static partial Regex IncrementalMessage();

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Incremental_builds_equal_a_full_refresh_after_uploads_resubmission_rejection_and_policy_change(string engineName)
    {
        // given: four departments of the county demo (two years), one department's 2026 1-6月 monitoring held back
        var demo = new DemoSlices(new DemoGenerator(new DemoOptions { Years = 2, Seed = 7 }).Generate(_dir.File("demo")));
        var kept = demo.Departments.Take(4).ToHashSet();
        var heldBack = demo.Departments[3];
        var monitoringFund = demo.Files.Single(f => f.EndsWith("2026_1-6月_监控资金.csv", StringComparison.Ordinal));
        var monitoringIndicator = demo.Files.Single(f => f.EndsWith("2026_1-6月_监控指标.csv", StringComparison.Ordinal));
        var incremental = await FreshAsync(engineName, "incremental");
        var full = await FreshAsync(engineName, "full");
        var sequence = new Sequence(this, incremental, full);

        // step 1: the demo loaded and built (the incremental warehouse builds every model in full: none exists yet)
        foreach (var file in demo.Files)
        {
            var csv = demo.Keep(file, (department, _) => kept.Contains(department)
                && !(department == heldBack && (file == monitoringFund || file == monitoringIndicator)));
            if (csv.Rows.Count > 0) await sequence.LoadAsync("initial/" + Path.GetFileName(file), csv.Text());
        }
        var first = await sequence.BuildAndCompareAsync("demo");
        Assert.Equal("full: new", first.Single(n => n.Node == "fct_indicator_judgement").Message);

        // step 2: the held-back department uploads its 1-6月 monitoring
        var heldBackBatches = new List<(long Incremental, long Full)>
        {
            await sequence.LoadAsync("dept/监控资金.csv", demo.Keep(monitoringFund, (d, _) => d == heldBack).Text()),
            await sequence.LoadAsync("dept/监控指标.csv", demo.Keep(monitoringIndicator, (d, _) => d == heldBack).Text()),
        };
        var upload = await sequence.BuildAndCompareAsync("one department's upload");
        // the readers' cache by 年度: the slices are 2026's, so what pages show of 2025 is as it was (checked above at every step)
        Assert.Equal(2026, sequence.LastFromYear);
        var (deleted, inserted) = Incremental(upload, "fct_indicator_judgement");
        // the slice (2026, 1-6月, held-back department) held only the department's own 部门整体 indicator rows before;
        // recomputed, it holds those and one row per uploaded project indicator row — nothing of the other departments
        var deptIndicatorFile = demo.Files.Single(f => f.EndsWith("2026_1-6月_部门整体监控指标.csv", StringComparison.Ordinal));
        var ownRows = demo.Keep(deptIndicatorFile, (d, _) => d == heldBack).Rows.Count;
        var uploadedRows = demo.Keep(monitoringIndicator, (d, _) => d == heldBack).Rows.Count;
        Assert.Equal(ownRows, deleted);
        Assert.Equal(ownRows + uploadedRows, inserted);
        Assert.StartsWith("incremental:", upload.Single(n => n.Node == "fct_budget_execution").Message);
        // the project dimension and the year-end forecast are kept by key too: the uploaded projects' rows, not the province's
        Assert.StartsWith("incremental:", upload.Single(n => n.Node == "dim_project").Message);
        Assert.StartsWith("incremental:", upload.Single(n => n.Node == "mart_execution_forecast").Message);
        // the department dimension is kept by key, and a 监控 upload names no 项目信息 row: stg_project stays as it was
        Assert.StartsWith("incremental:", upload.Single(n => n.Node == "dim_department").Message);
        Assert.Equal("unchanged", upload.Single(n => n.Node == "stg_project").Status);
        // the department's first 监控 of the period moves the rank of more than three quarters of the province's projects:
        // the narrow rank written whole (its full_refresh_above_share), and by key again at the resubmission below
        Assert.Contains("full_refresh_above_share", upload.Single(n => n.Node == "mart_project_deviation_rank").Message);
        // a 监控 upload changes no 自评 table: its staging is left as it was (and still equals the full build); on
        // PostgreSQL the views over stg_current_batch are made again, as the table they read is replaced (CASCADE)
        if (engineName == "duckdb")
        {
            Assert.Equal("unchanged", upload.Single(n => n.Node == "stg_selfeval_indicator").Status);
            Assert.Equal("unchanged", upload.Single(n => n.Node == "stg_dept_selfeval_fund").Status);
        }
        Assert.Equal("unchanged", upload.Single(n => n.Node == "fct_indicator_score").Status);
        Assert.Contains(upload, n => n.NodeType == "test");   // the data tests of what changed ran
        Assert.True(upload.Count(n => n.NodeType == "test") < first.Count(n => n.NodeType == "test"), "fewer data tests than a full build");

        // step 3: a project of the first department resubmits: 期间执行数 halved, its last indicator row left out
        var funds = demo.Keep(monitoringFund, (d, _) => d == demo.Departments[0]);
        var project = funds.Rows[0][funds.Column("项目编码")];
        var executed = funds.Column("期间执行数");
        var resubmittedFunds = funds with
        {
            Rows = funds.Rows.Where(r => r[funds.Column("项目编码")] == project)
                .Select(r => r.Select((v, i) => i == executed ? Half(v) : v).ToList()).ToList(),
        };
        var indicators = demo.Keep(monitoringIndicator, (d, _) => d == demo.Departments[0]);
        indicators = indicators with { Rows = indicators.Rows.Where(r => r[indicators.Column("项目编码")] == project).ToList() };
        Assert.True(indicators.Rows.Count >= 2, $"project {project} has at least two indicators");
        var resubmittedBatches = new List<(long Incremental, long Full)>
        {
            await sequence.LoadAsync("resubmission/监控资金.csv", resubmittedFunds.Text()),
            await sequence.LoadAsync("resubmission/监控指标.csv", (indicators with { Rows = indicators.Rows[..^1] }).Text()),
        };
        var resubmission = await sequence.BuildAndCompareAsync("resubmission");
        Assert.True(Incremental(resubmission, "fct_indicator_judgement").Deleted > 0, "the replaced rows were deleted");
        // the project's 执行数 halved raises its 偏差指数 past projects of other departments: mart_project_deviation_rank
        // writes the touched department's projects (mart_project_deviation_base's rows) and, beyond them, the rows whose
        // rank moved — each of which the comparison with the full refresh above found right
        var touchedRows = Incremental(resubmission, "mart_project_deviation_base").Inserted;
        var (rankDeleted, rankInserted) = Incremental(resubmission, "mart_project_deviation_rank");
        Assert.True(rankInserted > touchedRows, $"ranks of other projects moved: {rankInserted} rows written, {touchedRows} touched");
        Assert.Equal(rankDeleted, rankInserted);
        // the current batch is chosen again for the resubmission's two keys only (its 监控资金 and 监控指标 of 1-6月), by key
        Assert.Equal("incremental: 2 rows deleted, 2 inserted", resubmission.Single(n => n.Node == "stg_current_batch").Message);

        // step 4: a file that fails validation loads nothing, and the build after it changes nothing
        var broken = resubmittedFunds with
        {
            Rows = resubmittedFunds.Rows.Select(r => r.Select((v, i) => i == executed ? "未知数" : v).ToList()).ToList(),
        };
        await sequence.LoadAsync("rejected/监控资金.csv", broken.Text(), LoadStatus.Rejected);
        var rejected = await sequence.BuildAndCompareAsync("rejected file");
        // nothing loaded: only the models reading application or runner tables are recomputed (the changed batches'
        // entities, now none, and the slices), found unchanged
        Assert.Equal("unchanged", rejected.Single(n => n.Node == "fct_indicator_judgement").Status);
        Assert.Equal(["build_slice", "changed_entities", "policy_current", "regulation_current", "rule_citation_current"],
            rejected.Where(n => n.NodeType == "model" && n.Status == "success" && n.Node != "bi").Select(n => n.Node).Order(StringComparer.Ordinal));

        // step 4b: the project's 监控资金 alone once more, 期间执行数 halved again, its names and department as before:
        // dim_project's row for it comes out as it was and is left alone, so the models reading dim_project and no changed
        // raw table (the indicator judgement) stay as they were, while the execution facts take the new figures
        var quarterFunds = resubmittedFunds with
        {
            Rows = resubmittedFunds.Rows.Select(r => r.Select((v, i) => i == executed ? Half(v) : v).ToList()).ToList(),
        };
        await sequence.LoadAsync("resubmission/监控资金_再报.csv", quarterFunds.Text());
        var fundsOnly = await sequence.BuildAndCompareAsync("a 监控资金 resubmission naming the project as before");
        Assert.Equal((0L, 0L), Incremental(fundsOnly, "dim_project"));
        Assert.Equal("unchanged", fundsOnly.Single(n => n.Node == "fct_indicator_judgement").Status);
        Assert.True(Incremental(fundsOnly, "fct_budget_execution").Inserted > 0, "the new 执行数 were written");

        // step 5: 政策参数 partial_shortfall 0.3 → 0.45: every model reading the policy is stale and recomputed in full
        // (the override row written with one timestamp into both warehouses, so policy_current compares equal)
        foreach (var engine in new[] { incremental, full })
        {
            await using var connection = await engine.OpenAsync();
            await connection.ExecuteAsync(engine.Sql(
                "INSERT INTO policy_override (setting, value, changed_by, changed_at, reason) VALUES ('partial_shortfall', '0.45', '测试管理员', @at, '增量构建测试')"),
                new { at = new DateTime(2026, 7, 1, 9, 0, 0) });
        }
        var policy = await sequence.BuildAndCompareAsync("policy change");
        Assert.Equal("full: stale", policy.Single(n => n.Node == "fct_indicator_judgement").Message);
        Assert.Equal("full: stale", policy.Single(n => n.Node == "fct_indicator_summary").Message);
        Assert.Null(sequence.LastFromYear); // a stale model: any year may change

        // step 6: the second department resubmits its 部门整体 monitoring indicators, one row fewer
        var deptIndicators = demo.Keep(deptIndicatorFile, (d, _) => d == demo.Departments[1]);
        await sequence.LoadAsync("dept2/部门整体监控指标.csv", (deptIndicators with { Rows = deptIndicators.Rows[..^1] }).Text());
        var another = await sequence.BuildAndCompareAsync("another upload");
        Assert.True(Incremental(another, "fct_indicator_judgement").Deleted > 0);

        // step 7: the resubmitted project moves to the second department (a 项目信息 row naming it under that department):
        // both departments' slices are recomputed
        var master = DemoSlices.Read(demo.Files.Single(f => Path.GetFileName(f) == "项目信息.csv"));
        var secondName = master.Rows.First(r => r[master.Column("主管部门编码")] == demo.Departments[1])[master.Column("主管部门")];
        var moved = master with
        {
            Rows = master.Rows.Where(r => r[master.Column("项目编码")] == project)
                .Select(r => r.Select((v, i) => i == master.Column("主管部门编码") ? demo.Departments[1]
                    : i == master.Column("主管部门") ? secondName : v).ToList()).ToList(),
        };
        Assert.Single(moved.Rows);
        await sequence.LoadAsync("move/项目信息.csv", moved.Text());
        var move = await sequence.BuildAndCompareAsync("a project moving department");
        // 项目信息 is no raw table of the staging table of current batches: the new batch in etl_batch leaves it as it was
        Assert.Equal("unchanged", move.Single(n => n.Node == "stg_current_batch").Status);
        Assert.StartsWith("incremental:", move.Single(n => n.Node == "fct_budget_execution").Message);
        Assert.Null(sequence.LastFromYear); // dim_project changed: every year's rows show the project's department

        // step 8: the step-3 resubmission is withdrawn (its batches no longer loaded): the project's earlier batches are
        // current again, found by the incremental stg_current_batch among the raw rows of the keys it had
        await sequence.WithdrawAsync(resubmittedBatches);
        var withdrawn = await sequence.BuildAndCompareAsync("a resubmission withdrawn");
        // the two withdrawn batches named the project's 1-6月 fund rows and indicator rows: two keys replaced, none gone
        Assert.Equal("incremental: 2 rows deleted, 2 inserted", withdrawn.Single(n => n.Node == "stg_current_batch").Message);
        Assert.True(Incremental(withdrawn, "fct_indicator_judgement").Inserted > 0, "the project's earlier indicators are back");

        // steps 9–12: a 交叉重复 pair made and undone, a project that moves department, a ranking changed by 自评
        await IncrementalSliceCases.RunAsync(demo, demo.Departments.Take(4).ToList(), incremental,
            (name, csv) => sequence.LoadAsync(name, csv), sequence.BuildAndCompareAsync);

        // steps 13–14: a new 年度 arrives (dim_period changes) and leaves again, the marts reading dim_period kept by slice
        await IncrementalYearCases.RunAsync(demo, demo.Departments[2], incremental, full,
            (name, csv) => sequence.LoadAsync(name, csv), sequence.BuildAndCompareAsync);
        // steps 15–17: raw rows changed by hand, outside a batch (IncrementalBuildTests.HandEdits.cs)
        await HandEditsAsync(engineName, incremental, full, sequence);
        // steps 18–19 and 26: a project without a department, a department's 监控 of a period withdrawn, then every batch
        // of the project without a department withdrawn (IncrementalBuildTests.IndicatorNames.cs)
        await IndicatorNamesAsync(demo, heldBack, monitoringIndicator, heldBackBatches, incremental, sequence);
        // steps 20–25: a declared target changed, adjusted and restored; a department's declared otherwise and again
        await IncrementalTargetCases.RunAsync(demo, demo.Departments[1], demo.Departments[2], incremental,
            (name, csv) => sequence.LoadAsync(name, csv), sequence.BuildAndCompareAsync);
    }

    private static string Half(string value) =>
        (decimal.Parse(value, CultureInfo.InvariantCulture) / 2).ToString("0.####", CultureInfo.InvariantCulture);

    private static (long Deleted, long Inserted) Incremental(IReadOnlyList<NodeResult> build, string model)
    {
        var message = build.Single(n => n.Node == model).Message ?? "";
        var match = IncrementalMessage().Match(message);
        Assert.True(match.Success, $"{model} was built incrementally, not '{message}'");
        return (long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    private async Task<WarehouseEngine> FreshAsync(string engineName, string name)
    {
        WarehouseEngine engine = engineName == "duckdb"
            ? new DuckDbEngine(_dir.File(name + ".duckdb"))
            : await Engines.FreshAsync("postgres", _dir, postgres);
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        return engine;
    }

    /// <summary>The same files loaded into both warehouses; one built incrementally, the other in full.</summary>
    private sealed class Sequence(IncrementalBuildTests test, WarehouseEngine incremental, WarehouseEngine full)
    {
        /// <summary>Loads the file into both warehouses; returns the batch each gave it (0 when none).</summary>
        public async Task<(long Incremental, long Full)> LoadAsync(string name, string csv, LoadStatus expected = LoadStatus.Loaded)
        {
            var path = test._dir.Write(name, csv);
            var batches = new List<long>();
            foreach (var engine in new[] { incremental, full })
            {
                var result = await new SubmissionLoader(engine).LoadFileAsync(path);
                Assert.True(result.Status == expected, $"{name}: {result.Status}, {string.Join("\n", result.Issues.Take(5))}");
                batches.Add(result.BatchId ?? 0);
            }
            return (batches[0], batches[1]);
        }

        /// <summary>Withdraws the batches (as 撤回 does: no longer loaded) in both warehouses, each its own batch ids.</summary>
        public async Task WithdrawAsync(IReadOnlyList<(long Incremental, long Full)> batches)
        {
            foreach (var (engine, ids) in new[] { (incremental, batches.Select(b => b.Incremental)), (full, batches.Select(b => b.Full)) })
            {
                await using var connection = await engine.OpenAsync();
                await connection.ExecuteAsync($"UPDATE etl_batch SET status = 'withdrawn' WHERE batch_id IN ({string.Join(", ", ids)})");
            }
        }

        public async Task<IReadOnlyList<NodeResult>> BuildAndCompareAsync(string step)
        {
            var target = test._dir.File("target");
            var a = await new ModelRunner(incremental).BuildAsync(new BuildOptions { ArtifactsDir = target });
            // the full refresh on three sessions: each model once the models it reads are built, several at once
            var b = await new ModelRunner(full).BuildAsync(new BuildOptions { ArtifactsDir = target, FullRefresh = true, BuildSessions = 3 });
            Assert.True(a.Success, $"{step}, incremental: " + string.Join("\n", a.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}")));
            Assert.True(b.Success, $"{step}, full: " + string.Join("\n", b.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}")));
            var rows = await WarehouseComparison.AssertSameModelsAsync(incremental, full, step);
            await AssertReportedRowsAsync(a.Nodes, step);
            LastFromYear = await FromYearAsync();
            if (_rows is not null && LastFromYear is { } fromYear) WarehouseComparison.AssertYearsBeforeKept(_rows, rows, fromYear, step, incremental);
            _rows = rows;
            return a.Nodes;
        }

        /// <summary>The incremental warehouse's rows after the last step (each step's build is checked against them).</summary>
        private IReadOnlyDictionary<string, List<WarehouseComparison.ModelRow>>? _rows;

        /// <summary>The first 年度 the last incremental build recorded its changes could show in (warehouse_version.from_year).</summary>
        public int? LastFromYear { get; private set; }

        private async Task<int?> FromYearAsync()
        {
            await using var connection = await incremental.OpenAsync();
            return await connection.ExecuteScalarAsync<int?>(
                "SELECT from_year FROM warehouse_version WHERE changed_at = (SELECT MAX(changed_at) FROM warehouse_version)");
        }

        /// <summary>
        /// Each incremental model built reports the rows its table holds: counted after a full build, and after an
        /// incremental one the rows recorded at the last build less those deleted plus those inserted (never counted again).
        /// </summary>
        private async Task AssertReportedRowsAsync(IReadOnlyList<NodeResult> nodes, string step)
        {
            await using var connection = await incremental.OpenAsync();
            foreach (var node in nodes.Where(n => n.Status == "success" && n.Message is { } m
                         && (m.StartsWith("incremental:", StringComparison.Ordinal) || m.StartsWith("full:", StringComparison.Ordinal))))
            {
                var counted = Convert.ToInt64(await connection.ExecuteScalarAsync($"SELECT COUNT(*) FROM {node.Node}"));
                Assert.True(node.Rows == counted, $"{step}: {node.Node} reported {node.Rows} rows ({node.Message}), holds {counted}");
            }
        }
    }

    public void Dispose() => _dir.Dispose();
}
