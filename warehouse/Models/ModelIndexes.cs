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
            : IndexesOf(node).Select(columns => $"CREATE INDEX IF NOT EXISTS {Name(node.Name, columns)} ON {node.Name} ({string.Join(", ", columns)})").ToList();

    /// <summary>
    /// The declared indexes, and for an incremental model the one its delete finds the touched slices' rows by (issue 15,
    /// the PostgreSQL incremental pass): the last <c>…_code</c> column of its unique key (the entity: entity_code,
    /// project_code, department_code), unless a declared index starts with it or the model's own delete_where compares it
    /// through coalesce() (the heatmaps: no index would serve it). Without it the delete of an upload's
    /// slices read the whole table: fct_indicator_judgement, 3,121,524 rows, 3.4 s at province scale for 1,475 rows.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> IndexesOf(ModelNode node)
    {
        if (node.Materialization != Materialization.Incremental) return node.Indexes;
        var entity = node.UniqueKey.LastOrDefault(k => k.EndsWith("_code", StringComparison.Ordinal));
        // a delete_where comparing coalesce(column, '') cannot use an index on the column: no index to build for it
        var unusable = entity is not null && node.DeleteWhere is { } own
                       && own.Contains($"coalesce({{{{ this }}}}.{entity}", StringComparison.OrdinalIgnoreCase);
        return entity is null || unusable || node.Indexes.Any(i => i.Count > 0 && i[0] == entity) ? node.Indexes : [.. node.Indexes, [entity]];
    }

    /// <summary>
    /// The node's indexes; and a table model (rebuilt whole by the runner, never updated in place) is left out of
    /// autovacuum, whose work on it is wasted: the runner analyses it in its own build, it has no dead rows, and the next
    /// pass replaces it (province, a burst: every rebuilt table vacuumed and analysed again after each pass, and the next
    /// pass's swap waited a deadlock_timeout for each). PostgreSQL still freezes it against wraparound when due.
    /// </summary>
    public static async Task EnsureAsync(WarehouseEngine engine, DbConnection connection, ModelNode node)
    {
        var statements = Statements(engine, node);
        var table = engine.Name == "postgres" && node.Kind == NodeKind.Model && node.Materialization == Materialization.Table;
        if (statements.Count == 0 && !table) return;
        // what the relation the name finds now (bp_build's new one, or the public one a build left as it was) has already:
        // CREATE INDEX IF NOT EXISTS and ALTER TABLE lock the table before they look, and wait behind autovacuum on it
        var (indexes, autovacuumOff) = await connection.QuerySingleAsync<(string[] Indexes, bool AutovacuumOff)>("""
            SELECT COALESCE((SELECT array_agg(c.relname::text) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                             WHERE i.indrelid = to_regclass(@table)), '{}'),
                   COALESCE((SELECT reloptions @> '{autovacuum_enabled=false}' FROM pg_class WHERE oid = to_regclass(@table)), false)
            """, new { table = node.Name });
        foreach (var (statement, columns) in statements.Zip(IndexesOf(node)))
            if (!indexes.Contains(Name(node.Name, columns)))
                await connection.ExecuteAsync(statement, commandTimeout: 0);
        if (table && !autovacuumOff)
            await connection.ExecuteAsync($"ALTER TABLE {node.Name} SET (autovacuum_enabled = false)");
    }
}
