using System.Data.Common;
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
    static MartQueries() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    protected WarehouseEngine Engine => engine;

    /// <summary>True for queries that must see a commit just made (the primary, not a standby that may lag).</summary>
    protected virtual bool ReadsOwnWrites => false;

    private Task<DbConnection> OpenAsync(CancellationToken ct) => ReadsOwnWrites ? engine.OpenAsync(ct) : engine.OpenReadAsync(ct);

    /// <summary>The department of the project named by <c>@project</c>, for scoping the drill's per-project queries.</summary>
    protected const string ProjectDepartment = "(SELECT sp.department_code FROM dim_project sp WHERE sp.project_code = @project)";

    /// <summary>The parameters of <paramref name="values"/> plus the scope's, and the scope's condition on <paramref name="column"/>.</summary>
    protected static (string Condition, DynamicParameters Parameters) Scoped(DataScope scope, string column, object? values = null)
    {
        var p = DataScope.Parameters(values);
        return (scope.Condition(column, p), p);
    }

    /// <summary>Rows of <paramref name="sql"/> (written with <c>@name</c> parameters), or none when <paramref name="requires"/> is missing.</summary>
    protected async Task<IReadOnlyList<T>> ListAsync<T>(string requires, string sql, object? param = null, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        if (await engine.RelationTypeAsync(connection, requires, ct) is null) return [];
        return (await connection.QueryAsync<T>(new CommandDefinition(engine.Sql(sql), param, cancellationToken: ct))).AsList();
    }

    protected async Task<T?> SingleAsync<T>(string requires, string sql, object? param = null, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        if (await engine.RelationTypeAsync(connection, requires, ct) is null) return default;
        return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(engine.Sql(sql), param, cancellationToken: ct));
    }

    /// <summary>Whether the relation exists (a mart another step has not built yet does not).</summary>
    public async Task<bool> ExistsAsync(string relation, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await engine.RelationTypeAsync(connection, relation, ct) is not null;
    }

    protected async Task<bool> HasColumnAsync(string relation, string column, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return (await engine.ColumnsOfAsync(connection, relation, ct)).Any(c => c.Name == column);
    }

    /// <summary>A streaming reader over a parameterised query, for exports with no row cap; dispose the reader, then the connection.</summary>
    public async Task<(DbConnection Connection, DbDataReader Reader)?> OpenReaderAsync(GridQuery query, CancellationToken ct = default)
    {
        var connection = await OpenAsync(ct);
        if (await engine.RelationTypeAsync(connection, query.Requires, ct) is null)
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
