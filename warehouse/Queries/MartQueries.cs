using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using BudgetPerf.Warehouse.Caching;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;
using Dapper;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>
/// Base of the page query classes: one connection per query, and an empty answer (never made-up rows) while the
/// mart a page reads has not been built yet. Page queries read through <see cref="WarehouseEngine.OpenReadAsync"/> (a
/// standby when one is up, issue 16); a class whose reader must see its own user's latest write says so by
/// <see cref="ReadsOwnWrites"/>.
/// </summary>
public abstract class MartQueries(WarehouseEngine engine)
{
    protected WarehouseEngine Engine => engine;

    /// <summary>True for queries that must see a commit just made (the primary, not a standby that may lag).</summary>
    protected virtual bool ReadsOwnWrites => false;

    private Task<DbConnection> OpenAsync(CancellationToken ct) => ReadsOwnWrites ? engine.OpenAsync(ct) : engine.OpenReadAsync(ct);

    /// <summary>The connection shared by the queries of one page load (<see cref="OneConnection"/>), if any.</summary>
    private static readonly AsyncLocal<SharedConnection?> Shared = new();

    /// <summary>
    /// Until disposed, every query of this engine (of classes reading the same side: standby or primary) made from this
    /// flow runs on one connection, opened at the first query — a page's dozen queries open one connection, not twelve.
    /// Call it outside an async helper (<c>await using var one = Queries.OneConnection();</c>) so the flow carries it.
    /// </summary>
    public IAsyncDisposable OneConnection()
    {
        var shared = new SharedConnection(engine, ReadsOwnWrites, Shared.Value);
        Shared.Value = shared;
        return shared;
    }

    /// <summary>
    /// A connection to run one query on: the shared one when it fits, else a new one the caller disposes. A query computed
    /// for the result cache (<paramref name="own"/>) opens its own: other requests may wait for it after this flow moved on.
    /// </summary>
    private async Task<(DbConnection Connection, DbConnection? Owned)> ConnectionAsync(CancellationToken ct, bool own = false)
    {
        if (!own && Shared.Value is { Disposed: false } shared && shared.Engine == engine && shared.ReadsOwnWrites == ReadsOwnWrites)
            return (shared.Connection ??= await OpenAsync(ct), null);
        var owned = await OpenAsync(ct);
        return (owned, owned);
    }

    private sealed class SharedConnection(WarehouseEngine engine, bool readsOwnWrites, SharedConnection? outer) : IAsyncDisposable
    {
        public WarehouseEngine Engine { get; } = engine;
        public bool ReadsOwnWrites { get; } = readsOwnWrites;
        public DbConnection? Connection { get; set; }

        public bool Disposed { get; private set; }

        /// <summary>Not async: the flow's <see cref="Shared"/> is restored in the caller's own context.</summary>
        public ValueTask DisposeAsync()
        {
            Shared.Value = outer;
            Disposed = true;
            var connection = Connection;
            Connection = null;
            return connection?.DisposeAsync() ?? ValueTask.CompletedTask;
        }
    }

    /// <summary>Relations each engine has been seen to have: a built mart is replaced within a build's transaction,
    /// never dropped, so information_schema is asked once per relation and process (a missing one is asked again).</summary>
    private static readonly ConditionalWeakTable<WarehouseEngine, ConcurrentDictionary<string, bool>> Present = new();

    /// <summary>Whether <paramref name="relation"/> exists, from <see cref="Present"/> once it has been seen.</summary>
    private async Task<bool> HasRelationAsync(DbConnection connection, string relation, CancellationToken ct)
    {
        var seen = Present.GetOrCreateValue(engine);
        if (seen.ContainsKey(relation)) return true;
        if (await engine.RelationTypeAsync(connection, relation, ct) is null) return false;
        seen[relation] = true;
        return true;
    }

    /// <summary>
    /// mart_project_deviation's rows without the department's name and the rank it joins them to (the table behind the
    /// view): what a sum or a filter over projects reads. DuckDB joins a view's tables even when no column of them is read:
    /// a province year's sums by 资金性质 took 44 ms over the view and 5 ms over this table (issue 15: charts readers ask
    /// for again after every pass of a deadline week).
    /// </summary>
    public const string ProjectDeviationRows = "mart_project_deviation_base";

    /// <summary>The department of the project named by <c>@project</c>, for scoping the drill's per-project queries.</summary>
    protected const string ProjectDepartment = "(SELECT sp.department_code FROM dim_project sp WHERE sp.project_code = @project)";

    /// <summary>The parameters of <paramref name="values"/> plus the scope's, and the scope's condition on <paramref name="column"/>.</summary>
    protected static (string Condition, DynamicParameters Parameters) Scoped(DataScope scope, string column, object? values = null)
    {
        var p = DataScope.Parameters(values);
        return (scope.Condition(column, p), p);
    }

    /// <summary>
    /// The dashboard's result cache for this query (issue 15), or null: none attached, a class that reads its own writes,
    /// or SQL over tables written outside builds (<see cref="QueryKey"/>).
    /// </summary>
    private (IResultCache Cache, string Key)? CacheFor(string requires, string sql, object? param) =>
        !ReadsOwnWrites && ResultCaches.Of(engine) is { } cache && QueryKey.Of(requires, sql, param) is { } key ? (cache, key) : null;

    /// <summary>
    /// Rows of <paramref name="sql"/> (written with <c>@name</c> parameters), or none when <paramref name="requires"/> is
    /// missing; from the result cache when the dashboard keeps one (each caller gets its own copy of the rows).
    /// </summary>
    protected async Task<IReadOnlyList<T>> ListAsync<T>(string requires, string sql, object? param = null, CancellationToken ct = default)
    {
        if (CacheFor(requires, sql, param) is not { } cached) return await QueryListAsync<T>(requires, sql, param, own: false, ct);
        var found = await cached.Cache.GetOrAddAsync(cached.Key, c => QueryListAsync<T>(requires, sql, param, own: true, c), CachedRows.SizeOf, ct);
        return CachedRows.Copy(found.Value);
    }

    protected async Task<T?> SingleAsync<T>(string requires, string sql, object? param = null, CancellationToken ct = default)
    {
        if (CacheFor(requires, sql, param) is not { } cached) return await QuerySingleAsync<T>(requires, sql, param, own: false, ct);
        var found = await cached.Cache.GetOrAddAsync(cached.Key, c => QuerySingleAsync<T>(requires, sql, param, own: true, c), CachedRows.SizeOf, ct);
        return CachedRows.Copy(found.Value);
    }

    private async Task<IReadOnlyList<T>> QueryListAsync<T>(string requires, string sql, object? param, bool own, CancellationToken ct)
    {
        var (connection, owned) = await ConnectionAsync(ct, own);
        await using var _ = owned;
        if (!await HasRelationAsync(connection, requires, ct)) return [];
        return (await connection.QueryAsync<T>(new CommandDefinition(engine.Sql(sql), param, cancellationToken: ct))).AsList();
    }

    private async Task<T?> QuerySingleAsync<T>(string requires, string sql, object? param, bool own, CancellationToken ct)
    {
        var (connection, owned) = await ConnectionAsync(ct, own);
        await using var _ = owned;
        if (!await HasRelationAsync(connection, requires, ct)) return default;
        return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(engine.Sql(sql), param, cancellationToken: ct));
    }

    /// <summary>Whether the relation exists (a mart another step has not built yet does not).</summary>
    public async Task<bool> ExistsAsync(string relation, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await HasRelationAsync(connection, relation, ct);
    }

    /// <summary>
    /// Whether a light cross-filter can read the cells pre-summed by project light (mart_department_heatmap_light, issue 15):
    /// only a light is asked and that mart is built (a warehouse built before it reads the indicators as before).
    /// </summary>
    protected async Task<bool> LightCellsAsync(CrossFilter cross, CancellationToken ct) =>
        cross is { Light: not null, Grade: null } && await ExistsAsync("mart_department_heatmap_light", ct);

    protected async Task<bool> HasColumnAsync(string relation, string column, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return (await engine.ColumnsOfAsync(connection, relation, ct)).Any(c => c.Name == column);
    }

    /// <summary>A streaming reader over a parameterised query, for exports with no row cap; dispose the reader, then the connection.</summary>
    public async Task<(DbConnection Connection, DbDataReader Reader)?> OpenReaderAsync(GridQuery query, CancellationToken ct = default)
    {
        var connection = await OpenAsync(ct);
        if (!await HasRelationAsync(connection, query.Requires, ct))
        {
            await connection.DisposeAsync();
            return null;
        }
        var reader = await connection.ExecuteReaderAsync(new CommandDefinition(engine.Sql(query.Sql), query.Parameters, cancellationToken: ct));
        return (connection, (DbDataReader)reader);
    }
}

/// <summary>The whole (filtered, unpaged) query behind a grid, for export.</summary>
public sealed record GridQuery(string Requires, string Sql, object? Parameters);
