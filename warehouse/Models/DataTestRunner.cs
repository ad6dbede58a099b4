using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;

namespace BudgetPerf.Warehouse.Models;

/// <summary>Runs data tests and captures the first violating rows of each failing one.</summary>
public static class DataTestRunner
{
    public const int FailureRowCap = 100;

    /// <summary>
    /// Runs <paramref name="test"/>; <paramref name="ct"/> stops it mid-query (the submission worker's deferred tests when a
    /// submission arrives) with an <see cref="OperationCanceledException"/>, never a result.
    /// </summary>
    public static async Task<(NodeResult Result, TestFailure? Failure)> RunAsync(DbConnection connection, DataTest test,
        CancellationToken ct = default)
    {
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var hash = ModelNode.Sha256(test.Sql);
        try
        {
            var count = Convert.ToInt64(await ScalarAsync(connection, $"SELECT COUNT(*) FROM ({test.Sql}) violations", ct),
                System.Globalization.CultureInfo.InvariantCulture);
            if (count == 0)
                return (new NodeResult(test.Name, "test", "pass", 0, Seconds(clock), hash, null, started), null);

            var rows = await FirstRowsAsync(connection, test.Sql, ct);
            var failure = new TestFailure(test.Name, count, rows);
            return (new NodeResult(test.Name, "test", "fail", count, Seconds(clock), hash, $"{count} failing rows", started), failure);
        }
        catch (Exception ex) when ((ex is DbException or InvalidOperationException) && !ct.IsCancellationRequested)
        {
            return (new NodeResult(test.Name, "test", "error", null, Seconds(clock), hash, ex.Message, started), null);
        }
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandTimeout = 0;
        cmd.CommandText = sql;
        await using var interrupt = Interruptible(cmd, ct);
        return await cmd.ExecuteScalarAsync(ct);
    }

    /// <summary>
    /// DuckDB.NET runs an async command synchronously and does not watch the token: <paramref name="ct"/> interrupts the
    /// command (<see cref="DbCommand.Cancel"/>). Npgsql watches the token itself (a cancel request to the server); a second
    /// cancel request of our own could reach the pooled session's next query.
    /// </summary>
    internal static CancellationTokenRegistration Interruptible(DbCommand cmd, CancellationToken ct) =>
        !ct.CanBeCanceled || cmd is Npgsql.NpgsqlCommand ? default : ct.Register(() =>
        {
            try { cmd.Cancel(); }
            catch (Exception ex) when (ex is DbException or InvalidOperationException or NotSupportedException or ObjectDisposedException) { }
        });

    private static async Task<IReadOnlyList<string>> FirstRowsAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandTimeout = 0;
        cmd.CommandText = $"SELECT * FROM ({sql}) violations LIMIT {FailureRowCap}";
        await using var interrupt = Interruptible(cmd, ct);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            var row = new Dictionary<string, string?>();
            for (var i = 0; i < reader.FieldCount; i++)
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
            rows.Add(JsonSerializer.Serialize(row, JsonOptions));
        }
        return rows;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    internal static decimal Seconds(Stopwatch clock) => Math.Round((decimal)clock.Elapsed.TotalSeconds, 4);
}
