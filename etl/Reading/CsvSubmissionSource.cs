using CsvHelper;

namespace BudgetPerf.Etl.Reading;

/// <summary>A flat CSV submission (UTF-8, with or without BOM; comma or tab separated), read as a stream.</summary>
public sealed class CsvSubmissionSource : ISubmissionSource
{
    private readonly CsvReader _csv;

    public CsvSubmissionSource(string path)
    {
        FileName = Path.GetFileName(path);
        _csv = CsvReader.FromFile(path, CsvReaderOptions.Default with { TrimWhitespace = true }, FileOptions.SequentialScan);
        _csv.ReadHeader();
        Headers = _csv.Headers.ToArray();
    }

    public string FileName { get; }
    public string? Sheet => null;
    public IReadOnlyList<string> Headers { get; }

    public IEnumerable<SourceRow> Rows()
    {
        while (_csv.Read())
        {
            var cells = new string?[Headers.Count];
            for (var i = 0; i < cells.Length && i < _csv.FieldCount; i++)
                cells[i] = _csv.IsEmpty(i) ? null : _csv.GetString(i);
            yield return new SourceRow((int)_csv.RowNumber + 1, cells);
        }
    }

    public void Dispose() => _csv.Dispose();
}
