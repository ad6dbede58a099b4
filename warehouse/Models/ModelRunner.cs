using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Warehouse.Models;

/// <summary>Options of <c>budgetperf build</c>.</summary>
public sealed record BuildOptions
{
    /// <summary>dbt-style selector: <c>name</c>, <c>+name</c>, <c>name+</c>; null builds everything.</summary>
    public string? Select { get; init; }

    /// <summary>Drop every model relation before building, so nothing stale survives.</summary>
    public bool FullRefresh { get; init; }

    /// <summary>
    /// A whole build whose changed batches touch the slices of <see cref="WideChange.FullRefreshShare"/> of the projects, and
    /// at least this many, runs as a full refresh (<see cref="WideChange.MinTouchedProjects"/>; a test of a small warehouse
    /// lowers it).
    /// </summary>
    public long FullRefreshMinProjects { get; init; } = WideChange.MinTouchedProjects;

    /// <summary>Folder for <c>run_results_*.json</c>.</summary>
    public string ArtifactsDir { get; init; } = "target";

    public string SqlRoot { get; init; } = SqlAssets.Root;

    /// <summary>Called once per finished node (progress on a terminal).</summary>
    public Action<NodeResult>? OnNode { get; init; }

    /// <summary>
    /// The build lock when the caller holds it already (the submission worker loads and builds under one lock); null: the
    /// runner waits for it itself.
    /// </summary>
    public BuildLock? HeldLock { get; init; }

    /// <summary>
    /// Whether the build writes its commit back to the database file at its end (DuckDB <c>CHECKPOINT</c>); false: the
    /// caller does it later (<see cref="BuildResult.PendingCheckpoint"/>) — the submission worker, once the queue is empty,
    /// so a burst of uploads does not pay a checkpoint per pass.
    /// </summary>
    public bool Checkpoint { get; init; } = true;

    /// <summary>
    /// Asked after the commit (or the rollback): true puts the data tests off (the submission worker, always: issue 15, the
    /// tests never gate visibility but held the next pass back; it runs them outside the build lock,
    /// <see cref="ModelRunner.TestSnapshotAsync"/>); the models they would have tested are returned in
    /// <see cref="BuildResult.DeferredTests"/> for a later build's <see cref="AlsoTest"/>. Null: tests run.
    /// </summary>
    public Func<CancellationToken, Task<bool>>? DeferTests { get; init; }

    /// <summary>Models whose data tests an earlier build put off: tested in this one too (or put off again).</summary>
    public IReadOnlyCollection<string>? AlsoTest { get; init; }

    /// <summary>Test every model, not only the changed ones (what an earlier process put off is not known).</summary>
    public bool TestAll { get; init; }

    /// <summary>
    /// A build or test run in the background while the dashboard serves readers (the submission worker's passes and
    /// deferred tests): the engine keeps it to one core (<see cref="WarehouseEngine.PrepareBuildSessionAsync"/>).
    /// </summary>
    public bool Background { get; init; }

    /// <summary>
    /// How many connections the data tests run on at once (<see cref="WarehouseEngine.TestSessions"/> when null); a
    /// <see cref="Background"/> run keeps to one.
    /// </summary>
    public int? TestSessions { get; init; }

    /// <summary>
    /// How many connections a staged full build builds its models on at once (<see cref="WarehouseEngine.BuildSessions"/>
    /// when null); a <see cref="Background"/> run keeps to one.
    /// </summary>
    public int? BuildSessions { get; init; }
}

/// <summary>
/// The dbt-style runner: seeds, then models in reference order (view or table), then data tests;
/// every node recorded in <c>run_results</c> and a JSON file, failing test rows in <c>test_failures</c>.
/// </summary>
public sealed partial class ModelRunner(WarehouseEngine engine)
{
    /// <summary>This build's replace locks (<see cref="ReplaceLocks"/>), set under the build lock.</summary>
    private ReplaceLocks? _locks;

    public async Task<BuildResult> BuildAsync(BuildOptions options, CancellationToken ct = default)
    {
        var project = ModelProject.Load(options.SqlRoot, engine.Name);
        var runId = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff");
        var selected = project.Graph.Select(options.Select);
        var results = new List<NodeResult>();
        var phases = new BuildPhases();
        var failures = new List<TestFailure>();

        await using var buildLock = options.HeldLock is null ? await engine.AcquireBuildLockAsync(ct) : null;
        phases.Lap("lock");
        await using var connection = await engine.OpenAsync(ct);
        await engine.PrepareBuildSessionAsync(connection, options.Background, ct);
        // a change that reaches most of the warehouse is built as a full refresh (WideChange), decided before anything is built
        var wide = await WideChange.ReasonAsync(engine, connection, project, options, ct);
        if (wide is not null) options = options with { FullRefresh = true };
        phases.Lap("change width");
        // what a process stopped between an earlier build's commit and its deferred indexes left (ModelIndexes), before
        // this build's deletes need them; a full refresh replaces every table anyway
        if (!options.FullRefresh) await ModelIndexes.EnsureDeferredAsync(engine, connection, project.Graph, ct);
        phases.Lap("indexes before");
        var failed = new HashSet<string>();
        _analyzeAfterCommit.Clear();
        _recordedInBuild = 0;
        var tracker = new ChangeTracker(engine, project);
        var staged = await StagedAsync(connection, options);
        var (committedAt, deferred) = staged
            ? await BuildStagedAsync(connection, project, options, runId, tracker, selected, failed, results)
            : await BuildInOneTransactionAsync(connection, project, options, runId, tracker, selected, failed, results, phases, ct);
        if (staged) phases.Lap("staged models, swap and commit");   // the one-transaction build laps its own phases
        // a session the server ended during the build (a full disk, an administrator): what comes after runs on a fresh
        // one, so what the user sees is the model's own error, recorded, not the record step's "Connection is not open"
        await using var reopened = await ReopenedIfEndedAsync(connection, ct);
        var live = reopened ?? connection;
        if (committedAt is not null) Caching.WarehouseVersion.Committed(engine); // this process's result cache: the new version now

        // what readers and the next build need and this build's readers-visible commit did not wait for (ModelRunner.AfterCommit.cs)
        if (committedAt is not null) await AfterCommitAsync(live, project, phases, ct);
        // the data tests of the models whose rows changed in this build (and of those earlier builds put off), after the
        // commit, or put off again while submissions wait (BuildOptions.DeferTests); see ModelRunner.Tests.cs
        var deferredTests = await TestOrDeferAsync(live, project, options, tracker, failed, results, failures, ct);
        phases.Lap("tests");
        await ModelIndexes.ResumeAutovacuumAsync(engine, live, project.Graph, ct); // a staged build's tables (PostgreSQL)
        await RecordAsync(live, tracker.Catalog, runId, results.Skip(_recordedInBuild).ToList(), failures);
        phases.Lap("record");
        if (options.Checkpoint) await engine.CheckpointAsync(live, deferred);
        phases.Lap("checkpoint");
        foreach (var (phase, seconds) in phases.Seconds) RunnerTrace.Step("phase " + phase, seconds);
        var file = WriteJson(options.ArtifactsDir, runId, results);
        return new BuildResult(runId, results, failures, file)
        {
            CommittedAt = committedAt, PendingCheckpoint = options.Checkpoint ? null : deferred, Phases = phases.Seconds,
            DeferredTests = deferredTests, FullRefreshReason = wide,
        };
    }

    /// <summary>
    /// Every model in one transaction (issue 15, nothing half-built visible): readers see the marts as they were before the
    /// build until it commits, then all of them as they are after it; a failing model rolls back all. One snapshot for the
    /// whole build on PostgreSQL too (DuckDB's transactions are snapshots already): the batches staging reads are the
    /// batches build_slice compares and the watermark records, whatever loads meanwhile.
    /// </summary>
    private async Task<(DateTime? CommittedAt, string? Deferred)> BuildInOneTransactionAsync(DbConnection connection,
        ModelProject project, BuildOptions options, string runId, ChangeTracker tracker, IReadOnlyList<ModelNode> selected,
        HashSet<string> failed, List<NodeResult> results, BuildPhases phases, CancellationToken ct)
    {
        DateTime? committedAt = null;
        string? deferred = null;
        await using var tx = engine.Name == "postgres"
            ? await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct)
            : await connection.BeginTransactionAsync(ct);
        _locks = new ReplaceLocks(engine, project);
        var incremental = new IncrementalBuilder(engine, project, options, runId, tracker) { Locks = _locks };
        if (options.FullRefresh)
        {
            await _locks.EnsureAsync(connection);
            await DropAllModelsAsync(connection, project.Graph);
        }
        await incremental.PrepareAsync(connection);
        var existedBefore = await ExistingAsync(connection, project.Graph.Nodes);
        phases.Lap("prepare");
        await BuildAllAsync(connection, project, options, incremental, tracker, selected, failed, results);
        phases.Lap("models");
        if (failed.Count == 0) // at the latest before the bi layer; the views it drops are rebuilt next
            await _locks.SwapAsync(connection); // PostgreSQL: the locks in one step, then what was built aside swapped in
        if (failed.Count == 0)
            await BuildAllAsync(connection, project, options, incremental, tracker,
                await DroppedByCascadeAsync(connection, project.Graph, existedBefore), failed, results);
        phases.Lap("swap");
        if (failed.Count == 0 && await BuildBiAsync(connection, project, options, tx) is { } bi)
        {
            results.Add(Report(options, bi));
            if (bi.Status == "error") failed.Add(bi.Node);
        }
        phases.Lap("bi");
        if (failed.Count == 0)
        {
            await incremental.CommitStateAsync(connection, results.Where(r => r.Status == "success").Select(r => r.Node));
            // the models' run_results in the build's own commit (issue 15: a commit of its own after it cost DuckDB passes
            // 0.16–0.61 s under the build lock in bench submissions); what comes after (tests) is recorded after it
            _recordedInBuild = await InsertResultsAsync(connection, tracker.Catalog, runId, results, []);
            phases.Lap("state");
            deferred = await engine.DeferCheckpointAsync(connection);
            try
            {
                await tx.CommitAsync(ct);
                committedAt = DateTime.Now;
            }
            catch (DbException ex) // a failed commit is the build's failure, and the checkpoint setting is restored as after any
            {
                _recordedInBuild = 0;
                failed.Add("commit");
                results.Add(Report(options, new NodeResult("commit", "model", "error", null, 0, null, $"commit: {ex.Message}", DateTime.UtcNow)));
                RolledBack(results, selected, failed);
            }
            phases.Lap("commit");
        }
        else
        {
            // a session the server ended has rolled back with it (its transaction is disposed)
            if (connection.State == System.Data.ConnectionState.Open) await tx.RollbackAsync(CancellationToken.None);
            RolledBack(results, selected, failed);
        }
        return (committedAt, deferred);
    }

    /// <summary>Builds nodes in order until one fails (the transaction is then lost on both engines).</summary>
    private async Task BuildAllAsync(DbConnection connection, ModelProject project, BuildOptions options,
        IncrementalBuilder incremental, ChangeTracker tracker, IEnumerable<ModelNode> nodes, HashSet<string> failed, List<NodeResult> results)
    {
        foreach (var node in nodes)
        {
            if (failed.Count > 0) return;
            results.Add(Report(options, await BuildNodeAsync(connection, project, incremental, tracker, node, failed)));
        }
    }

    /// <summary>After a rollback: what was built is not there any more, and what was not reached is skipped.</summary>
    private static void RolledBack(List<NodeResult> results, IReadOnlyList<ModelNode> selected, HashSet<string> failed)
    {
        var cause = string.Join(", ", failed);
        for (var i = 0; i < results.Count; i++)
            if (results[i].Status == "success")
                results[i] = results[i] with { Status = "skipped", Message = $"rolled back: {cause} failed" };
        var reached = results.Select(r => r.Node).ToHashSet();
        foreach (var node in selected.Where(n => !reached.Contains(n.Name)))
            results.Add(new NodeResult(node.Name, node.Kind == NodeKind.Seed ? "seed" : "model", "skipped", null, 0, null,
                $"not built: {cause} failed", DateTime.UtcNow));
    }

    private static NodeResult Report(BuildOptions options, NodeResult result)
    {
        options.OnNode?.Invoke(result);
        return result;
    }

    private async Task<NodeResult> BuildNodeAsync(DbConnection connection, ModelProject project, IncrementalBuilder incremental,
        ChangeTracker tracker, ModelNode node, HashSet<string> failed)
    {
        var type = node.Kind == NodeKind.Seed ? "seed" : "model";
        var started = DateTime.UtcNow;
        if (node.Refs.FirstOrDefault(failed.Contains) is { } brokenParent)
        {
            failed.Add(node.Name);
            return new NodeResult(node.Name, type, "skipped", null, 0, null, $"parent {brokenParent} failed", started);
        }

        var clock = Stopwatch.StartNew();
        var steps = new BuildPhases(); // the runner's own steps around the model's SQL (RunnerTrace)
        var sql = node.Kind == NodeKind.Seed ? File.ReadAllText(node.Path) : node.Render();
        steps.Lap("render");
        try
        {
            // a PostgreSQL view is checked live: PostgreSQL drops the views over a replaced table (CASCADE); DuckDB binds a
            // view when it is read and drops nothing behind the runner's back, so the build's catalogue says (RunnerCatalog)
            var exists = node.Materialization == Materialization.View && node.Kind == NodeKind.Model && engine.Name == "postgres"
                ? await engine.RelationTypeAsync(connection, node.Name) is not null
                : tracker.RelationType(node.Name) is not null;
            steps.Lap("exists");
            var dirty = await tracker.DirtyReasonAsync(connection, node);
            steps.Lap("dirty");
            if (dirty is null && exists)
            {
                RunnerTrace.Node(node.Name, "unchanged", steps);
                return new NodeResult(node.Name, type, "unchanged", null, DataTestRunner.Seconds(clock), ModelNode.Sha256(sql),
                    "unchanged: no input changed since the last build", started);
            }
            string? mode = null;
            long? rows;
            var changed = dirty is not null;
            if (node.Materialization != Materialization.Incremental && _locks is not null)
                await _locks.EnsureAsync(connection); // replacing a relation readers query: every lock in one step first
            steps.Lap("locks");
            incremental.Steps = steps;
            if (node.Kind == NodeKind.Seed)
                rows = await SeedLoader.LoadAsync(engine, connection, node, project.SeedColumns(node.Name));
            else if (node.Materialization == Materialization.Incremental)
                (rows, sql, mode, changed) = await incremental.MaterializeAsync(connection, node);
            else
                (rows, changed, mode) = await MaterializeAsync(connection, project, tracker, node, sql, dirty);
            steps.Lap("materialize");
            tracker.Created(node.Name, node.Materialization == Materialization.View && node.Kind == NodeKind.Model);
            if (changed) tracker.MarkChanged(node.Name);
            if (node.Materialization != Materialization.View)
            {
                await ModelIndexes.EnsureAsync(engine, connection, node); // the model's declared indexes (PostgreSQL), issue 15
                steps.Lap("indexes");
                var madeNew = node.Materialization == Materialization.Table || mode?.StartsWith("full", StringComparison.Ordinal) == true;
                if (AnalyzesAfterCommit(project, node, madeNew)) _analyzeAfterCommit.Add(node.Name);
                else await engine.AnalyzeAsync(connection, node.Name); // statistics before the next model reads it
                steps.Lap("analyze");
            }
            RunnerTrace.Node(node.Name, $"{mode ?? "success"} (dirty: {dirty})", steps);
            return new NodeResult(node.Name, type, "success", rows, DataTestRunner.Seconds(clock), ModelNode.Sha256(sql), mode, started);
        }
        catch (Exception ex) when (ex is DbException or InvalidDataException or InvalidOperationException)
        {
            failed.Add(node.Name);
            return new NodeResult(node.Name, type, "error", null, DataTestRunner.Seconds(clock), ModelNode.Sha256(sql),
                $"{Path.GetFileName(node.Path)}: {ex.Message}", started);
        }
    }

    /// <summary>
    /// The bi schema over the marts (<see cref="BiLayer"/>), rebuilt after the models whenever every model is there
    /// (a failed or never-built model skips it: the views would name a missing relation).
    /// </summary>
    private async Task<NodeResult?> BuildBiAsync(DbConnection connection, ModelProject project, BuildOptions options,
        DbTransaction transaction)
    {
        var bi = new BiLayer(engine);
        if (bi.Scripts(options.SqlRoot).Count == 0) return null;
        var models = project.Graph.Nodes.Where(n => n.Kind == NodeKind.Model).ToArray();
        var present = await ExistingAsync(connection, models);
        var missing = models.Select(n => n.Name).Where(n => !present.Contains(n)).Order(StringComparer.Ordinal).ToArray();
        return missing.Length == 0
            ? await bi.BuildAsync(connection, options.SqlRoot, transaction)
            : new NodeResult(BiLayer.Node, "model", "skipped", null, 0, null, "missing models: " + string.Join(", ", missing), DateTime.UtcNow);
    }

    /// <summary>
    /// A view or table built from its SQL; returns its rows (a view's are not counted: counting evaluates the whole view
    /// once more, 15 s for stg_monitoring_indicator at province scale on DuckDB, and its readers evaluate it anyway),
    /// whether its rows changed, and the mode printed. A table rebuilt only because its inputs changed is compared with
    /// its previous rows (<see cref="ChangeTracker.DiffersAsync"/>): the same rows leave its children as they are.
    /// </summary>
    private async Task<(long? Rows, bool Changed, string? Mode)> MaterializeAsync(DbConnection connection, ModelProject project,
        ChangeTracker tracker, ModelNode node, string sql, string? dirty)
    {
        var existing = tracker.RelationType(node.Name);
        var table = node.Materialization == Materialization.Table;
        var previous = table && tracker.Enabled && HasChildren(project, node) && existing == "BASE TABLE" && dirty is not null
                       && dirty != "stale" && dirty != "first build" ? node.Name + "__prev" : null;
        // built aside (PostgreSQL): the public table is the previous rows, left for readers until the swap
        var aside = _locks is not null && await _locks.BuildsAsideAsync(connection);
        if (previous is not null && aside)
            previous = $"{engine.DefaultSchema}.{node.Name}";
        else if (previous is not null)
        {
            await connection.ExecuteAsync($"ALTER TABLE {node.Name} RENAME TO {previous}");
        }
        else if (existing is not null)
            await connection.ExecuteAsync(engine.DropRelationSql(node.Name, existing == "VIEW"));
        tracker.Dropped(node.Name);
        // no deadline on a build step (Npgsql's default 30 s stops a province-scale model mid-way; 0 = none)
        if (!table)
        {
            await connection.ExecuteAsync($"CREATE VIEW {node.Name} AS\n{sql}", commandTimeout: 0);
            return (null, dirty is not null, null);
        }
        var rows = await engine.CreateTableAsAsync(connection, node.Name, sql)
                   ?? Convert.ToInt64(await connection.ExecuteScalarAsync($"SELECT COUNT(*) FROM {node.Name}", commandTimeout: 0));
        if (previous is null) return (rows, true, tracker.Enabled ? $"rebuilt: {dirty ?? "missing"}" : null);
        var changed = rows > ChangeTracker.CompareRowLimit || !HasChildren(project, node)
                      || await ChangeTracker.DiffersAsync(connection, node.Name, previous, rows);
        // aside, the same rows keep the public table (nothing to swap); else the previous rows go
        if (!aside) await connection.ExecuteAsync(engine.DropRelationSql(previous, isView: false));
        else if (!changed) await connection.ExecuteAsync(engine.DropRelationSql(node.Name, isView: false));
        return (rows, changed, changed ? $"rebuilt: {dirty}" : $"rebuilt: {dirty}; rows unchanged");
    }

    /// <summary>
    /// One more connection for a build's concurrent work (its data tests, a staged build's models), prepared by
    /// <paramref name="prepare"/>; null when the server refuses it (max_connections), the caller then going on with those
    /// it has.
    /// </summary>
    private async Task<DbConnection?> OpenFurtherSessionAsync(Func<DbConnection, Task> prepare, CancellationToken ct)
    {
        DbConnection? session = null;
        try
        {
            session = await engine.OpenAsync(ct);
            await prepare(session);
            return session;
        }
        catch (DbException)
        {
            if (session is not null) await session.DisposeAsync();
            return null;
        }
    }

    /// <summary>Whether any model reads this one (a leaf mart's rows are not compared: nothing below it to spare).</summary>
    private static bool HasChildren(ModelProject project, ModelNode node) =>
        project.Graph.Descendants(node.Name).Any(n => project.Graph[n].Kind == NodeKind.Model);

    private async Task DropAllModelsAsync(DbConnection connection, ModelGraph graph)
    {
        foreach (var node in graph.Order.Reverse().Where(n => n.Kind == NodeKind.Model))
            if (await engine.RelationTypeAsync(connection, node.Name) is { } type)
                await connection.ExecuteAsync(engine.DropRelationSql(node.Name, type == "VIEW"));
    }

    /// <summary>The nodes whose relation exists (one catalogue query, not one per node).</summary>
    private async Task<HashSet<string>> ExistingAsync(DbConnection connection, IEnumerable<ModelNode> nodes)
    {
        var relations = (await connection.QueryAsync<string>(
            $"SELECT table_name FROM information_schema.tables WHERE table_schema = '{engine.DefaultSchema}'")).ToHashSet(StringComparer.Ordinal);
        return nodes.Select(n => n.Name).Where(relations.Contains).ToHashSet();
    }

    /// <summary>
    /// Models that existed before this build and are gone now (PostgreSQL drops dependent views with CASCADE):
    /// rebuilt, in order, so a partial build never leaves the warehouse with holes.
    /// </summary>
    private async Task<IReadOnlyList<ModelNode>> DroppedByCascadeAsync(DbConnection connection, ModelGraph graph,
        HashSet<string> existedBefore)
    {
        var present = await ExistingAsync(connection, graph.Nodes);
        return graph.Order.Where(n => existedBefore.Contains(n.Name) && !present.Contains(n.Name)).ToList();
    }

    /// <summary>A fresh connection when the server ended <paramref name="connection"/>'s session; null while it is open.</summary>
    private async Task<DbConnection?> ReopenedIfEndedAsync(DbConnection connection, CancellationToken ct) =>
        connection.State == System.Data.ConnectionState.Open ? null : await engine.OpenAsync(ct);

    private Task RecordAsync(DbConnection connection, string runId, List<NodeResult> results, List<TestFailure> failures) =>
        RecordAsync(connection, new RunnerCatalog(engine), runId, results, failures);

    /// <summary>How many of this build's results its own transaction recorded (the models', when it committed).</summary>
    private int _recordedInBuild;

    private async Task RecordAsync(DbConnection connection, RunnerCatalog catalog, string runId, List<NodeResult> results,
        List<TestFailure> failures)
    {
        if (results.Count == 0 && failures.Count == 0) return;
        await using var tx = await connection.BeginTransactionAsync();
        await InsertResultsAsync(connection, catalog, runId, results, failures);
        await tx.CommitAsync();
    }

    /// <summary>Appends results and failures to run_results / test_failures in the caller's transaction; returns the results' count.</summary>
    private async Task<int> InsertResultsAsync(DbConnection connection, RunnerCatalog catalog, string runId,
        List<NodeResult> results, List<TestFailure> failures)
    {
        var resultColumns = await catalog.ColumnsAsync(connection, "run_results");
        await engine.BulkInsertAsync(connection, "run_results", resultColumns, results.Select(r => new object?[]
            { runId, r.Node, r.NodeType, r.Status, r.Rows, r.Seconds, r.SqlSha256, r.Message, r.StartedAt }).ToList()); // a list: no bulk-load settings for a few hundred rows
        if (failures.Count == 0) return results.Count;
        var failureColumns = await catalog.ColumnsAsync(connection, "test_failures");
        await engine.BulkInsertAsync(connection, "test_failures", failureColumns, failures.SelectMany(f =>
            f.Rows.Select((row, i) => new object?[] { runId, f.TestName, f.FailureCount, i + 1, row })).ToList());
        return results.Count;
    }

    private static string WriteJson(string dir, string runId, List<NodeResult> results)
    {
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, $"run_results_{runId}.json");
        var json = JsonSerializer.Serialize(new { run_id = runId, results }, new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        File.WriteAllText(file, json);
        return file;
    }
}
