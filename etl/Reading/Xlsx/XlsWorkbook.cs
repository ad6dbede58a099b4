using System.Globalization;
using System.Text;
using ExcelDataReader;

namespace BudgetPerf.Etl.Reading.Xlsx;

/// <summary>
/// An Excel 97-2003 .xls (what WPS and older offices save) read with ExcelDataReader, held whole (forms are small):
/// text as written, a formula by its cached value, a number through its shortest round-trip text (the file stores a
/// double; <c>37.24</c> reads back as <c>37.24</c>, then as decimal), a date as <c>yyyy-MM-dd</c>, GBK text through the
/// registered code pages; merged ranges and hidden sheets as in <see cref="XlsxWorkbook"/>.
/// </summary>
public sealed class XlsWorkbook : IFormWorkbook
{
    private readonly List<(string Name, bool Hidden, List<SheetRow> Rows, List<string> Merges)> _sheets = [];

    static XlsWorkbook() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public XlsWorkbook(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = ExcelReaderFactory.CreateBinaryReader(stream, new ExcelReaderConfiguration { FallbackEncoding = Encoding.GetEncoding(936) });
        do
        {
            var rows = new List<SheetRow>();
            var number = 0;
            while (reader.Read())
            {
                number++;
                var cells = new string?[reader.FieldCount];
                for (var c = 0; c < cells.Length; c++) cells[c] = Text(reader.GetValue(c));
                if (cells.Any(c => !string.IsNullOrWhiteSpace(c))) rows.Add(new SheetRow(number, cells));
            }
            var merges = (reader.MergeCells ?? []).Select(m =>
                $"{Address(m.FromRow, m.FromColumn)}:{Address(m.ToRow, m.ToColumn)}").ToList();
            _sheets.Add((reader.Name, reader.VisibleState is "hidden" or "veryhidden", rows, merges));
        } while (reader.NextResult());
        Sheets = _sheets.Select(s => s.Name).ToArray();
    }

    public IReadOnlyList<string> Sheets { get; }

    public IEnumerable<SheetRow> Rows(string sheet) => _sheets.First(s => s.Name == sheet).Rows;

    public IReadOnlyList<string> MergedRanges(string sheet) => _sheets.First(s => s.Name == sheet).Merges;

    public bool IsHidden(string sheet) => _sheets.First(s => s.Name == sheet).Hidden;

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "是" : "否",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };

    private static string Address(int row, int column)
    {
        var letters = "";
        for (var c = column + 1; c > 0; c = (c - 1) / 26) letters = (char)('A' + (c - 1) % 26) + letters;
        return letters + (row + 1).ToString(CultureInfo.InvariantCulture);
    }

    public void Dispose() { }
}
