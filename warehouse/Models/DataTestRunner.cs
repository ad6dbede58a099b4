using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using Dapper;

namespace BudgetPerf.Warehouse.Models;

/// <summary>Runs data tests and captures the first violating rows of each failing one.</summary>
public static class DataTestRunner
{
    public const int FailureRowCap = 100;

    public static async Task<(NodeResult Result, TestFailure? Failure)> RunAsync(DbConnection connection, DataTest test)
    {
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var hash = ModelNode.Sha256(test.Sql);
        try
        {
            var count = Convert.ToInt64(await connection.ExecuteScalarAsync($"SELECT COUNT(*) FROM ({test.Sql}) violations", commandTimeout: 0));
            if (count == 0)
                return (new NodeResult(test.Name, "test", "pass", 0, Seconds(clock), hash, null, started), null);

            var rows = await FirstRowsAsync(connection, test.Sql);
            var failure = new TestFailure(test.Name, count, rows);
            return (new NodeResult(test.Name, "test", "fail", count, Seconds(clock), hash, $"{count} failing rows", started), failure);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            return (new NodeResult(test.Name, "test", "error", null, Seconds(clock), hash, ex.Message, started), null);
        }
    }

    private static async Task<IReadOnlyList<string>> FirstRowsAsync(DbConnection connection, string sql)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandTimeout = 0;
        cmd.CommandText = $"SELECT * FROM ({sql}) violations LIMIT {FailureRowCap}";
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
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
