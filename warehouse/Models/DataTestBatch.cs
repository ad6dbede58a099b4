using System.Data.Common;
using System.Diagnostics;

namespace BudgetPerf.Warehouse.Models;

/// <summary>
/// The row-by-row data tests of one relation (not_null, accepted_values: <see cref="DataTest.Violation"/>) and its
/// relationships tests (<see cref="DataTest.Parent"/>: each parent's distinct keys left-joined once) counted in one
/// scan (issue 15: at province scale on PostgreSQL each of them read a 3-million-row table, or evaluated the
/// stg_monitoring_indicator view, again; 44 s of data tests after a full build; then each relationships test of the
/// mart_indicator_derivation view computed its 2.9M rows again, 7.6–9.2 s apiece). Every test is still checked and
/// recorded on its own: a test the scan finds no violation of passes with its share of the scan's seconds, and one it
/// finds violated (or a scan that fails) runs alone as before, which captures its failing rows.
/// </summary>
public static class DataTestBatch
{
    /// <summary>The tests found without a violating row, by name, with their results.</summary>
    public static async Task<IReadOnlyDictionary<string, NodeResult>> PassingAsync(DbConnection connection, IEnumerable<DataTest> tests,
        CancellationToken ct = default)
    {
        var passing = new Dictionary<string, NodeResult>(StringComparer.Ordinal);
        foreach (var group in tests.Where(Batchable).GroupBy(t => t.Refs[0], StringComparer.Ordinal))
        {
            var batch = group.DistinctBy(t => t.Name).ToList();
            if (batch.Count < 2) continue; // alone: its own query is the one scan
            var started = DateTime.UtcNow;
            var clock = Stopwatch.StartNew();
            long[] counts;
            try
            {
                counts = await CountAsync(connection, group.Key, batch, ct);
            }
            catch (Exception ex) when ((ex is DbException or InvalidOperationException) && !ct.IsCancellationRequested)
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

    private static bool Batchable(DataTest test) =>
        (test.Violation is not null && test.Refs.Count == 1) || (test.Parent is not null && test.Refs.Count == 2);

    /// <summary>One row: each test's violations, counted over the relation (as <c>child</c>) and its parents' keys.</summary>
    internal static string CountSql(string relation, IReadOnlyList<DataTest> batch)
    {
        var counts = batch.Select((t, i) => t.Parent is { } p
            ? $"CAST(COUNT(CASE WHEN child.{p.Column} IS NOT NULL AND parent_{i}.parent_key_{i} IS NULL THEN 1 END) AS BIGINT) AS violations_{i}"
            : $"CAST(COUNT(CASE WHEN {t.Violation} THEN 1 END) AS BIGINT) AS violations_{i}");
        // DISTINCT: a parent field need not be unique, and a join must not count a child row twice
        var joins = batch.Select((t, i) => t.Parent is { } p
            ? $"\nLEFT JOIN (SELECT DISTINCT {p.Field} AS parent_key_{i} FROM {p.To}) parent_{i} ON child.{p.Column} = parent_{i}.parent_key_{i}"
            : "");
        return "SELECT " + string.Join(",\n    ", counts) + $"\nFROM {relation} child" + string.Concat(joins);
    }

    private static async Task<long[]> CountAsync(DbConnection connection, string relation, List<DataTest> batch, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandTimeout = 0;
        cmd.CommandText = CountSql(relation, batch);
        await using var interrupt = DataTestRunner.Interruptible(cmd, ct);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) throw new InvalidOperationException($"no row counting the tests of {relation}");
        return Enumerable.Range(0, batch.Count).Select(i => Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }
}
