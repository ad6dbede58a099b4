using System.Data.Common;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Warehouse.Caching;

/// <summary>
/// 数仓版本 (issue 15, readers under a burst): a number that changes whenever something a page shows changes — every
/// build's commit and every write outside a build that pages read (批注, 政策参数, 预算安排模拟方案, 法规条款, users).
/// It lives in the database (<c>warehouse_version</c>, migration 0235: one row appended per change, the version is the
/// row count), so several dashboard instances on one PostgreSQL, and a build run by another process, agree on it.
/// </summary>
public static class WarehouseVersion
{
    /// <summary>Raises the version inside the caller's transaction (it counts once that transaction commits).</summary>
    public static Task BumpAsync(WarehouseEngine engine, DbConnection connection, DbTransaction? tx, string reason,
        CancellationToken ct = default) =>
        connection.ExecuteAsync(new CommandDefinition(engine.Sql(
            "INSERT INTO warehouse_version (changed_at, reason) VALUES (@at, @reason)"), new { at = DateTime.UtcNow, reason }, tx,
            cancellationToken: ct));

    /// <summary>
    /// After the caller committed a <see cref="BumpAsync"/>: this process's result cache (<see cref="ResultCaches"/>) reads
    /// the version again at its next use instead of up to a second later (other processes see it within that second).
    /// </summary>
    public static void Committed(WarehouseEngine engine) => ResultCaches.Of(engine)?.VersionChanged();

    /// <summary>The version as this connection sees it, or null when the warehouse predates migration 0235.</summary>
    public static async Task<long?> ReadAsync(WarehouseEngine engine, DbConnection connection, CancellationToken ct = default)
    {
        if (await engine.RelationTypeAsync(connection, "warehouse_version", ct) is null) return null;
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM warehouse_version", cancellationToken: ct));
    }
}
