using System.Data.Common;
using System.Diagnostics;
using Dapper;

namespace BudgetPerf.Warehouse.Models;

/// <summary>
/// The staged (blue/green) full build (issue 15, province scale): a whole <c>--full-refresh</c> builds every seed and
/// model beside the live ones, each committed as it is built, and then swaps the whole set in with one short transaction
/// (the live relations replaced, the bi schema, the runner's state and watermark). Readers see the warehouse as it was
/// before the build until that commit and as it is after it, never a mixture; a failure drops the staged relations and
/// leaves every live one as it was. Beside means:
/// <list type="bullet">
/// <item>DuckDB: as <c>name__next</c>, renamed at the swap. Why: inside one uncommitted transaction DuckDB 1.5.6 estimates
/// 0 rows for every table that transaction created (duckdb PR #21573), so the one-transaction build planned every model as
/// if its inputs were empty (province: mart_indicator_derivation 33 CPU-s inside such a transaction, 16 CPU-s over
/// committed inputs).</item>
/// <item>PostgreSQL: under their own names in <c>bp_build</c> (<see cref="Engines.Postgres.PostgresBuildSchema"/>), moved
/// into public at the swap under <see cref="ReplaceLocks"/>. Why: committed as they go, the models can be built on
/// several sessions at once (<see cref="Engines.WarehouseEngine.BuildSessions"/>), each model as soon as the models it
/// reads are built; in one transaction they were one session, and most of a model's plan is one server process (province,
/// one session: 91.5 s of models on two cores, the longest chain of models that read each other 48.8 s of it).</item>
/// </list>
/// The build lock is held throughout, as for any build. The watermark is the batches loaded at the build's start: a batch
/// loaded or withdrawn while it runs (<c>budgetperf load</c> does not wait for the lock) differs from it, so the next
/// build takes that batch's slices again, whatever part of this build saw it.
/// </summary>
public sealed partial class ModelRunner
{
    /// <summary>The suffix of a staged relation on DuckDB (<c>dim_project__next</c>) until the swap renames it.</summary>
    public const string StageSuffix = "__next";

    /// <summary>A whole <c>--full-refresh</c> on an engine that stages it on this connection.</summary>
    private async Task<bool> StagedAsync(DbConnection connection, BuildOptions options) =>
        options.FullRefresh && string.IsNullOrWhiteSpace(options.Select) && await engine.StagesFullBuildAsync(connection);

    /// <summary>PostgreSQL stages under the models' own names in bp_build; DuckDB beside them, as name__next.</summary>
    private bool StagesAside => engine.Name == "postgres";

    private string StagedName(string name) => StagesAside ? name : name + StageSuffix;

    private async Task<(DateTime? CommittedAt, string? Deferred)> BuildStagedAsync(DbConnection connection, ModelProject project,
        BuildOptions options, string runId, ChangeTracker tracker, IReadOnlyList<ModelNode> selected, HashSet<string> failed,
        List<NodeResult> results)
    {
        var graph = project.Graph;
        // the staged commits do not write the file back one by one: one checkpoint after the swap (or after a failure)
        var deferred = await engine.DeferCheckpointAsync(connection);
        // what a build stopped midway left (PostgreSQL's bp_build: emptied by the session's preparation just before)
        if (!StagesAside) await DropStagedAsync(connection, graph);
        // as a full refresh leaves it: no changed batch, so build_slice lists no slice (the watermark moves at the swap)
        await connection.ExecuteAsync("DELETE FROM runner_changed_batch");
        await tracker.PrepareAsync(connection, enabled: false, wholeBuild: true);
        var loaded = (await connection.QueryAsync<long>("SELECT batch_id FROM etl_batch WHERE status = 'loaded'")).ToList();
        string Staging(string name) => graph.Contains(name) ? StagedName(name) : name;
        var sessions = options.Background ? 1 : options.BuildSessions ?? engine.BuildSessions;
        var longest = LongestChains(graph, await LastFullRefreshSecondsAsync(connection));
        var order = selected.OrderByDescending(n => longest[n.Name]).ThenByDescending(n => graph.Descendants(n.Name).Count).ToList();
        await StageAllAsync(connection, project, options, order, Staging, sessions, failed, results);
        if (failed.Count == 0 && await SwapAsync(connection, project, options, runId, tracker, loaded, results, failed) is { } committed)
            return (committed, deferred);
        await DropStagedAsync(connection, graph);
        RolledBack(results, selected, failed);
        return (null, deferred);
    }

    /// <summary>
    /// The seconds each seed and model took in the last full refresh recorded (run_results): what a staged build expects
    /// each to take again. Empty before the first.
    /// </summary>
    private static async Task<Dictionary<string, decimal>> LastFullRefreshSecondsAsync(DbConnection connection) =>
        (await connection.QueryAsync<(string Node, decimal Seconds)>("""
            SELECT node, seconds FROM run_results
            WHERE run_id = (SELECT MAX(run_id) FROM run_results WHERE message = 'full: --full-refresh')
              AND node_type IN ('seed', 'model') AND status = 'success'
            """)).GroupBy(r => r.Node, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Max(r => r.Seconds), StringComparer.Ordinal);

    /// <summary>
    /// Each node's longest chain of expected seconds from its start to the end of the last model that reads it, itself
    /// included (a node without a figure counts 0): the order a staged build starts the nodes that are ready in. Province,
    /// PostgreSQL, two sessions: by the count of models below alone, mart_indicator_correction (a leaf, 11–18 s) was ready
    /// after fct_monitored_indicator_names and started 15 s later, the last model of the build, one session idle meanwhile.
    /// </summary>
    private static Dictionary<string, decimal> LongestChains(ModelGraph graph, Dictionary<string, decimal> seconds)
    {
        var chain = graph.Order.ToDictionary(n => n.Name, n => seconds.GetValueOrDefault(n.Name), StringComparer.Ordinal);
        foreach (var node in graph.Order.Reverse()) // the models reading a node come after it: final when the node's turn comes
            foreach (var parent in node.Refs)
                chain[parent] = Math.Max(chain[parent], seconds.GetValueOrDefault(parent) + chain[node.Name]);
        return chain;
    }

    /// <summary>
    /// Every node staged, on up to <paramref name="sessions"/> connections at once: a node starts once every node it reads
    /// is built, the first ready in <paramref name="order"/>. After a failure nothing more starts; what runs finishes.
    /// Results are reported as the nodes finish.
    /// </summary>
    private async Task StageAllAsync(DbConnection connection, ModelProject project, BuildOptions options,
        IReadOnlyList<ModelNode> order, Func<string, string> staging, int sessions, HashSet<string> failed, List<NodeResult> results)
    {
        var graph = project.Graph;
        var pending = order.ToList();
        var built = new HashSet<string>(StringComparer.Ordinal);
        var idle = new Queue<DbConnection>([connection]);
        var opened = new List<DbConnection>();
        var running = new Dictionary<Task<NodeResult>, DbConnection>();
        try
        {
            while (true)
            {
                while (failed.Count == 0 && pending.FirstOrDefault(n => n.Refs.All(built.Contains)) is { } next)
                {
                    if (idle.Count == 0 && opened.Count + 1 < sessions)
                    {
                        if (await OpenFurtherSessionAsync(c => engine.PrepareStagingSessionAsync(c), CancellationToken.None) is { } session)
                        {
                            opened.Add(session);
                            idle.Enqueue(session);
                        }
                        else sessions = opened.Count + 1; // the server refuses more (max_connections): build on those there are
                    }
                    if (idle.Count == 0) break;
                    pending.Remove(next);
                    var on = idle.Dequeue();
                    running[StageNodeAsync(on, project, next, staging)] = on;
                }
                if (running.Count == 0) break;
                var finished = await Task.WhenAny(running.Keys);
                idle.Enqueue(running[finished]);
                running.Remove(finished);
                var result = Report(options, await finished);
                results.Add(result);
                if (result.Status != "success")
                {
                    failed.Add(result.Node);
                    continue;
                }
                built.Add(result.Node);
                var node = graph[result.Node];
                if (node.Kind == NodeKind.Model && node.Materialization != Materialization.View && AnalyzesAfterCommit(project, node, madeNew: true))
                    _analyzeAfterCommit.Add(node.Name);
            }
        }
        finally
        {
            // an exception out of the loop leaves nodes running on their sessions: they end before the sessions close
            foreach (Task task in running.Keys) await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            foreach (var session in opened) await session.DisposeAsync();
        }
        // what a failure left unstarted is reported by RolledBack
    }

    /// <summary>
    /// One seed or model built under its staged name, in a transaction of its own (autocommit); on PostgreSQL with the
    /// indexes readers use and its statistics (a leaf's after the commit, <see cref="AnalyzesAfterCommit"/>).
    /// </summary>
    private async Task<NodeResult> StageNodeAsync(DbConnection connection, ModelProject project, ModelNode node,
        Func<string, string> staging)
    {
        await Task.Yield(); // the caller starts the next node meanwhile
        var type = node.Kind == NodeKind.Seed ? "seed" : "model";
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var sql = node.Kind == NodeKind.Seed ? File.ReadAllText(node.Path) : node.Render();
        var target = StagedName(node.Name);
        try
        {
            long? rows;
            if (node.Kind == NodeKind.Seed)
                rows = await SeedLoader.LoadAsync(engine, connection, node, project.SeedColumns(node.Name), target);
            else if (node.Materialization == Materialization.View)
            {
                await connection.ExecuteAsync($"CREATE VIEW {target} AS\n{node.Render(false, staging)}", commandTimeout: 0);
                rows = null;
            }
            else
            {
                rows = await engine.CreateTableAsAsync(connection, target, node.Render(false, staging), staged: true)
                       ?? Convert.ToInt64(await connection.ExecuteScalarAsync($"SELECT COUNT(*) FROM {target}", commandTimeout: 0));
                await ModelIndexes.EnsureAsync(engine, connection, node); // bp_build's new table, by the search_path (PostgreSQL)
                if (!AnalyzesAfterCommit(project, node, madeNew: true)) await engine.AnalyzeAsync(connection, target);
            }
            var mode = node.Materialization == Materialization.Incremental && node.Kind == NodeKind.Model ? "full: --full-refresh" : null;
            return new NodeResult(node.Name, type, "success", rows, DataTestRunner.Seconds(clock), ModelNode.Sha256(sql), mode, started);
        }
        catch (Exception ex) when (ex is DbException or InvalidDataException or InvalidOperationException)
        {
            return new NodeResult(node.Name, type, "error", null, DataTestRunner.Seconds(clock), ModelNode.Sha256(sql),
                $"{Path.GetFileName(node.Path)}: {ex.Message}", started);
        }
    }

    /// <summary>
    /// The swap, one transaction: every live seed and model replaced by its staged relation, the bi views, the runner's
    /// fingerprints and watermark (<paramref name="loaded"/>, the batches loaded at the build's start). Returns when it
    /// committed, or null when it failed (rolled back, nothing swapped).
    /// </summary>
    private async Task<DateTime?> SwapAsync(DbConnection connection, ModelProject project, BuildOptions options, string runId,
        ChangeTracker tracker, IReadOnlyList<long> loaded, List<NodeResult> results, HashSet<string> failed)
    {
        var built = results.Where(r => r.Status == "success").Select(r => r.Node).ToHashSet(StringComparer.Ordinal);
        // each staged table's rows, recorded with its fingerprint as an incremental build records them (WideChange reads them)
        foreach (var staged in results.Where(r => r.Status == "success" && r.Rows is not null)) tracker.Rows(staged.Node, staged.Rows!.Value);
        var nodes = project.Graph.Order.Where(n => built.Contains(n.Name)).ToList();
        var live = StagesAside ? null : await RelationTypesAsync(connection);
        await using var tx = await connection.BeginTransactionAsync();
        try
        {
            if (StagesAside) await new ReplaceLocks(engine, project).SwapAsync(connection); // bp_build's relations into public
            foreach (var node in nodes)
            {
                if (live is not null) await RenameStagedAsync(connection, node, live);
                tracker.MarkChanged(node.Name);
            }
            if (await BuildBiAsync(connection, project, options, tx) is { } bi)
            {
                results.Add(Report(options, bi));
                if (bi.Status == "error")
                {
                    failed.Add(bi.Node);
                    await tx.RollbackAsync();
                    return null;
                }
            }
            // the fingerprints read the policy in force: policy_current is the new one from here on
            foreach (var node in nodes) await tracker.FingerprintAsync(connection, node);
            var incremental = new IncrementalBuilder(engine, project, options, runId, tracker) { Watermark = loaded };
            await incremental.CommitStateAsync(connection, built);
            await tx.CommitAsync();
            return DateTime.Now;
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            await tx.RollbackAsync(CancellationToken.None);
            failed.Add("swap");
            results.Add(Report(options, new NodeResult("swap", "model", "error", null, 0, null, $"swap: {ex.Message}", DateTime.UtcNow)));
            return null;
        }
    }

    /// <summary>DuckDB: the live relation dropped, the staged table renamed, a view created again under its own name.</summary>
    private async Task RenameStagedAsync(DbConnection connection, ModelNode node, Dictionary<string, string> live)
    {
        if (live.TryGetValue(node.Name, out var type))
            await connection.ExecuteAsync(engine.DropRelationSql(node.Name, type == "VIEW"));
        if (node.Kind == NodeKind.Model && node.Materialization == Materialization.View)
        {
            await connection.ExecuteAsync(engine.DropRelationSql(StagedName(node.Name), isView: true));
            await connection.ExecuteAsync($"CREATE VIEW {node.Name} AS\n{node.Render()}");
        }
        else
            await connection.ExecuteAsync($"ALTER TABLE {StagedName(node.Name)} RENAME TO {node.Name}");
    }

    /// <summary>
    /// Drops every staged relation there is (a failed build's, or one a stopped process left): DuckDB's name__next
    /// relations; PostgreSQL's bp_build, emptied (the session keeps it first on its search_path for a build to come).
    /// </summary>
    private async Task DropStagedAsync(DbConnection connection, ModelGraph graph)
    {
        if (StagesAside)
        {
            await Engines.Postgres.PostgresBuildSchema.EmptyAsync(connection);
            return;
        }
        var relations = await RelationTypesAsync(connection);
        foreach (var node in graph.Order.Reverse())
            if (relations.TryGetValue(StagedName(node.Name), out var type))
                await connection.ExecuteAsync(engine.DropRelationSql(StagedName(node.Name), type == "VIEW"));
    }

    private async Task<Dictionary<string, string>> RelationTypesAsync(DbConnection connection) =>
        (await connection.QueryAsync<(string Name, string Type)>(
            $"SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = '{engine.DefaultSchema}'"))
        .ToDictionary(r => r.Name, r => r.Type, StringComparer.Ordinal);
}
