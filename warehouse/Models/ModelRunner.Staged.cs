using System.Data.Common;
using System.Diagnostics;
using Dapper;

namespace BudgetPerf.Warehouse.Models;

/// <summary>
/// The staged (blue/green) full build (issue 15, DuckDB at province scale): a whole <c>--full-refresh</c> builds every
/// seed and model beside the live ones, as <c>name__next</c>, each committed as it is built, and then swaps the whole set
/// in with one short transaction (drop the live relation, rename the staged table, recreate the view under its own
/// name, the bi schema, the runner's state and watermark). Readers see the warehouse as it was before the build until
/// that commit and as it is after it, never a mixture; a failure drops the staged relations and leaves every live one
/// as it was. Why: inside one uncommitted transaction DuckDB 1.5.6 estimates 0 rows for every table that transaction
/// created (duckdb PR #21573), so the one-transaction build planned every model as if its inputs were empty
/// (province: mart_indicator_derivation 33 CPU-s inside such a transaction, 16 CPU-s over committed inputs).
/// The build lock is held throughout, as for any build; raw tables are loaded only under it, so every staged model
/// reads the batches the watermark records at the swap.
/// </summary>
public sealed partial class ModelRunner
{
    /// <summary>The suffix of a staged relation (<c>dim_project__next</c>) until the swap renames it.</summary>
    public const string StageSuffix = "__next";

    /// <summary>A whole <c>--full-refresh</c> on an engine that stages it (<see cref="Engines.WarehouseEngine.StagesFullBuild"/>).</summary>
    private bool Staged(BuildOptions options) =>
        engine.StagesFullBuild && options.FullRefresh && string.IsNullOrWhiteSpace(options.Select);

    private static string StagedName(string name) => name + StageSuffix;

    private async Task<(DateTime? CommittedAt, string? Deferred)> BuildStagedAsync(DbConnection connection, ModelProject project,
        BuildOptions options, string runId, ChangeTracker tracker, IReadOnlyList<ModelNode> selected, HashSet<string> failed,
        List<NodeResult> results)
    {
        var graph = project.Graph;
        // the staged commits do not write the file back one by one: one checkpoint after the swap (or after a failure)
        var deferred = await engine.DeferCheckpointAsync(connection);
        await DropStagedAsync(connection, graph);   // what a build stopped midway left
        // as a full refresh leaves it: no changed batch, so build_slice lists no slice (the watermark moves at the swap)
        await connection.ExecuteAsync("DELETE FROM runner_changed_batch");
        await tracker.PrepareAsync(connection, enabled: false, wholeBuild: true);
        string Staging(string name) => graph.Contains(name) ? StagedName(name) : name;
        foreach (var node in selected)
        {
            if (failed.Count > 0) break;
            results.Add(Report(options, await StageNodeAsync(connection, project, node, Staging, failed)));
        }
        if (failed.Count == 0 && await SwapAsync(connection, project, options, runId, tracker, results, failed) is { } committed)
            return (committed, deferred);
        await DropStagedAsync(connection, graph);
        RolledBack(results, selected, failed);
        return (null, deferred);
    }

    /// <summary>One seed or model built under its staged name, in a transaction of its own (autocommit).</summary>
    private async Task<NodeResult> StageNodeAsync(DbConnection connection, ModelProject project, ModelNode node,
        Func<string, string> staging, HashSet<string> failed)
    {
        var type = node.Kind == NodeKind.Seed ? "seed" : "model";
        var started = DateTime.UtcNow;
        if (node.Refs.FirstOrDefault(failed.Contains) is { } brokenParent)
        {
            failed.Add(node.Name);
            return new NodeResult(node.Name, type, "skipped", null, 0, null, $"parent {brokenParent} failed", started);
        }
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
                await connection.ExecuteAsync($"CREATE TABLE {target} AS\n{node.Render(false, staging)}", commandTimeout: 0);
                rows = Convert.ToInt64(await connection.ExecuteScalarAsync($"SELECT COUNT(*) FROM {target}", commandTimeout: 0));
            }
            var mode = node.Materialization == Materialization.Incremental && node.Kind == NodeKind.Model ? "full: --full-refresh" : null;
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
    /// The swap, one transaction: every live seed and model replaced by its staged relation, the bi views, the runner's
    /// fingerprints and watermark. Returns when it committed, or null when it failed (rolled back, nothing swapped).
    /// </summary>
    private async Task<DateTime?> SwapAsync(DbConnection connection, ModelProject project, BuildOptions options, string runId,
        ChangeTracker tracker, List<NodeResult> results, HashSet<string> failed)
    {
        var built = results.Where(r => r.Status == "success").Select(r => r.Node).ToHashSet(StringComparer.Ordinal);
        // each staged table's rows, recorded with its fingerprint as an incremental build records them (WideChange reads them)
        foreach (var staged in results.Where(r => r.Status == "success" && r.Rows is not null)) tracker.Rows(staged.Node, staged.Rows!.Value);
        var nodes = project.Graph.Order.Where(n => built.Contains(n.Name)).ToList();
        var live = await RelationTypesAsync(connection);
        await using var tx = await connection.BeginTransactionAsync();
        try
        {
            foreach (var node in nodes)
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
            var incremental = new IncrementalBuilder(engine, project, options, runId, tracker);
            await incremental.CommitStateAsync(connection, built);
            await tx.CommitAsync();
            return DateTime.Now;
        }
        catch (DbException ex)
        {
            await tx.RollbackAsync(CancellationToken.None);
            failed.Add("swap");
            results.Add(Report(options, new NodeResult("swap", "model", "error", null, 0, null, $"swap: {ex.Message}", DateTime.UtcNow)));
            return null;
        }
    }

    /// <summary>Drops every staged relation there is (a failed build's, or one a stopped process left).</summary>
    private async Task DropStagedAsync(DbConnection connection, ModelGraph graph)
    {
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
