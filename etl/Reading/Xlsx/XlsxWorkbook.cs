using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BudgetPerf.Etl.Reading.Xlsx;

/// <summary>One row of a worksheet as text: its 1-based row number and cells by 0-based column (null when empty).</summary>
public readonly record struct SheetRow(int RowNumber, string?[] Cells);

/// <summary>
/// An .xlsx read with the Open XML SAX reader: every cell comes back as the text stored in the file
/// (<c>37.24</c> as written, never through <c>double</c>), shared strings resolved, a number shown as a date read
/// as <c>yyyy-MM-dd</c> (<see cref="XlsxDates"/>), rows streamed.
/// </summary>
public sealed class XlsxWorkbook : IFormWorkbook
{
    private readonly SpreadsheetDocument _document;
    private readonly string[] _sharedStrings;
    private readonly XlsxDates _dates;

    public XlsxWorkbook(string path)
    {
        _document = SpreadsheetDocument.Open(path, false);
        var workbook = _document.WorkbookPart ?? throw new InvalidDataException("不是有效的 xlsx 文件（没有工作簿）");
        _sharedStrings = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>()
            .Select(i => i.InnerText).ToArray() ?? [];
        _dates = new XlsxDates(workbook);
        Sheets = workbook.Workbook.Sheets?.Elements<Sheet>()
            .Where(s => s.Id?.Value is not null)
            .Select(s => s.Name?.Value ?? "").ToArray() ?? [];
    }

    public IReadOnlyList<string> Sheets { get; }

    private WorksheetPart Part(string sheet)
    {
        var workbook = _document.WorkbookPart!;
        var id = workbook.Workbook.Sheets!.Elements<Sheet>().First(s => s.Name?.Value == sheet).Id!.Value!;
        return (WorksheetPart)workbook.GetPartById(id);
    }

    /// <summary>The rows of a sheet, streamed; rows with no value are skipped.</summary>
    public IEnumerable<SheetRow> Rows(string sheet)
    {
        using var reader = OpenXmlReader.Create(Part(sheet));
        var cells = new List<string?>();
        var rowNumber = 0;
        while (reader.Read())
        {
            if (reader.ElementType == typeof(Row) && reader.IsStartElement)
            {
                var r = reader.Attributes.FirstOrDefault(a => a.LocalName == "r").Value;
                rowNumber = r is null ? rowNumber + 1 : int.Parse(r, CultureInfo.InvariantCulture);
                cells.Clear();
                ReadCells(reader, cells);
                if (cells.Any(c => !string.IsNullOrWhiteSpace(c))) yield return new SheetRow(rowNumber, [.. cells]);
            }
        }
    }

    private void ReadCells(OpenXmlReader reader, List<string?> cells)
    {
        if (!reader.ReadFirstChild()) return;
        do
        {
            if (reader.ElementType != typeof(Cell)) continue;
            var cell = (Cell)reader.LoadCurrentElement()!;
            var column = cell.CellReference?.Value is { } reference ? ColumnIndex(reference) : cells.Count;
            while (cells.Count <= column) cells.Add(null);
            cells[column] = TextOf(cell);
        } while (reader.ReadNextSibling());
    }

    private string? TextOf(Cell cell)
    {
        if (cell.DataType?.Value == CellValues.InlineString) return cell.InlineString?.InnerText;
        var raw = cell.CellValue?.Text;
        if (raw is null) return null;
        if (cell.DataType?.Value == CellValues.SharedString)
            return int.TryParse(raw, out var i) && i < _sharedStrings.Length ? _sharedStrings[i] : raw;
        if (cell.DataType?.Value == CellValues.Boolean) return raw == "1" ? "是" : "否";
        if (cell.DataType?.Value == CellValues.Date) return _dates.Text(raw) ?? raw;
        if (cell.DataType is null || cell.DataType.Value == CellValues.Number)
            return _dates.IsDateStyle(cell.StyleIndex?.Value) ? _dates.Text(raw) ?? raw : raw;
        return raw;
    }

    /// <summary>0-based column of a cell reference: <c>C7</c> → 2, <c>AA1</c> → 26.</summary>
    public static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var c in reference)
        {
            if (c is < 'A' or > 'Z') break;
            index = index * 26 + (c - 'A' + 1);
        }
        return index - 1;
    }

    /// <summary>The merged ranges of a sheet (<c>A1:D1</c>), for layouts whose labels span cells.</summary>
    public IReadOnlyList<string> MergedRanges(string sheet) =>
        Part(sheet).Worksheet.Elements<MergeCells>().SelectMany(m => m.Elements<MergeCell>())
            .Select(m => m.Reference?.Value ?? "").Where(r => r.Length > 0).ToArray();

    public bool IsHidden(string sheet) =>
        _document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().First(s => s.Name?.Value == sheet).State?.Value is { } state
        && state != SheetStateValues.Visible;

    public void Dispose() => _document.Dispose();
}
