using System.Data.Common;
using System.Globalization;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;

namespace BudgetPerf.Tests.Integration.Incremental;

/// <summary>Every model of two warehouses of one engine compared row for row (sorted whole contents).</summary>
public static class WarehouseComparison
{
    /// <summary>
    /// build_slice and changed_entities are left out: they are the runner's lists of slices and of the changed batches'
    /// entities to recompute, empty after a full refresh by design.
    /// </summary>
    public static async Task AssertSameModelsAsync(WarehouseEngine a, WarehouseEngine b, string step)
    {
        var models = ModelProject.Load(SqlAssets.Root, a.Name).Graph.Order
            .Where(n => n.Kind == NodeKind.Model && !IncrementalBuilder.ChangeLists.Contains(n.Name)).ToList();
        Assert.True(models.Count > 30, "every model of the project is compared");
        // one connection a warehouse: a DuckDB file opened and closed per model (loaded, then checkpointed) took 5 s a step
        await using var connectionA = await a.OpenAsync();
        await using var connectionB = await b.OpenAsync();
        foreach (var model in models)
        {
            var left = await RowsAsync(connectionA, model.Name);
            var right = await RowsAsync(connectionB, model.Name);
            var firstDifference = Enumerable.Range(0, Math.Min(left.Count, right.Count)).FirstOrDefault(i => left[i] != right[i], -1);
            Assert.True(left.Count == right.Count && firstDifference < 0,
                $"after {step}, {model.Name} differs: {left.Count} rows incremental, {right.Count} full" +
                (firstDifference >= 0 ? $"\n incremental {left[firstDifference]}\n full        {right[firstDifference]}" : ""));
        }
    }

    /// <summary>Every row as text (decimals without trailing zeros), sorted ordinally.</summary>
    private static async Task<List<string>> RowsAsync(DbConnection connection, string relation)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT * FROM {relation}";
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var cells = new string[reader.FieldCount];
            for (var i = 0; i < cells.Length; i++)
                cells[i] = reader.GetName(i) + "=" + (reader.IsDBNull(i) ? "∅" : reader.GetValue(i) switch
                {
                    decimal d => d.ToString("0.############", CultureInfo.InvariantCulture),
                    DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
                    var v => Convert.ToString(v, CultureInfo.InvariantCulture),
                });
            rows.Add(string.Join("|", cells));
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
