using System.Buffers.Binary;
using System.IO.Compression;
using System.Xml;

namespace BudgetPerf.Etl.Reading.Xlsx;

/// <summary>
/// Hostile .xlsx refused before a reader opens it (issue 6): a decompression bomb (an .xlsx is a zip; a few hundred
/// KB can inflate to gigabytes, and the Open XML SDK loads shared strings and form sheets whole), a sheet beyond
/// Excel's own limits, an archive of absurdly many entries. The central directory is checked first (its declared
/// sizes), then every entry is inflated once through a counting stream, because declared sizes can lie: the bytes
/// actually inflated are what count. Worksheets are read with <see cref="XmlReader"/> (no DTD) on the way, counting
/// rows and columns and checking the declared <c>&lt;dimension&gt;</c> and merged ranges.
/// </summary>
public static class XlsxGuard
{
    /// <summary>
    /// Most bytes the whole archive may inflate to: 200 MB. A department's forms are a few MB inflated; a flat sheet
    /// near this size is hundreds of thousands of rows, which belongs in a CSV (no inflation, streamed).
    /// </summary>
    public const long MaxInflatedBytes = 200L * 1024 * 1024;

    /// <summary>Highest compression ratio an entry may have once it is larger than <see cref="RatioFloorBytes"/>.</summary>
    public const int MaxRatio = 100;

    /// <summary>Entries below 5 MB inflated may compress as well as they like (a sheet of blank styled cells does).</summary>
    public const long RatioFloorBytes = 5L * 1024 * 1024;

    /// <summary>Most zip entries: a workbook has a few per sheet; thousands of sheets are not a submission.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>Excel's own limits: 1,048,576 rows and 16,384 columns (A … XFD).</summary>
    public const int MaxRows = 1_048_576, MaxColumns = 16_384;

    /// <summary>Most cells a sheet's merged ranges may cover (the form reader fills each merged cell).</summary>
    public const long MaxMergedCells = 1_000_000;

    private const string MainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>Throws <see cref="XlsxRefusedException"/> naming what is wrong; returns when the file may be read.</summary>
    public static void Check(string path)
    {
        try
        {
            CheckArchive(path);
        }
        catch (XmlException)
        {
            throw new XlsxRefusedException(null, "不是有效的 xlsx 文件（其中的 XML 无法解析），请在 Excel 中另存为 .xlsx 后再上报");
        }
        catch (InvalidDataException)
        {
            throw new XlsxRefusedException(null, "不是有效的 xlsx 文件（压缩数据已损坏），请在 Excel 中另存为 .xlsx 后再上报");
        }
    }

    private static void CheckArchive(string path)
    {
        using var file = File.OpenRead(path);
        CheckEntryCount(file);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            throw new XlsxRefusedException(null, "不是有效的 xlsx 文件（无法读取其压缩包目录），请在 Excel 中另存为 .xlsx 后再上报");
        }
        using (zip)
        {
            var entries = zip.Entries;
            if (entries.Count > MaxEntries)
                throw new XlsxRefusedException(null, $"xlsx 压缩包含 {entries.Count:N0} 个条目，超过上限 {MaxEntries:N0}，已拒绝");
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            long declared = 0;
            foreach (var entry in entries)
            {
                if (!names.Add(entry.FullName.TrimStart('/')))
                    throw new XlsxRefusedException(null, $"xlsx 压缩包中有重名条目「{entry.FullName}」，已拒绝");
                declared += entry.Length;
                if (declared > MaxInflatedBytes) throw TooLarge(null);
                if (entry.Length > RatioFloorBytes && entry.Length > (long)MaxRatio * Math.Max(1, entry.CompressedLength))
                    throw Bomb(entry, entry.Length);
            }

            var budget = new InflateBudget();
            var sheets = SheetNames(zip, budget);
            foreach (var entry in entries)
            {
                if (entry.FullName.EndsWith('/')) continue;
                using var stream = new CountingStream(entry.Open(), entry, budget);
                if (sheets.TryGetValue(Normalize(entry.FullName), out var sheet) || IsWorksheetPath(entry.FullName, out sheet))
                    CheckSheet(stream, sheet);
                else
                    stream.CopyTo(Stream.Null);
            }
        }
    }

    /// <summary>The end-of-central-directory record's entry count, read before <see cref="ZipArchive"/> loads every entry.</summary>
    private static void CheckEntryCount(FileStream file)
    {
        const int EocdSize = 22, MaxComment = ushort.MaxValue;
        var tail = (int)Math.Min(file.Length, EocdSize + MaxComment);
        if (tail < EocdSize) return;   // ZipArchive refuses it
        var buffer = new byte[tail];
        file.Seek(-tail, SeekOrigin.End);
        file.ReadExactly(buffer);
        file.Seek(0, SeekOrigin.Begin);
        for (var i = tail - EocdSize; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i)) != 0x06054b50) continue;
            var count = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(i + 10));
            if (count > MaxEntries)   // 0xFFFF: a ZIP64 count, only needed beyond 65,535 entries
                throw new XlsxRefusedException(null, $"xlsx 压缩包含超过 {MaxEntries:N0} 个条目，已拒绝");
            return;
        }
    }

    /// <summary>Worksheet part path (no leading slash) → sheet name, from the workbook and its relationships.</summary>
    private static Dictionary<string, string> SheetNames(ZipArchive zip, InflateBudget budget)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var workbook = Targets(zip, "_rels/.rels", "", budget).Values.FirstOrDefault(t => t.EndsWith("workbook.xml", StringComparison.OrdinalIgnoreCase))
                       ?? "xl/workbook.xml";
        var folder = workbook.Contains('/') ? workbook[..(workbook.LastIndexOf('/') + 1)] : "";
        var rels = Targets(zip, folder + "_rels/" + workbook[folder.Length..] + ".rels", folder, budget);
        if (zip.GetEntry(workbook) is not { } entry) return map;
        using var stream = new CountingStream(entry.Open(), entry, budget);
        using var reader = XmlReader.Create(stream, Settings);
        while (reader.Read())
            if (reader is { NodeType: XmlNodeType.Element, LocalName: "sheet" }
                && reader.GetAttribute("id", "http://schemas.openxmlformats.org/officeDocument/2006/relationships") is { } id
                && rels.TryGetValue(id, out var target))
                map[target] = reader.GetAttribute("name") ?? target;
        return map;
    }

    /// <summary>Relationship id → target path (resolved against <paramref name="folder"/>, no leading slash).</summary>
    private static Dictionary<string, string> Targets(ZipArchive zip, string relsPath, string folder, InflateBudget budget)
    {
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        if (zip.GetEntry(relsPath) is not { } entry) return targets;
        using var stream = new CountingStream(entry.Open(), entry, budget);
        using var reader = XmlReader.Create(stream, Settings);
        while (reader.Read())
            if (reader is { NodeType: XmlNodeType.Element, LocalName: "Relationship" }
                && reader.GetAttribute("Id") is { } id && reader.GetAttribute("Target") is { } target)
                targets[id] = target.StartsWith('/') ? Normalize(target) : Normalize(folder + target);
        return targets;
    }

    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.TrimStart('/').Split('/'))
        {
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); }
            else if (part is not ("." or "")) parts.Add(part);
        }
        return string.Join('/', parts);
    }

    private static bool IsWorksheetPath(string path, out string sheet)
    {
        sheet = Path.GetFileNameWithoutExtension(path);
        return path.Contains("worksheets/", StringComparison.OrdinalIgnoreCase) && path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase);
    }

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true, IgnoreComments = true,
    };

    /// <summary>Rows, cells, the declared dimension and the merged ranges of one worksheet, against Excel's limits.</summary>
    private static void CheckSheet(Stream stream, string sheet)
    {
        using var reader = XmlReader.Create(stream, Settings);
        long rows = 0, merged = 0;
        var row = 0;
        var cellsInRow = 0;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element || reader.NamespaceURI != MainNs) continue;
            switch (reader.LocalName)
            {
                case "dimension" when reader.GetAttribute("ref") is { } range:
                    foreach (var corner in range.Split(':'))
                        if (Reference(corner) is (var r, var c) && (r > MaxRows || c > MaxColumns))
                            throw new XlsxRefusedException(sheet,
                                $"工作表「{sheet}」声明的范围 {range} 超出 Excel 的上限（{MaxRows:N0} 行 × {MaxColumns:N0} 列），已拒绝");
                    break;
                case "row":
                    rows++;
                    row = int.TryParse(reader.GetAttribute("r"), out var number) ? number : row + 1;
                    cellsInRow = 0;
                    if (rows > MaxRows || row > MaxRows)
                        throw new XlsxRefusedException(sheet, $"工作表「{sheet}」超过 {MaxRows:N0} 行（Excel 的上限），已拒绝");
                    break;
                case "c":
                    cellsInRow++;
                    var column = reader.GetAttribute("r") is { } cell && Reference(cell) is (_, var col) ? col : cellsInRow;
                    if (column > MaxColumns || cellsInRow > MaxColumns)
                        throw new XlsxRefusedException(sheet,
                            $"工作表「{sheet}」第 {row} 行超过 {MaxColumns:N0} 列（XFD，Excel 的上限），已拒绝");
                    break;
                case "mergeCell" when reader.GetAttribute("ref") is { } range && range.Split(':') is [var from, var to]
                                      && Reference(from) is (var r1, var c1) && Reference(to) is (var r2, var c2):
                    merged += (Math.Abs((long)r2 - r1) + 1) * (Math.Abs((long)c2 - c1) + 1);
                    if (r2 > MaxRows || c2 > MaxColumns || merged > MaxMergedCells)
                        throw new XlsxRefusedException(sheet,
                            $"工作表「{sheet}」的合并单元格 {range} 过大（合计超过 {MaxMergedCells:N0} 个单元格或超出 Excel 的上限），已拒绝");
                    break;
            }
        }
    }

    /// <summary>1-based (row, column) of a reference such as <c>XFD1048576</c> or <c>$B$7</c>; null when unreadable.</summary>
    private static (long Row, long Column)? Reference(string reference)
    {
        long column = 0, row = 0;
        var i = 0;
        var text = reference.Replace("$", "");
        for (; i < text.Length && char.IsAsciiLetter(text[i]); i++)
        {
            column = column * 26 + (char.ToUpperInvariant(text[i]) - 'A' + 1);
            if (column > int.MaxValue) return (0, column);
        }
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
        {
            row = row * 10 + (text[i] - '0');
            if (row > int.MaxValue) return (row, column);
        }
        return i == text.Length && i > 0 ? (row, column) : null;
    }

    private static XlsxRefusedException TooLarge(string? sheet) => new(sheet,
        $"xlsx 解压后超过 {MaxInflatedBytes / 1024 / 1024} MB 的上限，疑似压缩炸弹，已拒绝（大批量数据请另存为 CSV 上报）");

    private static XlsxRefusedException Bomb(ZipArchiveEntry entry, long inflated) => new(null,
        $"xlsx 中的「{entry.FullName}」压缩比超过 {MaxRatio}:1（{entry.CompressedLength:N0} 字节解压为 {inflated:N0} 字节以上），疑似压缩炸弹，已拒绝");

    /// <summary>The bytes inflated so far across the whole archive.</summary>
    private sealed class InflateBudget
    {
        public long Inflated;
    }

    /// <summary>An entry's inflated stream that counts what it yields and refuses past the budget or the ratio.</summary>
    private sealed class CountingStream(Stream inner, ZipArchiveEntry entry, InflateBudget budget) : Stream
    {
        private long _read;

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        private int Count(int n)
        {
            _read += n;
            budget.Inflated += n;
            if (budget.Inflated > MaxInflatedBytes) throw TooLarge(null);
            if (_read > RatioFloorBytes && _read > (long)MaxRatio * Math.Max(1, entry.CompressedLength)) throw Bomb(entry, _read);
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}

/// <summary>An .xlsx refused by <see cref="XlsxGuard"/>: the message says why (Chinese); the sheet when one sheet is at fault.</summary>
public sealed class XlsxRefusedException(string? sheet, string message) : Exception(message)
{
    public string? Sheet { get; } = sheet;
}
