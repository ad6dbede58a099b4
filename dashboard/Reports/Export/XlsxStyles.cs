using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BudgetPerf.Dashboard.Export;

/// <summary>The export's cell styles (indexes into cellXfs) and the number formats behind them.</summary>
public static class XlsxStyles
{
    public const uint Header = 1;
    public const uint Amount = 2;
    public const uint Rate = 3;
    public const uint Label = 4;
    public const uint Count = 5;
    public const uint TwoDecimals = 6;
    public const uint Date = 7;
    public const uint DateTime = 8;
    public const uint OneDecimal = 9;
    public const uint Wrap = 10;

    /// <summary>The number format of each style, as Excel shows it (built-in 1 = 0, 2 = 0.00, 3 = #,##0, 4 = #,##0.00).</summary>
    public static readonly IReadOnlyDictionary<uint, string> Formats = new Dictionary<uint, string>
    {
        [Amount] = "#,##0.00", [Rate] = "0.0%", [Label] = "0", [Count] = "#,##0", [TwoDecimals] = "0.00",
        [Date] = "yyyy-mm-dd", [DateTime] = "yyyy-mm-dd hh:mm:ss", [OneDecimal] = "0.0",
    };

    public static Stylesheet Stylesheet() => new(
        new NumberingFormats(
            new NumberingFormat { NumberFormatId = 164, FormatCode = "0.0%" },
            new NumberingFormat { NumberFormatId = 165, FormatCode = "yyyy-mm-dd" },
            new NumberingFormat { NumberFormatId = 166, FormatCode = "yyyy-mm-dd hh:mm:ss" },
            new NumberingFormat { NumberFormatId = 167, FormatCode = "0.0" }) { Count = 4 },
        new Fonts(
            new Font(new FontSize { Val = 11 }, new FontName { Val = "宋体" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "宋体" })) { Count = 2 },
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFDDE4EE" }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid }))
        { Count = 3 },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
        new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
        new CellFormats(
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 },
            new CellFormat { NumberFormatId = 0, FontId = 1, FillId = 2, BorderId = 0, FormatId = 0, ApplyFont = true, ApplyFill = true },
            Numbered(4), Numbered(164), Numbered(1), Numbered(3), Numbered(2), Numbered(165), Numbered(166), Numbered(167),
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top })
            { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyAlignment = true })
        { Count = 11 },
        new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });

    private static CellFormat Numbered(uint format) =>
        new() { NumberFormatId = format, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true };
}
