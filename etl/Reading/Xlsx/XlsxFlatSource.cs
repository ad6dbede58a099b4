namespace BudgetPerf.Etl.Reading.Xlsx;

/// <summary>A flat sheet of an .xlsx: the first row with a value is the header, each row after it a record.</summary>
public sealed class XlsxFlatSource : ISubmissionSource
{
    private readonly IFormWorkbook _workbook;
    private readonly IEnumerator<SheetRow> _rows;

    public XlsxFlatSource(IFormWorkbook workbook, string fileName, string sheet)
    {
        _workbook = workbook;
        FileName = fileName;
        Sheet = sheet;
        _rows = workbook.Rows(sheet).GetEnumerator();
        Headers = _rows.MoveNext() ? _rows.Current.Cells.Select(c => c ?? "").ToArray() : [];
    }

    public string FileName { get; }
    public string? Sheet { get; }
    public IReadOnlyList<string> Headers { get; }

    public IEnumerable<SourceRow> Rows()
    {
        while (_rows.MoveNext()) yield return new SourceRow(_rows.Current.RowNumber, _rows.Current.Cells);
    }

    public void Dispose() => _rows.Dispose();
}
