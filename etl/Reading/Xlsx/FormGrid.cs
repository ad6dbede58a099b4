using BudgetPerf.Etl.Submissions;

namespace BudgetPerf.Etl.Reading.Xlsx;

/// <summary>
/// A form sheet held whole (forms are small): cell text by (row, column) with every merged range filled from its
/// top-left cell, so a label or value merged over several cells reads the same in each of them.
/// </summary>
public sealed class FormGrid
{
    private readonly SortedDictionary<int, string?[]> _rows = [];

    /// <summary>Label cells of the forms, so that a blank value is not read as the next label.</summary>
    private static readonly HashSet<string> Labels = new[]
    {
        "项目名称", "主管部门", "主管部门编码", "实施单位", "项目编码", "部门名称", "部门编码", "单位名称", "季度", "期间", "监控期间",
        "原先申请资金", "计划调整后资金", "调整原因及依据", "主管单位",
    }.Select(HeaderText.Normalize).ToHashSet();

    public FormGrid(IFormWorkbook workbook, string sheet)
    {
        foreach (var row in workbook.Rows(sheet)) _rows[row.RowNumber] = row.Cells;
        foreach (var range in workbook.MergedRanges(sheet))
        {
            var (r1, c1, r2, c2) = Range(range);
            var value = this[r1, c1];
            if (value is null) continue;
            for (var r = r1; r <= r2; r++)
                for (var c = c1; c <= c2; c++)
                    if (r != r1 || c != c1) Set(r, c, value);
        }
    }

    public IEnumerable<int> RowNumbers => _rows.Keys;

    public int Width(int row) => _rows.TryGetValue(row, out var cells) ? cells.Length : 0;

    public string? this[int row, int column] =>
        _rows.TryGetValue(row, out var cells) && column < cells.Length && !string.IsNullOrWhiteSpace(cells[column])
            ? cells[column]!.Trim() : null;

    public string?[] Row(int row) => _rows.TryGetValue(row, out var cells) ? cells : [];

    private void Set(int row, int column, string value)
    {
        if (!_rows.TryGetValue(row, out var cells)) _rows[row] = cells = [];
        if (cells.Length <= column)
        {
            Array.Resize(ref cells, column + 1);
            _rows[row] = cells;
        }
        cells[column] = value;
    }

    /// <summary>The first cell whose label (normalised as headers are) is one of <paramref name="labels"/>.</summary>
    public (int Row, int Column)? Find(params string[] labels)
    {
        var keys = labels.Select(HeaderText.Normalize).ToHashSet();
        foreach (var (r, cells) in _rows)
            for (var c = 0; c < cells.Length; c++)
                if (cells[c] is { } text && keys.Contains(HeaderText.Normalize(text))) return (r, c);
        return null;
    }

    /// <summary>The value beside a label: the first cell to its right that is not the (merged) label itself.</summary>
    public string? ValueOf(params string[] labels)
    {
        if (Find(labels) is not var (r, c)) return null;
        var label = this[r, c];
        for (var x = c + 1; x < Width(r); x++)
            if (this[r, x] is { } v && v != label) return Labels.Contains(HeaderText.Normalize(v)) ? null : v;   // blank value: next label
        return null;
    }

    /// <summary>
    /// The value of a label at (row, column): the first cell to its right that is neither the (merged) label nor
    /// another label; when the label is followed at once by another label (a row of captions), the cell under it
    /// (amounts printed under their caption); null for a blank value.
    /// </summary>
    public string? ValueNear(int row, int column, Func<string, bool> isLabel)
    {
        var label = this[row, column];
        var end = column;   // the label's last column (merged over several)
        for (var x = column + 1; x < Width(row); x++)
        {
            if (this[row, x] is not { } v) continue;
            if (v == label && end == x - 1) { end = x; continue; }
            if (!isLabel(v)) return v;
            if (x != end + 1) return null;   // a blank value, then the next label
            return Below(row, column, label, isLabel);   // a row of captions: the value is under the caption
        }
        // the last caption of a row of captions (a label just before it, nothing after): its value is under it too
        return column > 0 && this[row, column - 1] is { } left && left != label && isLabel(left) ? Below(row, column, label, isLabel) : null;
    }

    private string? Below(int row, int column, string? label, Func<string, bool> isLabel)
    {
        return this[row + 1, column] is { } below && below != label && !isLabel(below) ? below : null;
    }

    private static (int, int, int, int) Range(string range)
    {
        var parts = range.Split(':');
        var (r1, c1) = Cell(parts[0]);
        var (r2, c2) = parts.Length > 1 ? Cell(parts[1]) : (r1, c1);
        return (r1, c1, r2, c2);
    }

    private static (int Row, int Column) Cell(string reference) =>
        (int.Parse(reference.AsSpan(reference.IndexOfAny("0123456789".ToCharArray()))), XlsxWorkbook.ColumnIndex(reference));
}
