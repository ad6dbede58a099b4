using CsvHelper;

namespace BudgetPerf.Etl.Reading;

/// <summary>
/// A flat CSV submission read as a stream: UTF-8 (with or without BOM) or GB18030/GBK, comma or tab separated,
/// both detected from the first block (<see cref="CsvSniffer"/>).
/// </summary>
public sealed class CsvSubmissionSource : ISubmissionSource
{
    private readonly CsvReader _csv;

    public CsvSubmissionSource(string path)
    {
        FileName = Path.GetFileName(path);
        var (encoding, separator) = CsvSniffer.Sniff(path);
        Encoding = encoding;
        // PoolStrings: the repeated cells (指标名称, 单位, 期间 …) come back as one string each, not one per row
        _csv = CsvReader.FromFile(path,
            CsvReaderOptions.Default with { TrimWhitespace = true, Encoding = encoding, Separator = separator, PoolStrings = true },
            FileOptions.SequentialScan);
        _csv.ReadHeader();
        Headers = _csv.Headers.ToArray();
    }

    public string FileName { get; }

    /// <summary>The encoding the file was read in (UTF-8 or GB18030).</summary>
    public System.Text.Encoding Encoding { get; }
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
