using System.Text.RegularExpressions;
using BudgetPerf.Etl.Reading.Xlsx;
using BudgetPerf.Etl.Validation;

namespace BudgetPerf.Etl.Reading.Forms;

/// <summary>
/// The head of a printed form: the values of its label cells (beside the label, under it, or in the same cell as
/// <c>项目（政策）名称：X</c>, several such pairs in one cell too), the year and the period or quarter of its title lines.
/// </summary>
public sealed partial class FormHead
{
    [GeneratedRegex(@"(\d{4})\s*年")]
    private static partial Regex YearPattern();

    [GeneratedRegex(@"第?\s*([一二三四1-4])\s*季度|Q([1-4])")]
    private static partial Regex QuarterPattern();

    [GeneratedRegex(@"(\d{1,2})\s*-\s*(\d{1,2})\s*月|半年")]
    private static partial Regex PeriodPattern();

    [GeneratedRegex(@"^\s*(\d{2,})\s*[-－—_\s]+\s*(\S.*)$")]
    private static partial Regex CodeAndName();

    [GeneratedRegex(@"[（(]\s*\d{0,4}\s*年[^）)]*[）)]")]
    private static partial Regex YearLine();

    private readonly Dictionary<string, string> _values = [];

    public FormHead(FormGrid grid, int untilRow)
    {
        var top = grid.RowNumbers.Take(4).SelectMany(r => grid.Row(r)).Where(c => c is not null).Select(c => CellParser.Fold(c!)).ToList();
        Year = top.Select(c => YearPattern().Match(c)).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        if (top.Select(c => QuarterPattern().Match(c)).FirstOrDefault(m => m.Success) is { } q)
            Quarter = "Q" + (q.Groups[1].Success ? "一二三四1234".IndexOf(q.Groups[1].Value[0]) % 4 + 1 : q.Groups[2].Value);
        if (top.Select(c => PeriodPattern().Match(c)).FirstOrDefault(m => m.Success) is { } p)
            Period = p.Value == "半年" ? "1-6月" : $"{p.Groups[1].Value}-{p.Groups[2].Value}月";
        foreach (var r in grid.RowNumbers.TakeWhile(r => r < untilRow))
        {
            var row = grid.Row(r);
            for (var c = 0; c < row.Length; c++)
            {
                if (grid[r, c] is not { } text || c > 0 && grid[r, c - 1] == text) continue;   // a merged label once
                if (text.IndexOfAny(['：', ':']) >= 0 && Inline(text)) continue;
                if (Field(text) is { } field && !_values.ContainsKey(field)
                    && grid.ValueNear(r, c, v => Field(v) is not null || v.IndexOfAny(['：', ':']) >= 0 && Field(v[..v.IndexOfAny(['：', ':'])]) is not null) is { } value
                    && !FormVocabulary.IsBlank(value))
                    _values[field] = value.Trim();
            }
        }
        Quarter ??= Get("季度");
        Period = Get("期间") ?? Period;
    }

    public string? Year { get; }
    public string? Quarter { get; }
    public string? Period { get; }

    /// <summary>Every head value found, for the explanation.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    public string? Get(string field) => _values.TryGetValue(field, out var v) ? v : null;

    /// <summary>The field of a head label, or null when the text is no label.</summary>
    public static string? Field(string text) =>
        FormVocabulary.HeadLabels.TryGetValue(FormVocabulary.Key(text), out var f) ? f : null;

    /// <summary>
    /// Label/value pairs in one cell (<c>填报单位（盖章）：X  项目（政策）名称：Y</c>): each colon ends a label, the
    /// longest text before it that is a label; what lies between is the previous label's value. True when the cell held one.
    /// </summary>
    private bool Inline(string text)
    {
        var pairs = new List<(string Field, int LabelStart, int ValueStart)>();
        var from = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is not ('：' or ':')) continue;
            for (var start = from; start < i; start++)
                if (Field(text[start..i]) is { } field)
                {
                    pairs.Add((field, start, i + 1));
                    break;
                }
            from = i + 1;
        }
        var found = false;
        for (var k = 0; k < pairs.Count; k++)
        {
            var end = k + 1 < pairs.Count ? pairs[k + 1].LabelStart : text.Length;
            var value = YearLine().Replace(text[pairs[k].ValueStart..end], "").Trim();
            if (value.Length == 0 || FormVocabulary.IsBlank(value)) continue;
            found = true;
            if (pairs[k].Field != "-") _values.TryAdd(pairs[k].Field, value);
        }
        return found;
    }

    /// <summary>A code and a name in one cell (<c>219-池州市贵池区棠溪镇人民政府</c>) as (219, 池州市…).</summary>
    public static (string? Code, string Name) SplitCode(string text) =>
        CodeAndName().Match(text) is { Success: true } m ? (m.Groups[1].Value, m.Groups[2].Value.Trim()) : (null, text);
}
