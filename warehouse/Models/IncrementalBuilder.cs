using System.Data.Common;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Warehouse.Models;

/// <summary>
/// The incremental materialisation (增量模型, issue 15), dbt's delete+insert strategy over (年度, 期间, 部门) slices:
/// the model's SQL with <c>is_incremental()</c> true selects the rows of the slices in <c>build_slice</c> into a
/// temporary table; the rows of <c>{{ this }}</c> whose <c>unique_key</c> is among the touched slices (or, for a key
/// <c>build_slice</c> lacks, among the new rows; or those the model's own <c>-- delete_where:</c> names) are deleted and
/// the new rows inserted. A model recomputes in full
/// when it does not exist, on <c>--full-refresh</c>, in a <c>--select</c> build, or when it is stale: its fingerprint
/// (its SQL and its ancestors', the seeds they read, the policy in force) differs from the one recorded at its last
/// build (runner_model_state, migration 0110). After a whole build the loaded batches become the watermark
/// (runner_built_batch) that the next build's <c>build_slice</c> compares against.
/// </summary>
public sealed class IncrementalBuilder(WarehouseEngine engine, ModelProject project, BuildOptions options, string runId,
    ChangeTracker tracker)
{
    /// <summary>The runner's relation of touched slices (sql/models/incremental/build_slice.sql).</summary>
    public const string SliceModel = "build_slice";

    /// <summary>
    /// The changed batches' projects and departments (sql/models/incremental/changed_entities.sql), read by build_slice,
    /// stg_project, dim_project and dim_department in place of each scanning the raw tables (issue 15).
    /// </summary>
    public const string ChangedEntitiesModel = "changed_entities";

    /// <summary>The models listing what changed: rebuilt every build, and no incremental model is dirty by them alone.</summary>
    public static readonly IReadOnlySet<string> ChangeLists = new HashSet<string>(StringComparer.Ordinal) { SliceModel, ChangedEntitiesModel };

    /// <summary>The build's replace locks, taken before a full rebuild replaces the table (<see cref="ReplaceLocks"/>).</summary>
    public ReplaceLocks? Locks { get; init; }

    /// <summary>The current node's step clock (<see cref="RunnerTrace"/>), set by the runner before each node.</summary>
    public BuildPhases Steps { get; set; } = new();

    /// <summary>
    /// A boolean column an incremental model's <c>is_incremental()</c> SQL may return: its true rows only name keys to
    /// delete (a key the changed batches took every row from), its false rows are inserted; the table has no such column.
    /// </summary>
    public const string DeleteOnlyColumn = "incremental_delete_only";

    /// <summary>Whether this build may advance the watermark: a whole-project build, not a <c>--select</c>.</summary>
    private bool WholeBuild => string.IsNullOrWhiteSpace(options.Select);

    /// <summary>
    /// Before the models: the changed batches listed in runner_changed_batch for <c>build_slice</c>. On a full
    /// refresh, or when no incremental model exists yet, nothing will be built incrementally, so the watermark is
    /// first set to every loaded batch and the list stays empty. A <c>--select</c> build leaves both as they are.
    /// </summary>
    public async Task PrepareAsync(DbConnection connection)
    {
        if (!WholeBuild)
        {
            await tracker.PrepareAsync(connection, enabled: false, wholeBuild: false);
            return;
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var incremental = project.Graph.Nodes.Where(n => n.Materialization == Materialization.Incremental).ToList();
        await tracker.Catalog.LoadAsync(connection); // every relation and its columns, once for the build (RunnerCatalog)
        var anyExists = incremental.Any(node => tracker.RelationType(node.Name) is not null);
        var first = options.FullRefresh || !anyExists;
        if (first)
            await AdvanceWatermarkAsync(connection);
        await WideChange.ListChangedBatchesAsync(engine, connection);
        RunnerTrace.Step("prepare: relation types, changed batches", clock.Elapsed.TotalSeconds);
        await tracker.PrepareAsync(connection, enabled: !first, wholeBuild: true);
    }

    /// <summary>
    /// Builds one incremental model; returns its row count and the SQL run, whether it was incremental, and whether its
    /// rows changed (a full build, or any row deleted or inserted).
    /// </summary>
    public async Task<(long Rows, string Sql, string Mode, bool Changed)> MaterializeAsync(DbConnection connection, ModelNode node)
    {
        var fingerprint = await tracker.FingerprintAsync(connection, node);
        Steps.Lap("fingerprint");
        var existing = tracker.RelationType(node.Name);
        Steps.Lap("relation type");
        // as runner_model_state holds it: read at the build's start, written only at its commit
        var stored = tracker.StoredFingerprint(node.Name);
        var wholeInputChanged = node.FullRefreshWhenChanged.FirstOrDefault(tracker.HasChanged);
        var incremental = !options.FullRefresh && WholeBuild && existing == "BASE TABLE" && stored == fingerprint && !tracker.HandEdited
                          && wholeInputChanged is null;
        var sql = incremental && await SliceRelationAsync(connection, node) is { } slice ? node.Render(true, slice) : node.Render(incremental);
        Steps.Lap("slice+render");
        RunnerTrace.Sql(node.Name, sql);
        var staged = node.Name + "__incr";
        string? tooMany = null;
        if (incremental && node.FullRefreshAboveShare is { } share)
        {
            // a model whose incremental rows may be most of the table (mart_project_deviation_rank: a rank that moves): past the
            // share, one CREATE TABLE AS writes the table faster than a DELETE and an INSERT of those rows
            await connection.ExecuteAsync($"DROP TABLE IF EXISTS {staged}");
            await connection.ExecuteAsync($"CREATE TEMP TABLE {staged} AS\n{sql}", commandTimeout: 0);
            var pending = await CountAsync(connection, staged);
            var limit = share * (tracker.StoredRows(node.Name) ?? await CountAsync(connection, node.Name));
            Steps.Lap("stage+count");
            if (pending > limit)
            {
                await connection.ExecuteAsync($"DROP TABLE {staged}");
                tooMany = $"full: {pending} incremental rows > full_refresh_above_share {share} of the table ({limit:0})";
                incremental = false;
                sql = node.Render(false);
            }
        }
        if (!incremental)
        {
            if (Locks is not null) await Locks.EnsureAsync(connection);
            if (existing is not null)
                await connection.ExecuteAsync(engine.DropRelationSql(node.Name, existing == "VIEW"));
            var written = await engine.CreateTableAsAsync(connection, node.Name, sql);
            Steps.Lap("create table as");
            var mode = tooMany is not null ? tooMany : existing is null ? "full: new" : options.FullRefresh ? "full: --full-refresh"
                : !WholeBuild ? "full: --select" : tracker.HandEdited ? "full: raw rows changed outside a batch" : stored is null ? "full: first incremental build"
                : wholeInputChanged is not null && stored == fingerprint ? $"full: {wholeInputChanged} changed" : "full: stale";
            var count = written ?? await CountAsync(connection, node.Name);
            tracker.Rows(node.Name, count);
            return (count, sql, mode, true);
        }

        var sliceColumns = _sliceColumns ??= (await tracker.Catalog.ColumnsAsync(connection, SliceModel)).Select(c => c.Name).ToHashSet();
        // build_slice names the keys to replace only for a model that reads it (dim_project, which build_slice itself
        // reads, names its touched keys in its own rows)
        var keySource = node.Refs.Contains(SliceModel) && node.UniqueKey.All(sliceColumns.Contains) ? SliceModel : staged;
        // no staging table when nothing needs the new rows before the delete (issue 15, the runner's cost per model): the keys
        // come from build_slice, no delete_where reads them, no row count decides the mode, and the model's SQL does not read
        // its own table (which the delete changes) — then DELETE, and INSERT … SELECT straight from the model's SQL.
        // DuckDB only: on PostgreSQL (province, ten departments, load 8–15) the direct path's DELETE of
        // fct_indicator_judgement / fct_indicator_progress took 1.0–2.5 s in 3 of 5 passes against 0.07–0.18 s staged
        // (cause not established), so PostgreSQL keeps the staging table
        var direct = engine.Name == "duckdb" && InsertsDirectly(node, sql, keySource == SliceModel);
        if (node.FullRefreshAboveShare is null && !direct)
        {
            await connection.ExecuteAsync($"DROP TABLE IF EXISTS {staged}");
            await connection.ExecuteAsync($"CREATE TEMP TABLE {staged} AS\n{sql}", commandTimeout: 0);
        }
        Steps.Lap("stage");
        var match = string.Join(" AND ", node.UniqueKey.Select(k => $"k.{k} = {node.Name}.{k}"));
        var condition = node.DeleteWhere is { } own
            ? ModelTemplate.Render(own, node.Name, isIncremental: true).Replace(IncrementalRows, staged, StringComparison.Ordinal)
            : $"EXISTS (SELECT 1 FROM {keySource} AS k WHERE {match})";
        var deleted = await connection.ExecuteAsync($"DELETE FROM {node.Name} WHERE {condition}", commandTimeout: 0);
        Steps.Lap("delete");
        var columns = string.Join(", ", (await tracker.Catalog.ColumnsAsync(connection, node.Name)).Select(c => c.Name));
        Steps.Lap("columns");
        // rows marked incremental_delete_only name a key to delete and nothing to insert (a key whose rows are gone)
        var deleteOnly = sql.Contains(DeleteOnlyColumn, StringComparison.Ordinal) ? $" WHERE NOT {DeleteOnlyColumn}" : "";
        var rowsFrom = direct ? $"(\n{sql}\n) AS incremental_rows" : staged;
        var inserted = await connection.ExecuteAsync(
            $"INSERT INTO {node.Name} ({columns}) SELECT {columns} FROM {rowsFrom}{deleteOnly}", commandTimeout: 0);
        Steps.Lap(direct ? "insert direct" : "insert");
        if (!direct) await connection.ExecuteAsync($"DROP TABLE {staged}");
        Steps.Lap("drop staged");
        // the rows recorded at the last build, less those deleted, plus those inserted: no second scan of a table of
        // millions for an upload's thousand (counted only when none were recorded)
        var rows = tracker.StoredRows(node.Name) is { } before ? before - deleted + inserted : await CountAsync(connection, node.Name);
        tracker.Rows(node.Name, rows);
        return (rows, sql, $"incremental: {deleted} rows deleted, {inserted} inserted", deleted + inserted > 0);
    }

    /// <summary>
    /// Whether an incremental build of the node deletes its slices' rows and inserts straight from its rendered SQL
    /// <paramref name="sql"/>, without a staging table: only when the keys to delete come from build_slice
    /// (<paramref name="keysFromSlice"/>), no <c>-- delete_where:</c> or <c>full_refresh_above_share</c> needs the new rows
    /// first, and the SQL does not read the table the delete changes.
    /// </summary>
    public static bool InsertsDirectly(ModelNode node, string sql, bool keysFromSlice) =>
        keysFromSlice && node.FullRefreshAboveShare is null && node.DeleteWhere is null && !ReadsItself(node, sql);

    /// <summary>
    /// Whether the model's rendered SQL names its own table (<c>{{ this }}</c>, or its name in a macro's expansion): then the
    /// rows are staged before the delete changes that table. A mention in a comment only costs the staging table.
    /// </summary>
    private static bool ReadsItself(ModelNode node, string sql) =>
        System.Text.RegularExpressions.Regex.IsMatch(sql, $@"(?<![A-Za-z0-9_]){System.Text.RegularExpressions.Regex.Escape(node.Name)}(?![A-Za-z0-9_])");

    /// <summary>
    /// In a <c>-- delete_where:</c>, the rows this incremental build inserts (the temporary table of the model's
    /// <c>is_incremental()</c> rows), for a model whose new rows name keys build_slice does not hold (a rank that moved).
    /// </summary>
    public const string IncrementalRows = "{{ incremental_rows }}";

    /// <summary>At most this many current batches are listed in a narrowed staging read; more: the relation is read whole.</summary>
    public const int SliceBatchLimit = 2000;

    private List<long>? _sliceBatches;

    /// <summary>build_slice's columns, read once per build (it is built before every incremental model that reads it).</summary>
    private HashSet<string>? _sliceColumns;

    /// <summary>
    /// How an incremental model read incrementally names the staging relations it refers to (issue 15: an upload costs its
    /// slices, not the warehouse): a relation declaring <c>-- slice_by_batch: true</c> becomes
    /// <c>(SELECT * FROM x WHERE batch_id IN (…))</c>, the batches that are current (stg_current_batch) for an entity — a
    /// project or a department — of build_slice in a 年度 build_slice touches it in. That is every row of the touched
    /// projects and departments in those years, so every row the model's own build_slice filter keeps: every narrowed read
    /// is filtered by in_slice (which matches the 年度) or joined on the 年度 to rows so filtered (fct_budget_execution's
    /// 表2-1 lines, fct_execution_rating's 表1-1 lines). Any 年度 before (issue 15): a department's first upload of a new
    /// year listed the batch of its projects' last year too, at province scale one file of 2.9M 监控指标 rows, read whole
    /// through stg_monitoring_indicator in every pass of a deadline week (fct_indicator_judgement 2.1–2.4 s a pass);
    /// and a constant list the engine pushes into the scan of the raw table below the view (DuckDB: its zone maps skip the
    /// row groups of other batches), where the model's EXISTS over build_slice stays above the view's join to the current
    /// batches and read every raw row. Only for a model that reads build_slice itself and reads no other entity's rows
    /// (<see cref="ModelNode.ReadsOtherEntities"/>); null when nothing is narrowed.
    /// </summary>
    private async Task<Func<string, string>?> SliceRelationAsync(DbConnection connection, ModelNode node)
    {
        if (!node.Refs.Contains(SliceModel) || node.ReadsOtherEntities) return null;
        var sliced = node.Refs.Where(r => project.Graph.Contains(r) && project.Graph[r].SliceByBatch).ToHashSet(StringComparer.Ordinal);
        if (sliced.Count == 0) return null;
        _sliceBatches ??= (await connection.QueryAsync<long>("""
            SELECT DISTINCT current_batch.batch_id
            FROM stg_current_batch AS current_batch
            INNER JOIN (SELECT DISTINCT entity_kind, entity_code, fiscal_year FROM build_slice) AS touched
                ON current_batch.entity_code = touched.entity_code
                AND current_batch.fiscal_year = touched.fiscal_year
                AND touched.entity_kind = CASE WHEN current_batch.source_name LIKE 'dept%' THEN 'department' ELSE 'project' END
            ORDER BY 1
            """, commandTimeout: 0)).ToList();
        if (_sliceBatches.Count > SliceBatchLimit) return null;
        var list = _sliceBatches.Count == 0 ? "NULL" : string.Join(", ", _sliceBatches);
        return name => sliced.Contains(name) ? $"(SELECT * FROM {name} WHERE batch_id IN ({list}))" : name;
    }

    /// <summary>After every model built, inside the build's transaction: fingerprints and, on a whole build, the watermark.</summary>
    public async Task CommitStateAsync(DbConnection connection, IEnumerable<string> built)
    {
        var models = built.ToList();
        var fromYear = await FirstChangedYearAsync(connection, models); // before the watermark moves: build_slice is this build's
        await tracker.CommitAsync(connection, models, runId);
        if (WholeBuild) await AdvanceWatermarkAsync(connection);
        // the readers' result cache is keyed on this (issue 15): it changes when this transaction commits
        await Caching.WarehouseVersion.BumpAsync(engine, connection, null, "build " + runId, fromYear: fromYear);
    }

    /// <summary>The columns that say which 年度 a row belongs to (fct_forecast_history's rows are its forecast year's).</summary>
    private static readonly HashSet<string> YearColumns = new(StringComparer.OrdinalIgnoreCase) { "fiscal_year", "target_year" };

    /// <summary>
    /// The first 年度 this build's changes can show in, for the readers' result cache (issue 15: an answer about earlier
    /// years stays kept through a deadline week's builds): the earliest year of build_slice, when every relation whose rows
    /// changed has a 年度 column and changed only because of the changed batches' slices. A model's rows of a year Y are
    /// computed from rows of years ≤ Y only (上年 comparisons read Y − 1, the year-end forecasts every earlier year), so
    /// the years before the slices' are as they were; <c>IncrementalBuildTests</c> checks it at every step of its sequence.
    /// Null — any year — for a full or <c>--select</c> build, a stale or first-built model, a hand edit, or a changed
    /// relation without a 年度 (dim_project, dim_department: every year's rows show their names) unless it declares
    /// <c>-- year_neutral: true</c> (<see cref="ModelNode.YearNeutral"/>).
    /// </summary>
    private async Task<int?> FirstChangedYearAsync(DbConnection connection, IReadOnlyList<string> built)
    {
        if (!WholeBuild || !tracker.Enabled || tracker.ChangedBeyondSlices) return null;
        foreach (var name in built.Where(n => tracker.HasChanged(n) && !ChangeLists.Contains(n) && !project.Graph[n].YearNeutral))
            if (!(await tracker.Catalog.ColumnsAsync(connection, name)).Any(c => YearColumns.Contains(c.Name))) return null;
        return await connection.ExecuteScalarAsync<int?>($"SELECT MIN(fiscal_year) FROM {SliceModel}");
    }

    /// <summary>
    /// The batches the watermark records at the commit (a staged build's, read at its start); null: those loaded when it
    /// is written (a one-transaction build reads them in its own snapshot).
    /// </summary>
    public IReadOnlyList<long>? Watermark { get; init; }

    private async Task AdvanceWatermarkAsync(DbConnection connection)
    {
        await connection.ExecuteAsync("DELETE FROM runner_built_batch");
        if (Watermark is { } batches)
        {
            var at = DateTime.UtcNow;
            await engine.BulkInsertAsync(connection, "runner_built_batch", await tracker.Catalog.ColumnsAsync(connection, "runner_built_batch"),
                batches.Select(b => new object?[] { b, at, runId }).ToList());
            return;
        }
        await connection.ExecuteAsync(
            engine.Sql("INSERT INTO runner_built_batch (batch_id, built_at, run_id) SELECT batch_id, @at, @run FROM etl_batch WHERE status = 'loaded'"),
            new { at = DateTime.UtcNow, run = runId });
    }

    private static async Task<long> CountAsync(DbConnection connection, string name) =>
        Convert.ToInt64(await connection.ExecuteScalarAsync($"SELECT COUNT(*) FROM {name}", commandTimeout: 0));
}
