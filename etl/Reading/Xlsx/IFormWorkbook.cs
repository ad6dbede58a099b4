namespace BudgetPerf.Etl.Reading.Xlsx;

/// <summary>A workbook as the form reader sees it (.xlsx through Open XML, .xls through ExcelDataReader): sheets, rows as text, merged ranges.</summary>
public interface IFormWorkbook : IDisposable
{
    IReadOnlyList<string> Sheets { get; }

    /// <summary>The rows of a sheet with a value, cells as the text stored (a formula by its cached value).</summary>
    IEnumerable<SheetRow> Rows(string sheet);

    /// <summary>Merged ranges as <c>A1:D1</c>.</summary>
    IReadOnlyList<string> MergedRanges(string sheet);

    /// <summary>Whether the sheet is hidden (a helper sheet of lists, never a submission).</summary>
    bool IsHidden(string sheet);
}
