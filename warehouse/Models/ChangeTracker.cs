using System.Data.Common;
using System.Text;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Warehouse.Models;

/// <summary>
/// What a whole incremental build may leave as it is (issue 15: an upload visible in seconds). A node is <em>dirty</em>
/// when its fingerprint (its SQL and its ancestors', the seeds they read, the policy in force) differs from the one
/// recorded at its last build, when it reads a raw landing table that a changed batch (runner_changed_batch) has rows
/// in, when it reads an application or runner table (policy_override, runner_changed_batch …: always), or when a
/// model it refers to changed in this build. A node that is not dirty and exists is not rebuilt (status
/// <c>unchanged</c>), and its data tests do not run. A rebuilt table whose rows are the same as before (compared
/// whole when a model reads it, up to <see cref="CompareRowLimit"/> rows) does not make its children dirty: a 监控 upload rebuilds
/// dim_period or policy_current, finds them unchanged, and the models below them stay as they are.
/// A model declaring <c>-- changes_follow_sources: true</c> (stg_current_batch: one row per raw table's slice) makes a
/// child that reads raw tables itself dirty only when one of the child's own raw tables changed.
/// An incremental model is not made dirty by build_slice or changed_entities alone: recomputing slices from unchanged
/// inputs gives the rows it holds already. Both are rebuilt every build.
/// A <c>--full-refresh</c>, a <c>--select</c> build and the first build after the watermark was set rebuild everything.
/// </summary>
public sealed partial class ChangeTracker(WarehouseEngine engine, ModelProject project)
{
    /// <summary>Tables up to this many rows are compared with their previous rows after a rebuild.</summary>
    public const long CompareRowLimit = 20_000;

    private readonly Dictionary<string, string> _fingerprints = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);

    /// <summary>The nodes made dirty by something other than the changed batches (<see cref="ChangedBeyondSlices"/>).</summary>
    private readonly HashSet<string> _beyondSlices = new(StringComparer.Ordinal);
    private Dictionary<string, string> _stored = new(StringComparer.Ordinal);
    private Dictionary<string, long> _storedRows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _rows = new(StringComparer.Ordinal);
    private HashSet<string> _changedRaw = new(StringComparer.Ordinal);
    private bool _anyBatchChanged;
    private string? _policy;

    /// <summary>Whether unchanged nodes may be left as they are in this build.</summary>
    public bool Enabled { get; private set; }

    /// <summary>Every node's fingerprint computed in this build (recorded after it commits).</summary>
    public IReadOnlyDictionary<string, string> Fingerprints => _fingerprints;

    /// <summary>
    /// After runner_changed_batch is filled: the relations, the recorded fingerprints, the raw tables changed — those
    /// with rows of a changed batch, and those whose signature (rows, Σ batch_id) differs from the one recorded at the
    /// last whole build (rows deleted or added by hand, outside a batch) or, on PostgreSQL, whose trigger logged a write
    /// since then (<see cref="RawEditsAsync"/>, in place of the signature). <paramref name="wholeBuild"/>: the signatures
    /// are taken to be recorded (not on a <c>--select</c> build, which does not advance the watermark either).
    /// </summary>
    public async Task PrepareAsync(DbConnection connection, bool enabled, bool wholeBuild)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (!Catalog.Loaded) await Catalog.LoadAsync(connection);
        var state = (await connection.QueryAsync<(string Name, string Fingerprint, long? Rows)>(
            "SELECT model_name, fingerprint, row_count FROM runner_model_state")).ToList();
        _stored = state.ToDictionary(r => r.Name, r => r.Fingerprint, StringComparer.Ordinal);
        _storedRows = state.Where(r => r.Rows is not null).ToDictionary(r => r.Name, r => r.Rows!.Value, StringComparer.Ordinal);
        Enabled = enabled;
        var raw = RawTables();
        var signed = new HashSet<string>(StringComparer.Ordinal);
        RunnerTrace.Step("prepare: relations and state", clock.Elapsed.TotalSeconds);
        clock.Restart();
        if (wholeBuild && raw.Count > 0)
        {
            // PostgreSQL: the tables whose trigger logs their writes say so (RawEdits); only the others are scanned
            var logged = await RawEditsAsync(connection, raw);
            if (enabled) signed.UnionWith(logged.Edited);
            var scanned = raw.Where(t => !logged.Covered.Contains(t)).ToList();
            var arms = scanned.Select(t =>
                $"SELECT '{t}' AS table_name, CAST(COUNT(*) AS BIGINT) AS row_count, CAST(COALESCE(SUM(batch_id), 0) AS BIGINT) AS batch_sum FROM {t}");
            foreach (var (table, rows, sum) in scanned.Count == 0 ? []
                         : await connection.QueryAsync<(string, long, long)>(string.Join("\nUNION ALL\n", arms), commandTimeout: 0))
            {
                var signature = $"{rows}|{sum}";
                _fingerprints[RawKey + table] = signature;
                if (enabled && _stored.GetValueOrDefault(RawKey + table) != signature)
                    signed.Add(table);
            }
        }
        RunnerTrace.Step("prepare: raw signatures", clock.Elapsed.TotalSeconds);
        clock.Restart();
        if (!enabled) return;
        _anyBatchChanged = Convert.ToInt64(await connection.ExecuteScalarAsync("SELECT COUNT(*) FROM runner_changed_batch")) > 0;
        _changedRaw.UnionWith(signed);
        // a raw table changed by no changed batch was edited by hand: build_slice does not know its slices
        HandEdited = signed.Count > 0;
        if (!_anyBatchChanged || raw.Count == 0) return;
        // which raw tables hold rows of which changed batch: one probe per changed batch and table (ChangedRawSql)
        var found = (await connection.QueryAsync<(string Table, long BatchId)>(ChangedRawSql(engine.Name, raw), commandTimeout: 0)).ToList();
        var byBatch = found.Select(f => f.Table).ToHashSet(StringComparer.Ordinal);
        _changedRaw.UnionWith(byBatch);
        HandEdited = signed.Any(t => !byBatch.Contains(t));
        // a changed batch found in no raw table (an empty file, rows deleted by hand): anything may have changed
        var changedBatches = await connection.QueryAsync<long>("SELECT batch_id FROM runner_changed_batch");
        var orphans = changedBatches.Except(found.Select(f => f.BatchId)).Count();
        if (orphans > 0) _changedRaw.UnionWith(raw);
        RunnerTrace.Step("prepare: changed raw tables", clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The (raw table, changed batch) pairs where the table holds a row of the batch, one arm per raw table. PostgreSQL
    /// (issue 15, the incremental pass): each changed batch is looked up in the table's batch_id index (migration 0194) by
    /// <c>min(batch_id) … WHERE batch_id &gt;= b</c>, which the planner answers with the first index entry from b on
    /// (min/max through an index), so the cost follows the changed batches, not the table. The semi join
    /// <c>EXISTS (… WHERE batch_id IN (SELECT batch_id FROM runner_changed_batch))</c> it replaces was planned as a
    /// sequential scan expected to meet a changed batch's rows early, while a new batch's rows are the last in the table
    /// (province: 1.55 s for raw_monitoring_indicator's 2,930,337 rows, every build); and <c>WHERE batch_id = b</c> would
    /// not do either: an equality makes the order of the scan irrelevant to the planner, which then scans the table in
    /// the hope of an early row. DuckDB keeps the semi join (no index; its scan of one column is what it would do anyway).
    /// </summary>
    public static string ChangedRawSql(string engineName, IEnumerable<string> raw) => string.Join("\nUNION ALL\n", raw.Select(t => engineName == "postgres"
        ? $"SELECT '{t}' AS table_name, c.batch_id FROM runner_changed_batch AS c WHERE (SELECT min(r.batch_id) FROM {t} AS r WHERE r.batch_id >= c.batch_id) = c.batch_id"
        : $"SELECT '{t}' AS table_name, c.batch_id FROM runner_changed_batch AS c WHERE EXISTS (SELECT 1 FROM {t} AS r WHERE r.batch_id = c.batch_id)"));

    /// <summary>
    /// A raw table's rows changed without a changed batch to say where (deleted or added by hand): the incremental
    /// models recompute in full, as build_slice cannot name the slices.
    /// </summary>
    public bool HandEdited { get; private set; }

    /// <summary>runner_model_state's rows of raw table signatures are named <c>raw:table</c>.</summary>
    private const string RawKey = "raw:";

    private List<string> RawTables() => project.Schema.Sources.Where(s => s.Name == "raw")
        .SelectMany(s => s.Tables.Select(t => t.Name)).Where(t => t != "etl_batch").ToList();

    /// <summary>The relation's type as of now in this build (BASE TABLE, VIEW) or null; kept current by the runner.</summary>
    public string? RelationType(string name) => Catalog.RelationType(name);

    public void Created(string name, bool view) => Catalog.Created(name, view);

    public void Dropped(string name) => Catalog.Dropped(name);

    /// <summary>This build's catalogue (relations and columns), read once (<see cref="RunnerCatalog"/>).</summary>
    public RunnerCatalog Catalog { get; } = new(engine);

    /// <summary>
    /// Whether a node whose rows changed was computed again for another reason than the changed batches' slices — a first
    /// build, a stale fingerprint (its SQL, a seed, the policy), a table written outside the loads (an annotation, the policy
    /// overrides) — or raw rows were edited by hand: its rows may then differ in any 年度 (<see cref="IncrementalBuilder"/>'s
    /// version scope).
    /// </summary>
    public bool ChangedBeyondSlices =>
        HandEdited || _beyondSlices.Any(n => _changed.Contains(n) && !IncrementalBuilder.ChangeLists.Contains(n));

    /// <summary>A reason that is not the changed batches' slices, noted for <see cref="ChangedBeyondSlices"/>.</summary>
    private string BeyondSlices(ModelNode node, string reason)
    {
        _beyondSlices.Add(node.Name);
        return reason;
    }

    /// <summary>Why the node must be computed again in this build, or null when it may stay as it is.</summary>
    public async Task<string?> DirtyReasonAsync(DbConnection connection, ModelNode node)
    {
        var fingerprint = await FingerprintAsync(connection, node);
        if (!Enabled) return BeyondSlices(node, "build");
        if (!_stored.TryGetValue(node.Name, out var stored)) return BeyondSlices(node, "first build");
        if (stored != fingerprint) return BeyondSlices(node, "stale");
        var ownRaw = node.Sources.Any(s => s.Source == "raw" && s.Table != "etl_batch");
        foreach (var (source, table) in node.Sources)
        {
            // a model reading its raw tables and the changed batches (stg_current_batch, kept by the keys those batches
            // name) is dirty when a changed batch has rows in its raw tables, as the line below finds; build_slice, the
            // list of slices, is made again every build
            if (source == "runner" && table == "runner_changed_batch" && ownRaw && !IncrementalBuilder.ChangeLists.Contains(node.Name))
                continue;
            if (source != "raw") return BeyondSlices(node, $"reads {table}");
            // etl_batch (which batches are loaded) matters to a model reading its own raw tables only through their
            // rows' batches, and a changed batch with rows there marks that raw table changed (stg_project is not made
            // dirty by every 监控 upload)
            if (table == "etl_batch" ? _anyBatchChanged && !ownRaw : _changedRaw.Contains(table)) return $"{table} changed";
        }
        foreach (var parent in node.Refs.Where(_changed.Contains))
        {
            // other slices to recompute from inputs that did not change give the rows the model holds already
            // (build_slice, and changed_entities: an incremental model reading it names the raw tables of its rows, which
            // make it dirty above when a changed batch has rows there)
            if (IncrementalBuilder.ChangeLists.Contains(parent) && node.Materialization == Materialization.Incremental) continue;
            if (!(ownRaw && FollowsSources(project.Graph[parent]))) return $"{parent} changed";
        }
        return null;
    }

    /// <summary>The node's rows differ from what they were before this build (its children become dirty).</summary>
    public void MarkChanged(string name) => _changed.Add(name);

    /// <summary>Whether the node's rows changed in this build (every node built when changes are not tracked).</summary>
    public bool HasChanged(string name) => _changed.Contains(name);

    private static bool FollowsSources(ModelNode node) =>
        node.Sql.Contains("-- changes_follow_sources: true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether the freshly built table holds other rows than <paramref name="previous"/> (same columns: the
    /// fingerprint is unchanged); equal counts make one EXCEPT ALL enough.
    /// </summary>
    public static async Task<bool> DiffersAsync(DbConnection connection, string name, string previous, long rows)
    {
        var before = Convert.ToInt64(await connection.ExecuteScalarAsync($"SELECT COUNT(*) FROM {previous}", commandTimeout: 0));
        if (before != rows) return true;
        return Convert.ToInt64(await connection.ExecuteScalarAsync(
            $"SELECT COUNT(*) FROM (SELECT * FROM {name} EXCEPT ALL SELECT * FROM {previous}) AS added", commandTimeout: 0)) > 0;
    }

    /// <summary>
    /// The rows the model held when the last build that wrote it committed (runner_model_state.row_count, recorded with its
    /// fingerprint), or null when not recorded.
    /// </summary>
    public long? StoredRows(string name) => _storedRows.TryGetValue(name, out var rows) ? rows : null;

    /// <summary>The fingerprint runner_model_state recorded for the node at its last build (null: none).</summary>
    public string? StoredFingerprint(string name) => _stored.GetValueOrDefault(name);

    /// <summary>The rows the model holds after this build wrote it, recorded with its fingerprint at the commit.</summary>
    public void Rows(string name, long rows) => _rows[name] = rows;

    /// <summary>Inside the build's transaction: the fingerprint of every node built in this build (and its rows when known).</summary>
    public async Task CommitAsync(DbConnection connection, IEnumerable<string> built, string runId)
    {
        await ForgetRawEditsAsync(connection); // the raw tables' logged writes this build read (RawEdits)
        var rows = built.Where(_fingerprints.ContainsKey).Concat(_fingerprints.Keys.Where(k => k.StartsWith(RawKey, StringComparison.Ordinal)))
            .Distinct().ToList();
        if (rows.Count == 0) return;
        var names = string.Join(", ", rows.Select(n => $"'{n.Replace("'", "''")}'"));
        await connection.ExecuteAsync($"DELETE FROM runner_model_state WHERE model_name IN ({names})");
        var columns = await Catalog.ColumnsAsync(connection, "runner_model_state");
        var at = DateTime.UtcNow;
        await engine.BulkInsertAsync(connection, "runner_model_state", columns,
            rows.Select(n => new object?[] { n, _fingerprints[n], at, runId, _rows.TryGetValue(n, out var count) ? count : null }).ToList());
    }

    /// <summary>
    /// What the node is computed from besides the batches: the SQL of the node and of every ancestor, the content
    /// of every seed among them, and the policy in force (政策参数: policy_current, the seed with its overrides) when
    /// the node descends from it. A policy change therefore marks every model it touches stale.
    /// </summary>
    public async Task<string> FingerprintAsync(DbConnection connection, ModelNode node)
    {
        if (_fingerprints.TryGetValue(node.Name, out var known)) return known;
        var text = new StringBuilder();
        var ancestors = project.Graph.Ancestors(node.Name);
        foreach (var name in ancestors.Append(node.Name).Order(StringComparer.Ordinal))
        {
            var n = project.Graph[name];
            text.Append(name).Append('\n').Append(n.Kind == NodeKind.Seed ? File.ReadAllText(n.Path) : n.Sql).Append('\n');
            if (n.Kind == NodeKind.Seed)
                foreach (var column in project.SeedColumns(n.Name)) text.Append(column.Name).Append(' ').Append(column.Type).Append('\n');
        }
        if (ancestors.Contains("policy_current"))
            text.Append(_policy ??= await PolicyAsync(connection));
        return _fingerprints[node.Name] = ModelNode.Sha256(text.ToString());
    }

    private static async Task<string> PolicyAsync(DbConnection connection)
    {
        var rows = await connection.QueryAsync<(string Setting, string? Value)>(
            "SELECT setting, CAST(value AS VARCHAR) FROM policy_current ORDER BY setting");
        return string.Join("\n", rows.Select(r => $"{r.Setting}={r.Value}"));
    }
}
