using System.Data.Common;

namespace BudgetPerf.Dashboard.Export;

/// <summary>
/// What an export says about itself: the header style (the page's Chinese titles by default, or the machine field
/// names), and for the xlsx 说明 sheet the title, the filters, the user and when the data was built.
/// </summary>
public sealed record ExportOptions
{
    public const string ChineseHeaders = "zh";
    public const string FieldHeaders = "field";
    public static readonly string[] HeaderStyles = [ChineseHeaders, FieldHeaders];

    /// <summary>Machine names (<c>fiscal_year</c>) in the header row instead of the page's titles (年度), and values unchanged.</summary>
    public bool UseFieldNames { get; init; }

    /// <summary>Headers that depend on the page (趋势's 分组 is 部门, 资金性质 or 指标类别), by field name.</summary>
    public IReadOnlyDictionary<string, string> HeaderOverrides { get; init; } = new Dictionary<string, string>();

    public string Title { get; init; } = "导出";

    /// <summary>The filters the rows were selected by (label, value), shown on the 说明 sheet.</summary>
    public IReadOnlyList<(string Label, string Value)> Filters { get; init; } = [];

    public string? User { get; init; }

    /// <summary>When the data was built (the latest model build in run_results); null when unknown.</summary>
    public DateTime? BuiltAt { get; init; }

    public static ExportOptions Default { get; } = new();

    /// <summary>The columns of <paramref name="reader"/> with their headers and kinds.</summary>
    public IReadOnlyList<(string Field, string Header, ExportColumn Column)> Columns(DbDataReader reader) =>
        Enumerable.Range(0, reader.FieldCount).Select(i =>
        {
            var field = reader.GetName(i);
            var column = ExportColumns.Of(field, reader.GetFieldType(i));
            var header = UseFieldNames ? field : HeaderOverrides.TryGetValue(field, out var o) ? o : column.Header;
            return (field, header, column);
        }).ToArray();

    /// <summary>A value as a reader of the page expects it: 是/否 for flags, 红灯 … for lights (machine values with field headers).</summary>
    public object Displayed(object value, ColumnKind kind) => UseFieldNames ? value : (kind, value) switch
    {
        (ColumnKind.Flag, bool b) => b ? "是" : "否",
        (ColumnKind.Light, string s) => ExportColumns.LightName(s),
        _ => value,
    };
}
