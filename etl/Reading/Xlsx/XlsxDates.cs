using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BudgetPerf.Etl.Reading.Xlsx;

/// <summary>
/// Excel stores a date (开始时间, 完成时间, 填报日期 …) as a serial number (45292) and shows it as a date only through the
/// cell's number format. These are the workbook's cell styles whose number format is a date — the built-in ones
/// (14–17, 22, and the East Asian 27–36, 50–58) or a custom code with year or day tokens (<c>yyyy"年"m"月"d"日"</c>,
/// <c>yyyy/m/d</c>) — and the serial turned back into <c>yyyy-MM-dd</c>.
/// </summary>
public sealed class XlsxDates
{
    private readonly bool[] _dateStyles;
    private readonly bool _date1904;

    public XlsxDates(WorkbookPart workbook)
    {
        _date1904 = workbook.Workbook.WorkbookProperties?.Date1904?.Value == true;
        var stylesheet = workbook.WorkbookStylesPart?.Stylesheet;
        var custom = stylesheet?.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.NumberFormatId?.Value is not null)
            .GroupBy(f => f.NumberFormatId!.Value)
            .ToDictionary(g => g.Key, g => g.First().FormatCode?.Value ?? "") ?? [];
        _dateStyles = stylesheet?.CellFormats?.Elements<CellFormat>()
            .Select(f => f.NumberFormatId?.Value is { } id && IsDateFormat(id, custom.GetValueOrDefault(id)))
            .ToArray() ?? [];
    }

    /// <summary>Whether a cell of this style index shows its number as a date.</summary>
    public bool IsDateStyle(uint? styleIndex) => styleIndex is { } s && s < _dateStyles.Length && _dateStyles[s];

    /// <summary>The serial (or an ISO date of a <c>t="d"</c> cell) as <c>yyyy-MM-dd</c>; null when it is not one.</summary>
    public string? Text(string raw)
    {
        if (raw.Length >= 10 && raw[4] == '-' && DateOnly.TryParseExact(raw[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var iso))
            return iso.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial)
            || serial < 1 || serial >= 2958466)   // 1900-01-01 … 9999-12-31
            return null;
        // OLE automation dates count from 1899-12-30, which also absorbs Excel's phantom 1900-02-29 for serials ≥ 61
        var date = DateTime.FromOADate(Math.Floor(serial) + (_date1904 ? 1462 : 0));
        return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>Built-in date formats by id, or a custom code that has a year or day token outside quotes and brackets.</summary>
    public static bool IsDateFormat(uint id, string? code)
    {
        if (id is >= 14 and <= 17 or 22 or >= 27 and <= 36 or >= 50 and <= 58) return true;
        if (id < 164 || string.IsNullOrEmpty(code)) return false;
        var tokens = new StringBuilder();
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            switch (c)
            {
                case '"':                                    // a literal: "年"
                    i = code.IndexOf('"', i + 1) is var end and >= 0 ? end : code.Length;
                    break;
                case '[':                                    // [Red], [$-804], [DBNum1]
                    i = code.IndexOf(']', i + 1) is var close and >= 0 ? close : code.Length;
                    break;
                case '\\' or '_' or '*':                     // an escaped, spacing or fill character
                    i++;
                    break;
                default:
                    tokens.Append(char.ToLowerInvariant(c));
                    break;
            }
        }
        var text = tokens.ToString();
        return text.Contains('y') || text.Contains('d');
    }
}
