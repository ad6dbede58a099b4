using System.Globalization;

namespace BudgetPerf.Warehouse.Engines;

/// <summary>The value kinds the landing tables and seeds use.</summary>
public enum ColumnType { Text, Integer, BigInt, Decimal, Boolean, Timestamp, Date }

/// <summary>A column of a warehouse table, by name and value kind.</summary>
public sealed record ColumnInfo(string Name, ColumnType Type)
{
    /// <summary>Maps an information_schema data_type (DuckDB or PostgreSQL spelling) to a value kind.</summary>
    public static ColumnType TypeOf(string dataType)
    {
        var t = dataType.ToUpperInvariant();
        if (t.StartsWith("DECIMAL") || t.StartsWith("NUMERIC")) return ColumnType.Decimal;
        if (t is "INTEGER" or "INT" or "INT4" or "SMALLINT") return ColumnType.Integer;
        if (t is "BIGINT" or "INT8") return ColumnType.BigInt;
        if (t is "BOOLEAN" or "BOOL") return ColumnType.Boolean;
        if (t.StartsWith("TIMESTAMP")) return ColumnType.Timestamp;
        if (t == "DATE") return ColumnType.Date;
        return ColumnType.Text;
    }

    /// <summary>Converts invariant text (a seed cell) to this column's CLR value; blank is null.</summary>
    public object? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var s = text.Trim();
        var inv = CultureInfo.InvariantCulture;
        return Type switch
        {
            ColumnType.Integer => int.Parse(s, inv),
            ColumnType.BigInt => long.Parse(s, inv),
            ColumnType.Decimal => decimal.Parse(s, NumberStyles.Number, inv),
            ColumnType.Boolean => s is "1" || s.Equals("true", StringComparison.OrdinalIgnoreCase) || s == "是",
            ColumnType.Timestamp => DateTime.Parse(s, inv),
            ColumnType.Date => DateOnly.Parse(s, inv),
            _ => text,
        };
    }
}
