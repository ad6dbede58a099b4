using System.Data;
using System.Globalization;
using BudgetPerf.Dashboard.Export;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using MiniExcelLibs;

namespace BudgetPerf.Tests.Unit.Export;

/// <summary>
/// The xlsx a finance officer opens (issue 18): the page's headers, frozen and filtered; typed cells with the page's
/// formats; a 说明 sheet; and values that survive a read back by MiniExcel. Read with DocumentFormat.OpenXml.
/// </summary>
public sealed class XlsxExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("budgetperf-xlsx-").FullName;

    /// <summary>Two ranking-like rows: a key project 1.17% executed (red) and a plain one 50% (green).</summary>
    private static DataTableReader Rows()
    {
        var table = new DataTable();
        table.Columns.Add("fiscal_year", typeof(int));
        table.Columns.Add("department_code", typeof(string));
        table.Columns.Add("project_name", typeof(string));
        table.Columns.Add("is_key", typeof(bool));
        table.Columns.Add("budget", typeof(decimal));
        table.Columns.Add("execution_rate", typeof(decimal));
        table.Columns.Add("warning", typeof(string));
        table.Columns.Add("period_end", typeof(DateOnly));
        table.Columns.Add("project_count", typeof(long));
        table.Rows.Add(2025, "101", "课后服务补助", true, 12345.6789m, 0.0117m, "red", new DateOnly(2025, 6, 30), 1234L);
        table.Rows.Add(2025, "102", "农村公路养护", false, 200m, 0.5m, "green", new DateOnly(2025, 12, 31), 7L);
        return table.CreateDataReader();
    }

    private static ExportOptions Options => new()
    {
        Title = "偏差排名", User = "analyst", Filters = [("年度", "2025"), ("预警", "红灯")], BuiltAt = new DateTime(2026, 11, 25, 8, 30, 0),
    };

    private async Task<string> ExportAsync(ExportOptions options)
    {
        var path = Path.Combine(_dir, "grid.xlsx");
        Assert.Equal(2, await GridExport.WriteAsync(Rows(), "xlsx", path, options));
        return path;
    }

    private static (WorksheetPart Part, string[] Formats) Sheet(SpreadsheetDocument document, string name)
    {
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Descendants<Sheet>().Single(s => s.Name == name);
        var formats = workbook.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().Select(f =>
        {
            var id = f.NumberFormatId?.Value ?? 0;
            return workbook.WorkbookStylesPart.Stylesheet.NumberingFormats?.Elements<NumberingFormat>()
                       .FirstOrDefault(n => n.NumberFormatId?.Value == id)?.FormatCode?.Value
                   ?? id switch { 0 => "General", 1 => "0", 2 => "0.00", 3 => "#,##0", 4 => "#,##0.00", _ => $"builtin {id}" };
        }).ToArray();
        return ((WorksheetPart)workbook.GetPartById(sheet.Id!), formats);
    }

    private static string Text(Cell cell) => cell.DataType?.Value == CellValues.InlineString ? cell.InlineString!.InnerText : cell.CellValue!.Text;

    [Fact]
    public async Task Xlsx_has_the_pages_headers_frozen_and_filtered()
    {
        using var document = SpreadsheetDocument.Open(await ExportAsync(Options), false);
        var (part, _) = Sheet(document, "数据");
        var header = part.Worksheet.Descendants<Row>().First().Elements<Cell>().Select(Text).ToArray();
        Assert.Equal(["年度", "部门编码", "项目名称", "重点项目", "预算数（万元）", "执行率", "预警", "期间截止日", "项目数"], header);
        var pane = part.Worksheet.Descendants<Pane>().Single();
        Assert.Equal((PaneStateValues.Frozen, 1d, "A2"), (pane.State!.Value, pane.VerticalSplit!.Value, pane.TopLeftCell!.Value));
        // 9 columns (A…I), the header and 2 rows
        Assert.Equal("A1:I3", part.Worksheet.Descendants<AutoFilter>().Single().Reference!.Value);
    }

    [Fact]
    public async Task Xlsx_cells_are_typed_with_the_pages_number_formats()
    {
        using var document = SpreadsheetDocument.Open(await ExportAsync(Options), false);
        var (part, formats) = Sheet(document, "数据");
        var cells = part.Worksheet.Descendants<Row>().ElementAt(1).Elements<Cell>().ToArray();
        string Format(Cell c) => formats[(int)(c.StyleIndex?.Value ?? 0)];
        bool IsNumber(Cell c) => c.DataType is null || c.DataType.Value == CellValues.Number;

        Assert.True(IsNumber(cells[0]));
        Assert.Equal(("2025", "0"), (cells[0].CellValue!.Text, Format(cells[0])));          // 年度 without a thousands separator
        Assert.Equal(CellValues.InlineString, cells[1].DataType!.Value);                      // 部门编码 stays text
        Assert.Equal("101", Text(cells[1]));
        Assert.Equal("是", Text(cells[3]));                                                   // a flag reads 是 / 否
        Assert.True(IsNumber(cells[4]));
        Assert.Equal(("12345.6789", "#,##0.00"), (cells[4].CellValue!.Text, Format(cells[4]))); // 万元, shows 12,345.68
        Assert.True(IsNumber(cells[5]));
        Assert.Equal(("0.0117", "0.0%"), (cells[5].CellValue!.Text, Format(cells[5])));     // shows 1.2 % like the page
        Assert.Equal("红灯", Text(cells[6]));
        // 2025-06-30 as a date serial: days since 1899-12-30 = 45658 (2025-01-01) + 180 = 45838
        Assert.True(IsNumber(cells[7]));
        Assert.Equal(("45838", "yyyy-mm-dd"), (cells[7].CellValue!.Text, Format(cells[7])));
        Assert.Equal(("1234", "#,##0"), (cells[8].CellValue!.Text, Format(cells[8])));
        Assert.Equal("否", Text(part.Worksheet.Descendants<Row>().ElementAt(2).Elements<Cell>().ElementAt(3)));
    }

    [Fact]
    public async Task Xlsx_explains_itself_on_a_notes_sheet()
    {
        using var document = SpreadsheetDocument.Open(await ExportAsync(Options), false);
        var (part, formats) = Sheet(document, "说明");
        var lines = part.Worksheet.Descendants<Row>().Select(r => r.Elements<Cell>().ToArray()).ToArray();
        string Value(string label) => Text(lines.Single(l => l.Length > 1 && Text(l[0]) == label)[1]);
        Assert.Equal("偏差排名", Value("导出内容"));
        Assert.Equal("年度：2025；预警：红灯", Value("筛选条件"));
        Assert.Equal("analyst", Value("导出用户"));
        // the build time 2026-11-25 08:30 as a date-time serial: 46351 days + 8.5/24 = 46351.354166…
        var built = lines.Single(l => l.Length > 0 && Text(l[0]) == "数据构建时间")[1];
        Assert.Equal(new DateTime(2026, 11, 25, 8, 30, 0), DateTime.FromOADate(double.Parse(built.CellValue!.Text, CultureInfo.InvariantCulture)));
        Assert.Equal("yyyy-mm-dd hh:mm:ss", formats[(int)built.StyleIndex!.Value]);
        var rate = lines.Single(l => l.Length > 0 && Text(l[0]) == "执行率");
        Assert.Equal("execution_rate", Text(rate[1]));
        Assert.Contains("执行率 = 期间执行数 / 预算数", Text(rate[3]));
        Assert.Contains("杭锦旗", Text(rate[3]));
    }

    [Fact]
    public async Task Xlsx_round_trip_through_miniexcel_keeps_the_values()
    {
        var path = await ExportAsync(Options);
        var rows = MiniExcel.Query(path, useHeaderRow: true, sheetName: "数据").Cast<IDictionary<string, object?>>().ToArray();
        Assert.Equal(2, rows.Length);
        // numbers come back as double: money through the string, never through double arithmetic
        static decimal Money(object? v) => decimal.Parse(Convert.ToString(v, CultureInfo.InvariantCulture)!, NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.Equal(12345.6789m, Money(rows[0]["预算数（万元）"]));
        Assert.Equal(0.0117m, Money(rows[0]["执行率"]));
        Assert.Equal(2025m, Money(rows[0]["年度"]));
        Assert.Equal("101", rows[0]["部门编码"]);
        Assert.Equal("课后服务补助", rows[0]["项目名称"]);
        Assert.Equal(("是", "否"), (rows[0]["重点项目"], rows[1]["重点项目"]));
        Assert.Equal(("红灯", "绿灯"), (rows[0]["预警"], rows[1]["预警"]));
        Assert.Equal(new DateTime(2025, 6, 30), rows[0]["期间截止日"]);
        Assert.Equal(200m, Money(rows[1]["预算数（万元）"]));
    }

    [Fact]
    public async Task Field_headers_give_the_machine_names()
    {
        using var document = SpreadsheetDocument.Open(await ExportAsync(Options with { UseFieldNames = true }), false);
        var (part, _) = Sheet(document, "数据");
        var header = part.Worksheet.Descendants<Row>().First().Elements<Cell>().Select(Text).ToArray();
        Assert.Equal(["fiscal_year", "department_code", "project_name", "is_key", "budget", "execution_rate", "warning", "period_end", "project_count"], header);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
