using System.Data.Common;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Warehouse.Models;

/// <summary>
/// A table model's declared indexes (<see cref="ModelNode.Indexes"/>, the <c>-- indexes:</c> header) on PostgreSQL, created
/// after the runner has (re)created the table and before its statistics are taken. A rebuilt table is a new table, so the
/// indexes are declared beside the model and made again on every rebuild; an incremental table keeps them between builds
/// (<c>IF NOT EXISTS</c>). DuckDB gets none: its zone maps serve the pages' filters and an ART index only slows the build.
/// </summary>
public static class ModelIndexes
{
    /// <summary>The index name of <paramref name="columns"/> on <paramref name="table"/> (PostgreSQL keeps 63 bytes of a name).</summary>
    public static string Name(string table, IReadOnlyList<string> columns)
    {
        var name = $"ix_{table}__{string.Join("_", columns)}";
        return name.Length <= 63 ? name : name[..54] + "_" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(name)))[..8].ToLowerInvariant();
    }

    /// <summary>The statements that create the node's indexes on <paramref name="engine"/> (none on DuckDB or for a view).</summary>
    public static IReadOnlyList<string> Statements(WarehouseEngine engine, ModelNode node) =>
        engine.Name != "postgres" || node.Kind != NodeKind.Model || node.Materialization == Materialization.View
            ? []
            : node.Indexes.Select(columns => $"CREATE INDEX IF NOT EXISTS {Name(node.Name, columns)} ON {node.Name} ({string.Join(", ", columns)})").ToList();

    public static async Task EnsureAsync(WarehouseEngine engine, DbConnection connection, ModelNode node)
    {
        foreach (var statement in Statements(engine, node))
            await connection.ExecuteAsync(statement, commandTimeout: 0);
    }
}
