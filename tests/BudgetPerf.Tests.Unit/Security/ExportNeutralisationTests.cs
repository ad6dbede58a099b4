using System.Data;
using System.Text;
using BudgetPerf.Dashboard.Export;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BudgetPerf.Tests.Unit.Security;

/// <summary>
/// Exports of submitted text (project names, notes) never hand Excel a formula: a text cell starting with
/// = + - @ tab or CR gets a leading apostrophe in CSV and xlsx, while numbers (a negative amount) stay numbers.
/// </summary>
public sealed class ExportNeutralisationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("budgetperf-export-").FullName;

    private static readonly string[] Hostile = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=tab", "\r=cr", "普通文本"];

    /// <summary>One row per hostile text, beside a negative decimal amount and a negative integer.</summary>
    private static DataTableReader Rows()
    {
        var table = new DataTable();
        table.Columns.Add("project_name", typeof(string));
        table.Columns.Add("amount", typeof(decimal));
        table.Columns.Add("change", typeof(int));
        foreach (var text in Hostile) table.Rows.Add(text, -1234.5m, -3);
        return table.CreateDataReader();
    }

    private static string Neutralised(string text) => text == "普通文本" ? text : "'" + text;

    [Fact]
    public async Task Csv_cells_starting_a_formula_get_an_apostrophe_and_negative_numbers_stay_numbers()
    {
        var path = Path.Combine(_dir, "grid.csv");

        var rows = await GridExport.WriteAsync(Rows(), "csv", path);

        Assert.Equal(Hostile.Length, rows);
        var records = ReadCsv(path);
        Assert.Equal(["项目名称", "金额（万元）", "change"], records[0]);   // the page's headers; an unknown column keeps its name
        Assert.Equal(Hostile.Select(Neutralised), records.Skip(1).Select(r => r[0]));
        Assert.All(records.Skip(1), r => Assert.Equal(("-1234.5", "-3"), (r[1], r[2])));
    }

    [Fact]
    public async Task Xlsx_text_cells_starting_a_formula_get_an_apostrophe_and_negative_numbers_stay_numeric_cells()
    {
        var path = Path.Combine(_dir, "grid.xlsx");

        await GridExport.WriteAsync(Rows(), "xlsx", path);

        using var document = SpreadsheetDocument.Open(path, false);
        var workbook = document.WorkbookPart!;
        var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(i => i.InnerText).ToArray() ?? [];
        var dataSheet = workbook.Workbook.Descendants<Sheet>().Single(x => x.Name == XlsxExport.DataSheet);
        var sheet = ((WorksheetPart)workbook.GetPartById(dataSheet.Id!)).Worksheet;
        var body = sheet.Descendants<Row>().Skip(1).ToList();   // row 1 is the header
        Assert.Equal(Hostile.Length, body.Count);
        for (var i = 0; i < body.Count; i++)
        {
            var cells = body[i].Elements<Cell>().ToList();
            Assert.Empty(body[i].Descendants<CellFormula>());
            // an XML parser reads a raw CR in text as LF (end-of-line normalisation); the apostrophe is what matters
            Assert.Equal(Neutralised(Hostile[i]).Replace('\r', '\n'), Text(cells[0], shared));
            foreach (var (cell, value) in new[] { (cells[1], "-1234.5"), (cells[2], "-3") })
            {
                Assert.True(cell.DataType is null || cell.DataType.Value == CellValues.Number, $"{cell.CellReference} is {cell.DataType?.Value}");
                Assert.Equal(value, cell.CellValue?.Text);
            }
        }
    }

    private static string? Text(Cell cell, string[] shared) =>
        cell.DataType?.Value == CellValues.SharedString ? shared[int.Parse(cell.CellValue!.Text)]
        : cell.DataType?.Value == CellValues.InlineString ? cell.InlineString?.InnerText
        : cell.CellValue?.Text;

    /// <summary>RFC 4180 records (quoted fields may hold tab, CR and commas), after the UTF-8 BOM.</summary>
    private static List<string[]> ReadCsv(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
            }
            else field.Append(c);
        }
        if (field.Length > 0 || fields.Count > 0) { fields.Add(field.ToString()); records.Add([.. fields]); }
        return records;
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
