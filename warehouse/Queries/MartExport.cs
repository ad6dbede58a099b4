using System.Data.Common;
using System.Text.RegularExpressions;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>Streams a mart (optionally one year) as a data reader, for exports with no row cap.</summary>
public static partial class MartExport
{
    [GeneratedRegex("^mart_[a-z0-9_]+$")]
    private static partial Regex MartName();

    /// <summary>Opens a reader over the mart; the caller disposes the connection after the reader.</summary>
    public static async Task<(DbConnection Connection, DbDataReader Reader)> OpenAsync(WarehouseEngine engine, string mart,
        int? year, CancellationToken ct = default)
    {
        if (!MartName().IsMatch(mart))
            throw new ArgumentException($"'{mart}' is not a mart name (mart_…)");
        var connection = await engine.OpenReadAsync(ct);
        if (await engine.RelationTypeAsync(connection, mart, ct) is null)
        {
            await connection.DisposeAsync();
            throw new ArgumentException($"mart '{mart}' does not exist (run budgetperf build)");
        }
        // a time series (mart_trends) in the periods' order, not their text's (1-12月 sorts before 1-3月)
        var order = (await engine.ColumnsOfAsync(connection, mart, ct)).Any(c => c.Name == "period_sort_order")
            ? "fiscal_year, period_sort_order, 1, 2, 3"
            : "1, 2, 3";
        // the mart name matched ^mart_[a-z0-9_]+$ and exists; the year is a bound parameter
        var sql = $"SELECT * FROM {mart}" + (year is null ? "" : " WHERE fiscal_year = @year") + $" ORDER BY {order}";
        return (connection, await connection.ExecuteReaderAsync(new CommandDefinition(engine.Sql(sql), year is null ? null : new { year }, cancellationToken: ct)));
    }

    /// <summary>When the data was last built (the latest successful model in run_results); null before any build.</summary>
    public static async Task<DateTime?> BuiltAtAsync(WarehouseEngine engine, CancellationToken ct = default)
    {
        await using var connection = await engine.OpenReadAsync(ct);
        if (await engine.RelationTypeAsync(connection, "run_results", ct) is null) return null;
        var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT MAX(started_at) FROM run_results WHERE node_type = 'model' AND status = 'success'";
        return await cmd.ExecuteScalarAsync(ct) is DateTime at ? at : null;
    }
}
