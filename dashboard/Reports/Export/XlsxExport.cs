using System.Data.Common;
using System.Globalization;
using System.Numerics;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BudgetPerf.Dashboard.Export;

/// <summary>
/// The xlsx a finance officer opens and reads: sheet 数据 with the page's headers (frozen and auto-filtered) and typed
/// cells (amounts #,##0.00 in 万元, rates as percentages 0.0% like the page, counts #,##0, 是/否, dates as dates), then
/// sheet 说明 (title, filters, user, export and build times, each column's format and rule). Rows are streamed
/// (OpenXmlWriter, inline strings): nothing holds the whole result.
/// </summary>
public static class XlsxExport
{
    public const string DataSheet = "数据";
    public const string NotesSheet = "说明";

    /// <summary>Writes the workbook; <paramref name="yield"/> is offered every <see cref="GridExport.YieldEveryRows"/> rows.</summary>
    public static async Task<long> WriteAsync(DbDataReader reader, string path, ExportOptions options, Func<ValueTask>? yield, CancellationToken ct)
    {
        var columns = options.Columns(reader);
        using var document = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = XlsxStyles.Stylesheet();
        var data = workbook.AddNewPart<WorksheetPart>();
        long rows;
        using (var writer = OpenXmlWriter.Create(data))
        {
            writer.WriteStartElement(new Worksheet());
            writer.WriteElement(FrozenHeader());
            writer.WriteElement(new Columns(columns.Select((c, i) => Width(i, WidthOf(c.Header, c.Column.Kind)))));
            writer.WriteStartElement(new SheetData());
            WriteRow(writer, 1, columns.Select(c => TextCell(c.Header, XlsxStyles.Header)));
            rows = 0;
            while (await reader.ReadAsync(ct))
            {
                var r = (uint)(++rows + 1);
                WriteRow(writer, r, columns.Select((c, i) => reader.IsDBNull(i) ? null : Cell(options.Displayed(Plain(reader.GetValue(i)), c.Column.Kind), c.Column.Kind)));
                if (rows % GridExport.YieldEveryRows == 0 && yield is not null) await yield();
            }
            writer.WriteEndElement();
            writer.WriteElement(new AutoFilter { Reference = $"A1:{ColumnName(columns.Count - 1)}{rows + 1}" });
            writer.WriteEndElement();
        }

        var notes = workbook.AddNewPart<WorksheetPart>();
        WriteNotes(notes, columns, options, rows);
        workbook.Workbook = new Workbook(
            new Sheets(
                new Sheet { Name = DataSheet, SheetId = 1, Id = workbook.GetIdOfPart(data) },
                new Sheet { Name = NotesSheet, SheetId = 2, Id = workbook.GetIdOfPart(notes) }),
            new DefinedNames(new DefinedName($"'{DataSheet}'!$A$1:${ColumnName(columns.Count - 1)}${rows + 1}")
            {
                Name = "_xlnm._FilterDatabase", LocalSheetId = 0, Hidden = true,
            }));
        return rows;
    }

    private static void WriteNotes(WorksheetPart part, IReadOnlyList<(string Field, string Header, ExportColumn Column)> columns,
        ExportOptions options, long rows)
    {
        using var writer = OpenXmlWriter.Create(part);
        writer.WriteStartElement(new Worksheet());
        writer.WriteElement(new Columns(Width(0, 22), Width(1, 28), Width(2, 22), Width(3, 90)));
        writer.WriteStartElement(new SheetData());
        uint r = 0;
        void Line(params Cell?[] cells) => WriteRow(writer, ++r, cells);
        Line(TextCell("导出内容", XlsxStyles.Header), TextCell(options.Title));
        Line(TextCell("筛选条件", XlsxStyles.Header), TextCell(options.Filters.Count == 0
            ? "无（全部数据，在导出用户的权限范围内）"
            : string.Join("；", options.Filters.Select(f => $"{f.Label}：{f.Value}"))));
        Line(TextCell("导出用户", XlsxStyles.Header), TextCell(options.User ?? "命令行"));
        Line(TextCell("导出时间", XlsxStyles.Header), Cell(DateTime.Now, ColumnKind.DateTime));
        Line(TextCell("数据构建时间", XlsxStyles.Header), options.BuiltAt is { } built ? Cell(built, ColumnKind.DateTime) : TextCell("未知（尚未构建）"));
        Line(TextCell("行数", XlsxStyles.Header), Cell(rows, ColumnKind.Count));
        Line(TextCell("金额单位", XlsxStyles.Header), TextCell("万元"));
        Line();
        Line(TextCell("列名", XlsxStyles.Header), TextCell("字段名", XlsxStyles.Header), TextCell("格式", XlsxStyles.Header),
            TextCell("说明（派生列的计算规则与依据）", XlsxStyles.Header));
        foreach (var (field, header, column) in columns)
            Line(TextCell(header), TextCell(field), TextCell(FormatName(column.Kind)), column.Rule is null ? null : TextCell(column.Rule, XlsxStyles.Wrap));
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    private static string FormatName(ColumnKind kind) => kind switch
    {
        ColumnKind.Code => "文本（编码）",
        ColumnKind.Label => "数字",
        ColumnKind.Count => "整数，千分位",
        ColumnKind.Amount => "万元，千分位，两位小数",
        ColumnKind.Rate => "百分比，一位小数（单元格值为小数，0.5 = 50%）",
        ColumnKind.Decimal => "数字，两位小数",
        ColumnKind.Percent => "百分数（−10 = −10%），一位小数",
        ColumnKind.Flag => "是 / 否",
        ColumnKind.Light => "红灯 / 黄灯 / 绿灯 / 蓝灯",
        ColumnKind.Date => "日期",
        ColumnKind.DateTime => "日期时间",
        _ => "文本",
    };

    private static SheetViews FrozenHeader() => new(new SheetView(
        new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
        new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
    { TabSelected = true, WorkbookViewId = 0 });

    private static Column Width(int index, double width) =>
        new() { Min = (uint)index + 1, Max = (uint)index + 1, Width = width, CustomWidth = true };

    /// <summary>Wide enough for the header (a Chinese character is two widths) and the kind's usual values.</summary>
    private static double WidthOf(string header, ColumnKind kind) =>
        Math.Clamp(Math.Max(header.Sum(ch => ch > 0x2E80 ? 2.1 : 1.1) + 4, kind == ColumnKind.Text ? 18 : 12), 8, 60);

    private static void WriteRow(OpenXmlWriter writer, uint index, IEnumerable<Cell?> cells)
    {
        writer.WriteStartElement(new Row { RowIndex = index });
        var col = 0;
        foreach (var cell in cells)
        {
            if (cell is not null)
            {
                cell.CellReference = ColumnName(col) + index.ToString(CultureInfo.InvariantCulture);
                writer.WriteElement(cell);
            }
            col++;
        }
        writer.WriteEndElement();
    }

    /// <summary>A typed cell: numbers and dates as numbers with the kind's format, anything else as (neutralised) text.</summary>
    private static Cell Cell(object value, ColumnKind kind)
    {
        if (value is DateTime at && kind is ColumnKind.Date or ColumnKind.DateTime)
            return Number(at.ToOADate().ToString("R", CultureInfo.InvariantCulture), kind == ColumnKind.Date ? XlsxStyles.Date : XlsxStyles.DateTime);
        if (kind is ColumnKind.Text or ColumnKind.Code or ColumnKind.Flag or ColumnKind.Light || Numeric(value) is not { } number)
            return TextCell(value is DateTime d ? d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
        return Number(number, kind switch
        {
            ColumnKind.Amount => XlsxStyles.Amount,
            ColumnKind.Rate => XlsxStyles.Rate,
            ColumnKind.Label => XlsxStyles.Label,
            ColumnKind.Count => XlsxStyles.Count,
            ColumnKind.Percent => XlsxStyles.OneDecimal,
            _ => XlsxStyles.TwoDecimals,
        });
    }

    private static string? Numeric(object value) => value switch
    {
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        double d when double.IsFinite(d) => d.ToString("R", CultureInfo.InvariantCulture),
        float f when float.IsFinite(f) => f.ToString("R", CultureInfo.InvariantCulture),
        int or long or short or byte or uint or ulong or ushort => Convert.ToString(value, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static Cell Number(string value, uint style) => new() { CellValue = new CellValue(value), StyleIndex = style };

    private static Cell TextCell(string text, uint style = 0)
    {
        var safe = (string)GridExport.Neutralise(text);
        return new Cell(new InlineString(new Text(safe) { Space = SpaceProcessingModeValues.Preserve }))
        {
            DataType = CellValues.InlineString, StyleIndex = style == 0 ? null : style,
        };
    }

    private static object Plain(object value) => value switch
    {
        BigInteger b => (decimal)b,
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        _ => value,
    };

    /// <summary>0 → A, 25 → Z, 26 → AA.</summary>
    public static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }
}
