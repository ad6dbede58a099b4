using System.Data.Common;
using BudgetPerf.Warehouse.Engines;
using CsvHelper;
using Dapper;

namespace BudgetPerf.Warehouse.Models;

/// <summary>Loads a seed CSV into a table with the column types declared in seeds/schema.yml (VARCHAR otherwise).</summary>
public static class SeedLoader
{
    public static async Task<long> LoadAsync(WarehouseEngine engine, DbConnection connection, ModelNode seed,
        IReadOnlyList<ColumnSpec> declared, string? table = null)
    {
        table ??= seed.Name;
        using var csv = CsvReader.FromFile(seed.Path, CsvReaderOptions.Default with { Separator = ',', TrimWhitespace = true },
            FileOptions.SequentialScan);
        csv.ReadHeader();
        var header = csv.Headers.ToArray();
        if (header.Length == 0) throw new InvalidDataException($"{seed.Path}: no header row");

        var columns = header.Select(h => new ColumnInfo(h, ColumnInfo.TypeOf(TypeOf(h, declared)))).ToList();
        var rows = new List<object?[]>();
        while (csv.Read())
            rows.Add(columns.Select((c, i) => ParseCell(seed, csv, c, i)).ToArray());

        var ddl = string.Join(", ", header.Select(h => $"{h} {TypeOf(h, declared)}"));
        await connection.ExecuteAsync(engine.DropRelationSql(table, isView: false));
        await connection.ExecuteAsync($"CREATE TABLE {table} ({ddl})");
        return await engine.BulkInsertAsync(connection, table, columns, rows);
    }

    private static string TypeOf(string column, IReadOnlyList<ColumnSpec> declared) =>
        declared.FirstOrDefault(c => c.Name == column)?.Type ?? "VARCHAR";

    private static object? ParseCell(ModelNode seed, CsvReader csv, ColumnInfo column, int index)
    {
        var text = csv.GetString(index);
        try
        {
            return column.Parse(text);
        }
        catch (FormatException)
        {
            throw new InvalidDataException(
                $"{seed.Path} row {csv.RowNumber + 1}, column {column.Name}: '{text}' is not a {column.Type}");
        }
    }
}
