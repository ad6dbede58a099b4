using System.Data.Common;
using System.Diagnostics;

namespace BudgetPerf.Warehouse.Models;

/// <summary>
/// The row-by-row data tests of one relation (not_null, accepted_values: <see cref="DataTest.Violation"/>) counted in one
/// scan (issue 15: at province scale on PostgreSQL each of them read a 3-million-row table, or evaluated the
/// stg_monitoring_indicator view, again; 44 s of data tests after a full build). Every test is still checked and
/// recorded on its own: a test the scan finds no violation of passes with its share of the scan's seconds, and one it
/// finds violated (or a scan that fails) runs alone as before, which captures its failing rows.
/// </summary>
public static class DataTestBatch
{
    /// <summary>The tests found without a violating row, by name, with their results.</summary>
    public static async Task<IReadOnlyDictionary<string, NodeResult>> PassingAsync(DbConnection connection, IEnumerable<DataTest> tests)
    {
        var passing = new Dictionary<string, NodeResult>(StringComparer.Ordinal);
        foreach (var group in tests.Where(t => t.Violation is not null && t.Refs.Count == 1).GroupBy(t => t.Refs[0], StringComparer.Ordinal))
        {
            var batch = group.DistinctBy(t => t.Name).ToList();
            if (batch.Count < 2) continue; // alone: its own query is the one scan
            var started = DateTime.UtcNow;
            var clock = Stopwatch.StartNew();
            long[] counts;
            try
            {
                counts = await CountAsync(connection, group.Key, batch);
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                continue; // each test then runs alone and reports its own error
            }
            var share = Math.Round(DataTestRunner.Seconds(clock) / batch.Count, 4);
            for (var i = 0; i < batch.Count; i++)
                if (counts[i] == 0)
                    passing[batch[i].Name] = new NodeResult(batch[i].Name, "test", "pass", 0, share, ModelNode.Sha256(batch[i].Sql),
                        $"checked in one scan of {group.Key} with {batch.Count - 1} other tests", started);
        }
        return passing;
    }

    private static async Task<long[]> CountAsync(DbConnection connection, string relation, List<DataTest> batch)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandTimeout = 0;
        cmd.CommandText = "SELECT " + string.Join(",\n    ",
            batch.Select((t, i) => $"CAST(COUNT(CASE WHEN {t.Violation} THEN 1 END) AS BIGINT) AS violations_{i}")) + $"\nFROM {relation}";
        await using var reader = await cmd.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) throw new InvalidOperationException($"no row counting the tests of {relation}");
        return Enumerable.Range(0, batch.Count).Select(i => Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }
}
