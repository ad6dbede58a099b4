using System.Data.Common;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Warehouse.Caching;

/// <summary>
/// 数仓版本 (issue 15, readers under a burst): a number that changes whenever something a page shows changes — every
/// build's commit and every write outside a build that pages read (批注, 政策参数, 预算安排模拟方案, 法规条款, users).
/// It lives in the database (<c>warehouse_version</c>, migration 0235: one row appended per change, the version is the
/// row count), so several dashboard instances on one PostgreSQL, and a build run by another process, agree on it.
/// A change may say the first 年度 it can show in (migration 0280, <c>from_year</c>): an answer that reads no year after
/// Y keeps its version while only changes from years after Y commit (<see cref="VersionSnapshot.Of"/>).
/// </summary>
public static class WarehouseVersion
{
    /// <summary>
    /// Raises the version inside the caller's transaction (it counts once that transaction commits). <paramref name="fromYear"/>:
    /// the first 年度 whose rows the change can alter (every later one too); null, any year.
    /// </summary>
    public static Task BumpAsync(WarehouseEngine engine, DbConnection connection, DbTransaction? tx, string reason,
        CancellationToken ct = default, int? fromYear = null) =>
        connection.ExecuteAsync(new CommandDefinition(engine.Sql(
            "INSERT INTO warehouse_version (changed_at, reason, from_year) VALUES (@at, @reason, @fromYear)"),
            new { at = DateTime.UtcNow, reason, fromYear }, tx, cancellationToken: ct));

    /// <summary>
    /// After the caller committed a <see cref="BumpAsync"/>: this process's result cache (<see cref="ResultCaches"/>) reads
    /// the version again at its next use instead of up to a second later (other processes see it within that second).
    /// </summary>
    public static void Committed(WarehouseEngine engine) => ResultCaches.Of(engine)?.VersionChanged();

    /// <summary>The versions as this connection sees them, or null when the warehouse predates migration 0235.</summary>
    public static async Task<VersionSnapshot?> ReadAsync(WarehouseEngine engine, DbConnection connection, CancellationToken ct = default)
    {
        if (await engine.RelationTypeAsync(connection, "warehouse_version", ct) is null) return null;
        var counts = await connection.QueryAsync<(int? FromYear, long Changes)>(new CommandDefinition(
            "SELECT from_year, CAST(COUNT(*) AS BIGINT) FROM warehouse_version GROUP BY from_year", cancellationToken: ct));
        return new VersionSnapshot(counts.ToList());
    }
}

/// <summary>
/// The changes committed so far, counted by the first 年度 each can show in (null: any year). <see cref="Total"/> is the
/// warehouse's version; <see cref="Of"/> the version of an answer that reads no year after a given one.
/// </summary>
public sealed class VersionSnapshot(IReadOnlyList<(int? FromYear, long Changes)> counts)
{
    public long Total { get; } = counts.Sum(c => c.Changes);

    /// <summary>
    /// The version of an answer reading the years up to <paramref name="upToYear"/> only: the changes that can show in one of
    /// them (from any year, or from a year at most it). Null: an answer that may read any year, the <see cref="Total"/>.
    /// </summary>
    public long Of(int? upToYear) =>
        upToYear is { } year ? counts.Where(c => c.FromYear is null || c.FromYear <= year).Sum(c => c.Changes) : Total;
}
