using BudgetPerf.Etl.Indicators;
using BudgetPerf.Etl.Submissions;
using BudgetPerf.Warehouse.Engines;

namespace BudgetPerf.Etl.Loading;

/// <summary>
/// The landing tables are laid out as batch_id, source_row, the family's fields, then the parsed 指标值 columns: a
/// validated row (values, then two spare slots) becomes its raw row in place, shifted by two, without a second array.
/// </summary>
internal static class RawLayout
{
    /// <summary>Whether the raw table's columns are exactly batch_id, source_row, the fields and the parsed columns, in order.</summary>
    public static bool InPlace(SubmissionKind kind, IReadOnlyList<ColumnInfo> columns)
    {
        string[] expected = ["batch_id", "source_row", .. kind.Fields.Select(f => f.Column), .. IndicatorColumns.For(kind)];
        return columns.Select(c => c.Name).SequenceEqual(expected);
    }

    /// <summary>The values (with two spare slots at the end) moved right by two, behind the batch id and source row.</summary>
    public static object?[] Shift(object?[] values, object batchId, int sourceRow)
    {
        Array.Copy(values, 0, values, 2, values.Length - 2);
        values[0] = batchId;
        values[1] = sourceRow;
        return values;
    }
}
