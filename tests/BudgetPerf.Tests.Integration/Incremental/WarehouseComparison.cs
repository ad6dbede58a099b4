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
    /// entities to recompute, empty after a full refresh by design. Returns <paramref name="a"/>'s rows per model.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, List<ModelRow>>> AssertSameModelsAsync(WarehouseEngine a, WarehouseEngine b, string step)
    {
        var models = ModelProject.Load(SqlAssets.Root, a.Name).Graph.Order
            .Where(n => n.Kind == NodeKind.Model && !IncrementalBuilder.ChangeLists.Contains(n.Name)).ToList();
        Assert.True(models.Count > 30, "every model of the project is compared");
        // one connection a warehouse: a DuckDB file opened and closed per model (loaded, then checkpointed) took 5 s a step
        await using var connectionA = await a.OpenAsync();
        await using var connectionB = await b.OpenAsync();
        var rowsOfA = new Dictionary<string, List<ModelRow>>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            var left = rowsOfA[model.Name] = await RowsAsync(connectionA, model.Name);
            var right = await RowsAsync(connectionB, model.Name);
            var firstDifference = FirstDifference(left.Select(r => r.Text).ToList(), right.Select(r => r.Text).ToList());
            Assert.True(left.Count == right.Count && firstDifference < 0,
                $"after {step}, {model.Name} differs: {left.Count} rows incremental, {right.Count} full" +
                (firstDifference >= 0 ? $"\n incremental {left[firstDifference].Text}\n full        {right[firstDifference].Text}" : ""));
        }
        return rowsOfA;
    }

    /// <summary>
    /// Issue 15, the readers' cache by 年度: a build that recorded <paramref name="fromYear"/> (warehouse_version.from_year)
    /// left every model's rows of earlier years as they were, and every model without a 年度 column whole — or, for one
    /// declaring <c>-- year_neutral: true</c> (dim_indicator), changed no row of a key (its first column): keys added or dropped only.
    /// </summary>
    public static void AssertYearsBeforeKept(IReadOnlyDictionary<string, List<ModelRow>> before,
        IReadOnlyDictionary<string, List<ModelRow>> after, int fromYear, string step, WarehouseEngine engine)
    {
        var neutral = ModelProject.Load(SqlAssets.Root, engine.Name).Graph.Nodes
            .Where(n => n.YearNeutral).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (model, rows) in after)
        {
            if (!before.TryGetValue(model, out var earlier)) continue;
            if (neutral.Contains(model))
            {
                var dropped = earlier.ExceptBy(rows.Select(r => r.Text), r => r.Text).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
                var modified = rows.ExceptBy(earlier.Select(r => r.Text), r => r.Text).Select(r => r.Key).Where(dropped.Contains).ToList();
                Assert.True(modified.Count == 0, $"{step}: the year-neutral {model} changed the row of {string.Join(", ", modified.Take(3))}");
                continue;
            }
            var kept = earlier.Where(r => r.Year is not { } y || y < fromYear).Select(r => r.Text).ToList();
            var now = rows.Where(r => r.Year is not { } y || y < fromYear).Select(r => r.Text).ToList();
            var firstDifference = FirstDifference(kept, now);
            Assert.True(kept.Count == now.Count && firstDifference < 0,
                $"{step} recorded changes from {fromYear} on, but {model}'s rows before {fromYear} (or without a 年度) changed: " +
                $"{kept.Count} → {now.Count}" + (firstDifference >= 0 ? $"\n before {kept[firstDifference]}\n after  {now[firstDifference]}" : ""));
        }
    }

    /// <summary>The first index where two sorted row lists differ, up to the shorter's length; −1 when none does.</summary>
    private static int FirstDifference(IReadOnlyList<string> left, IReadOnlyList<string> right) =>
        Enumerable.Range(0, Math.Min(left.Count, right.Count)).FirstOrDefault(i => left[i] != right[i], -1);

    /// <summary>
    /// A row as text, its 年度 (fiscal_year, or target_year for a forecast's history; null: the relation has none) and its
    /// first column's cell (a year-neutral relation's key).
    /// </summary>
    public sealed record ModelRow(string Text, int? Year, string Key);

    /// <summary>Every row as text (decimals without trailing zeros), sorted ordinally.</summary>
    private static async Task<List<ModelRow>> RowsAsync(DbConnection connection, string relation)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT * FROM {relation}";
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<ModelRow>();
        var yearColumn = Enumerable.Range(0, reader.FieldCount).Select(i => (int?)i)
            .FirstOrDefault(i => reader.GetName(i!.Value) is "fiscal_year" or "target_year");
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
            int? year = yearColumn is { } c && !reader.IsDBNull(c) ? Convert.ToInt32(reader.GetValue(c), CultureInfo.InvariantCulture) : null;
            rows.Add(new ModelRow(string.Join("|", cells), year, cells[0]));
        }
        rows.Sort((x, y) => StringComparer.Ordinal.Compare(x.Text, y.Text));
        return rows;
    }
}
