using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BudgetPerf.Etl.Templates;

/// <summary>
/// A small writer of .xlsx sheets with the Open XML SDK: text and number cells, merged ranges, drop-down lists
/// (data validation), a 万元 number format and date formats. Used for the blank official forms and by tests that fill them.
/// </summary>
public sealed class XlsxBuilder
{
    /// <summary>Style ids of the stylesheet below.</summary>
    public const uint Plain = 0, Bold = 1, Money = 2, Title = 3;

    /// <summary>Date styles: Excel's built-in short date (id 14) and the Chinese <c>yyyy"年"m"月"d"日"</c>.</summary>
    public const uint ShortDate = 4, ChineseDate = 5;

    private readonly List<SheetBuilder> _sheets = [];

    public SheetBuilder Sheet(string name)
    {
        var sheet = new SheetBuilder(name);
        _sheets.Add(sheet);
        return sheet;
    }

    public void Save(string path)
    {
        using var document = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        Write(document);
    }

    /// <summary>The workbook into a stream (e.g. a prefilled form offered for download).</summary>
    public void Save(Stream stream)
    {
        using var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook);
        Write(document);
    }

    private void Write(SpreadsheetDocument document)
    {
        var workbook = document.AddWorkbookPart();
        workbook.Workbook = new Workbook();
        var styles = workbook.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = Stylesheet();
        var sheets = workbook.Workbook.AppendChild(new Sheets());
        uint id = 1;
        foreach (var sheet in _sheets)
        {
            var part = workbook.AddNewPart<WorksheetPart>();
            part.Worksheet = sheet.Build();
            sheets.Append(new Sheet
            {
                Id = workbook.GetIdOfPart(part), SheetId = id++, Name = sheet.Name,
                State = sheet.Hidden ? SheetStateValues.Hidden : null,
            });
        }
    }

    private static Stylesheet Stylesheet() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "#,##0.00" },
            new NumberingFormat { NumberFormatId = 165, FormatCode = "yyyy\"年\"m\"月\"d\"日\"" }) { Count = 2 },
        new Fonts(new Font(new FontSize { Val = 11 }), new Font(new Bold(), new FontSize { Val = 11 }),
            new Font(new Bold(), new FontSize { Val = 14 })) { Count = 3 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border(), new Border(
            new LeftBorder { Style = BorderStyleValues.Thin }, new RightBorder { Style = BorderStyleValues.Thin },
            new TopBorder { Style = BorderStyleValues.Thin }, new BottomBorder { Style = BorderStyleValues.Thin },
            new DiagonalBorder())) { Count = 2 },
        new CellFormats(
            new CellFormat { FontId = 0, BorderId = 1, ApplyBorder = true },
            new CellFormat { FontId = 1, BorderId = 1, ApplyFont = true, ApplyBorder = true,
                Alignment = new Alignment { Horizontal = HorizontalAlignmentValues.Center, Vertical = VerticalAlignmentValues.Center, WrapText = true } },
            new CellFormat { FontId = 0, BorderId = 1, NumberFormatId = 164, ApplyNumberFormat = true, ApplyBorder = true },
            new CellFormat { FontId = 2, BorderId = 0, ApplyFont = true,
                Alignment = new Alignment { Horizontal = HorizontalAlignmentValues.Center } },
            new CellFormat { FontId = 0, BorderId = 1, NumberFormatId = 14, ApplyNumberFormat = true, ApplyBorder = true },
            new CellFormat { FontId = 0, BorderId = 1, NumberFormatId = 165, ApplyNumberFormat = true, ApplyBorder = true }) { Count = 6 });
}

/// <summary>One worksheet being built: cells by address, merges, drop-down lists.</summary>
public sealed class SheetBuilder(string name)
{
    private readonly SortedDictionary<int, SortedDictionary<int, Cell>> _rows = [];
    private readonly List<string> _merges = [];
    private readonly List<(string Range, string[] Items)> _lists = [];

    public string Name { get; } = name;

    /// <summary>A hidden sheet (offices keep their drop-down lists in one).</summary>
    public bool Hidden { get; set; }

    /// <summary>A formula with the value Excel cached when it last calculated it (what a reader sees).</summary>
    public SheetBuilder Formula(int row, int column, string formula, decimal cached) =>
        Put(row, column, new Cell
        {
            CellFormula = new CellFormula(formula), CellValue = new CellValue(cached.ToString(CultureInfo.InvariantCulture)),
            StyleIndex = XlsxBuilder.Money,
        });

    /// <summary>Text cell at (1-based row, 0-based column).</summary>
    public SheetBuilder Text(int row, int column, string? text, uint style = XlsxBuilder.Plain) =>
        Put(row, column, text is null ? new Cell { StyleIndex = style }
            : new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text)), StyleIndex = style });

    /// <summary>Number cell; the value is written as its invariant text, so it reads back exactly.</summary>
    public SheetBuilder Number(int row, int column, decimal? value, uint style = XlsxBuilder.Money) =>
        Put(row, column, value is null ? new Cell { StyleIndex = style }
            : new Cell { CellValue = new CellValue(value.Value.ToString(CultureInfo.InvariantCulture)), StyleIndex = style });

    /// <summary>A date cell as Excel stores it: the day's serial number, shown through a date style.</summary>
    public SheetBuilder Date(int row, int column, DateOnly date, uint style = XlsxBuilder.ShortDate) =>
        Put(row, column, new Cell
        {
            CellValue = new CellValue(date.ToDateTime(TimeOnly.MinValue).ToOADate().ToString(CultureInfo.InvariantCulture)),
            StyleIndex = style,
        });

    /// <summary>A number when the text is one, else text: for filling forms from strings.</summary>
    public SheetBuilder Value(int row, int column, string? text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && !text!.Contains(',')
            ? Number(row, column, d) : Text(row, column, text);

    public SheetBuilder Merge(int row, int column, int toRow, int toColumn)
    {
        _merges.Add($"{Address(row, column)}:{Address(toRow, toColumn)}");
        return this;
    }

    public SheetBuilder DropDown(int row, int column, int toRow, string[] items)
    {
        _lists.Add(($"{Address(row, column)}:{Address(toRow, column)}", items));
        return this;
    }

    private SheetBuilder Put(int row, int column, Cell cell)
    {
        cell.CellReference = Address(row, column);
        if (!_rows.TryGetValue(row, out var cells)) _rows[row] = cells = [];
        cells[column] = cell;
        return this;
    }

    public static string Address(int row, int column)
    {
        var letters = "";
        for (var c = column + 1; c > 0; c = (c - 1) / 26) letters = (char)('A' + (c - 1) % 26) + letters;
        return letters + row.ToString(CultureInfo.InvariantCulture);
    }

    internal Worksheet Build()
    {
        var data = new SheetData();
        foreach (var (r, cells) in _rows)
            data.Append(new Row(cells.Values) { RowIndex = (uint)r });
        var sheet = new Worksheet(new Columns(new Column { Min = 1, Max = 20, Width = 16, CustomWidth = true }), data);
        if (_merges.Count > 0)
            sheet.Append(new MergeCells(_merges.Select(m => new MergeCell { Reference = m })) { Count = (uint)_merges.Count });
        if (_lists.Count > 0)
            sheet.Append(new DataValidations(_lists.Select(l => new DataValidation(new Formula1($"\"{string.Join(",", l.Items)}\""))
            {
                Type = DataValidationValues.List, AllowBlank = true, ShowErrorMessage = true,
                SequenceOfReferences = new ListValue<StringValue> { InnerText = l.Range },
            })) { Count = (uint)_lists.Count });
        return sheet;
    }
}
