using System.Data.Common;
using System.Globalization;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Warehouse.Models;

/// <summary>
/// 大范围变更 (issue 15): a whole build whose changed batches reach most of the warehouse runs as a full refresh. An
/// incremental build deletes and inserts the rows of every touched (年度, 期间, 部门) slice; a year's 项目信息 for a whole
/// province names every department, so every slice of every year is touched, and at province scale that build took
/// DuckDB 98 s and PostgreSQL 502 s of models where a full build takes about 20 and 90 (the full refresh writes each
/// table with one CREATE TABLE AS, and DuckDB stages it over committed inputs, <see cref="ModelRunner.StageSuffix"/>).
/// Asked before the build starts, under the build lock: first a bound that costs one row of etl_batch per changed
/// batch and the row counts the last build recorded (a one-department upload stops there, <see cref="CheckAboveShare"/>),
/// then <c>sql/runner/change_width.sql</c> over the changed batches' entities.
/// </summary>
public static class WideChange
{
    /// <summary>The share of the warehouse's projects whose slices, once touched, make the build a full refresh.</summary>
    public const decimal FullRefreshShare = 0.5m;

    /// <summary>
    /// Fewer touched projects than this are built incrementally whatever their share: a county's warehouse (the demo's
    /// few hundred projects) rebuilds them in seconds, where a full refresh pays every model's fixed cost.
    /// </summary>
    public const long MinTouchedProjects = 10_000;

    /// <summary>
    /// The width is measured only when the changed batches hold at least this share of the projects, or of the
    /// departments times <see cref="FullRefreshShare"/>, in rows: a touched slice needs a changed row naming its
    /// department or one of its projects, so fewer rows cannot reach half of the warehouse.
    /// </summary>
    public const decimal CheckAboveShare = 0.05m;

    /// <summary>
    /// Why this build should be a full refresh (a line for the build's output, in Chinese), or null: an incremental build.
    /// Null too for a <c>--select</c> or <c>--full-refresh</c> build and before the first build of dim_project.
    /// </summary>
    public static async Task<string?> ReasonAsync(WarehouseEngine engine, DbConnection connection, ModelProject project,
        BuildOptions options, CancellationToken ct)
    {
        if (options.FullRefresh || !string.IsNullOrWhiteSpace(options.Select)) return null;
        var bound = await connection.QuerySingleAsync<(long ChangedRows, long? Projects, long? Departments)>(new CommandDefinition($"""
            SELECT
                (SELECT COALESCE(SUM(row_count), 0) FROM etl_batch WHERE batch_id IN ({ChangedBatchesSql})) AS changed_rows,
                (SELECT row_count FROM runner_model_state WHERE model_name = 'dim_project') AS projects,
                (SELECT row_count FROM runner_model_state WHERE model_name = 'dim_department') AS departments
            """, cancellationToken: ct));
        if (bound.ChangedRows == 0) return null;
        // no rows recorded: before the first build of dim_project, or a warehouse whose last full build did not record them
        // (built before the staged build recorded its rows): counted once, when the table is there
        var known = bound.Projects ?? (await engine.RelationTypeAsync(connection, "dim_project", ct) == "BASE TABLE"
            ? await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM dim_project", cancellationToken: ct))
            : 0);
        var least = options.FullRefreshMinProjects;
        if (known == 0 || FullRefreshShare * known < least) return null;
        if (bound.ChangedRows < Math.Min(CheckAboveShare * known, FullRefreshShare * (bound.Departments ?? known))) return null;

        await ListChangedBatchesAsync(engine, connection);
        var entities = project.Graph[IncrementalBuilder.ChangedEntitiesModel].Render(false);
        var width = File.ReadAllText(Path.Combine(options.SqlRoot, "runner", "change_width.sql"));
        var (touched, projects) = await connection.QuerySingleAsync<(long Touched, long Projects)>(new CommandDefinition(
            $"WITH changed_entities AS (\n{entities}\n),\n{width}", commandTimeout: 0, cancellationToken: ct));
        if (touched < least || touched < FullRefreshShare * projects) return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"变更范围大，本次按全量重建：变更批次涉及 {touched:N0} / {projects:N0} 个项目所在的切片（≥ {FullRefreshShare:P0}），共 {bound.ChangedRows:N0} 行");
    }

    /// <summary>
    /// The batches loaded since the last whole build and not built yet, and those built then and no longer loaded
    /// (withdrawn): what build_slice and changed_entities read from runner_changed_batch.
    /// </summary>
    private const string ChangedBatchesSql = """
        SELECT batch_id FROM etl_batch WHERE status = 'loaded'
            AND batch_id NOT IN (SELECT batch_id FROM runner_built_batch)
        UNION
        SELECT batch_id FROM runner_built_batch
        WHERE batch_id NOT IN (SELECT batch_id FROM etl_batch WHERE status = 'loaded')
        """;

    /// <summary>Fills runner_changed_batch with <see cref="ChangedBatchesSql"/> and gives it its statistics.</summary>
    public static async Task ListChangedBatchesAsync(WarehouseEngine engine, DbConnection connection)
    {
        await connection.ExecuteAsync("DELETE FROM runner_changed_batch");
        await connection.ExecuteAsync($"INSERT INTO runner_changed_batch (batch_id)\n{ChangedBatchesSql}");
        await engine.AnalyzeAsync(connection, "runner_changed_batch");
    }
}
