using System.Globalization;

namespace BudgetPerf.Etl.Templates;

/// <summary>
/// The cell writer of <see cref="PrintedForms"/>: shifts every cell right by the blank columns, merges (or, printing
/// without merges, writes the top-left cell only), drops captions' line breaks when asked, writes a number as a number,
/// <c>=FORMULA;cached</c> as a formula with its cached value, and orders value columns as the options say.
/// </summary>
internal sealed class Writer(SheetBuilder sheet, PrintOptions options, int width)
{
    public PrintOptions Options => options;

    public int Width => width;

    public string Caption(string text) => options.LineBreaks ? text : text.Replace("\n", "");

    public List<T> Order<T>(List<T> items)
    {
        if (!options.ReorderColumns) return items;
        var copy = items.ToList();
        copy.Reverse();
        return copy;
    }

    public void Cell(int row, int column, string? value, uint style = XlsxBuilder.Plain)
    {
        var c = column + options.BlankColumns;
        if (value is null) sheet.Text(row, c, null, style);
        else if (value.StartsWith('=') && value.LastIndexOf(';') is var k and > 0
                 && decimal.TryParse(value[(k + 1)..], NumberStyles.Number, CultureInfo.InvariantCulture, out var cached))
            sheet.Formula(row, c, value[1..k], cached);
        else if (decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && !value.Contains(','))
            sheet.Number(row, c, d);
        else sheet.Text(row, c, value, style);
    }

    /// <summary>A drop-down list over rows <paramref name="row"/>–<paramref name="toRow"/> of a column (when the options add them).</summary>
    public void List(int row, int column, int toRow, IEnumerable<string> items)
    {
        var list = items.Select(i => i.Replace("\n", "").Replace(",", "，")).Where(i => i.Length > 0).Distinct().ToArray();
        if (options.DropDowns && toRow >= row && list.Length > 0 && string.Join(",", list).Length <= 255)
            sheet.DropDown(row, column + options.BlankColumns, toRow, list);
    }

    /// <summary>A value over <paramref name="span"/> columns of one row.</summary>
    public void Span(int row, int column, int span, string? value, uint style = XlsxBuilder.Plain) =>
        Block(row, column, row, column + Math.Max(span, 1) - 1, value, style);

    /// <summary>A value merged over a block of cells (the top-left only when printing without merges).</summary>
    public void Block(int row, int column, int toRow, int toColumn, string? value, uint style = XlsxBuilder.Plain)
    {
        Cell(row, column, value, style);
        if (!options.Merges || row == toRow && column == toColumn) return;
        for (var r = row; r <= toRow; r++)
            for (var c = column; c <= toColumn; c++)
                if (r != row || c != column) sheet.Text(r, c + options.BlankColumns, null, style);
        sheet.Merge(row, column + options.BlankColumns, toRow, toColumn + options.BlankColumns);
    }
}
