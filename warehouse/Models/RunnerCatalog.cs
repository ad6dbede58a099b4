using System.Data.Common;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Warehouse.Models;

/// <summary>
/// The warehouse schema's relations and their columns as one build sees them (目录, issue 15: the runner's fixed cost per
/// model): read in ONE catalogue query when the build starts, then kept current by the runner as it creates and drops
/// relations, instead of an information_schema query per model and step (DuckDB: 5–35 ms each at province scale, about
/// 0.4 s of a ten-department pass). A relation the runner (re)creates has its columns read again on first use.
/// The view check before a PostgreSQL view stays live (<see cref="ModelRunner"/>): a replaced table's CASCADE drops the
/// views over it behind the runner's back.
/// </summary>
public sealed class RunnerCatalog(WarehouseEngine engine)
{
    private Dictionary<string, string> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<ColumnInfo>> _columns = new(StringComparer.Ordinal);

    /// <summary>Whether <see cref="LoadAsync"/> ran in this build.</summary>
    public bool Loaded { get; private set; }

    /// <summary>Every relation of the warehouse's schema with its type and columns, one query.</summary>
    public async Task LoadAsync(DbConnection connection)
    {
        var rows = await connection.QueryAsync<(string Table, string Type, string? Column, string? DataType)>(engine.Sql("""
            SELECT t.table_name, t.table_type, c.column_name, c.data_type
            FROM information_schema.tables AS t
            LEFT JOIN information_schema.columns AS c ON c.table_schema = t.table_schema AND c.table_name = t.table_name
            WHERE t.table_schema = @schema
            ORDER BY t.table_name, c.ordinal_position
            """), new { schema = engine.DefaultSchema });
        _types = new Dictionary<string, string>(StringComparer.Ordinal);
        _columns.Clear();
        foreach (var group in rows.GroupBy(r => r.Table, StringComparer.Ordinal))
        {
            _types[group.Key] = group.First().Type;
            _columns[group.Key] = group.Where(r => r.Column is not null)
                .Select(r => new ColumnInfo(r.Column!, ColumnInfo.TypeOf(r.DataType ?? ""))).ToList();
        }
        Loaded = true;
    }

    /// <summary>"BASE TABLE", "VIEW" or null, as of now in this build.</summary>
    public string? RelationType(string name) => _types.GetValueOrDefault(name);

    /// <summary>The runner made the relation (again): its columns are read on first use.</summary>
    public void Created(string name, bool view)
    {
        _types[name] = view ? "VIEW" : "BASE TABLE";
        _columns.Remove(name);
    }

    public void Dropped(string name)
    {
        _types.Remove(name);
        _columns.Remove(name);
    }

    /// <summary>The relation's columns in ordinal order: from the build's catalogue read, or read now and kept.</summary>
    public async Task<IReadOnlyList<ColumnInfo>> ColumnsAsync(DbConnection connection, string name)
    {
        if (_columns.TryGetValue(name, out var known)) return known;
        var columns = await engine.ColumnsOfAsync(connection, name);
        if (columns.Count > 0) _columns[name] = columns;
        return columns;
    }
}
