using System.Text;

namespace BudgetPerf.Etl.Reading;

/// <summary>
/// What Excel on a Chinese Windows saves as "CSV": UTF-8 with or without BOM, or GB18030/GBK; comma or tab separated.
/// Both are decided from the first block of the file.
/// </summary>
public static class CsvSniffer
{
    private const int SampleSize = 64 * 1024;

    static CsvSniffer() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>GB18030 (a superset of GBK and GB2312).</summary>
    public static Encoding Gb18030 => Encoding.GetEncoding("GB18030");

    public static (Encoding Encoding, char Separator) Sniff(string path)
    {
        var sample = new byte[SampleSize];
        int length;
        using (var stream = File.OpenRead(path))
            length = stream.ReadAtLeast(sample, SampleSize, throwOnEndOfStream: false);
        var encoding = DetectEncoding(sample.AsSpan(0, length), complete: length < SampleSize);
        var text = encoding.GetString(sample, 0, length);
        return (encoding, DetectSeparator(text));
    }

    /// <summary>UTF-8 when the bytes have a BOM or are valid UTF-8; GB18030 otherwise.</summary>
    public static Encoding DetectEncoding(ReadOnlySpan<byte> bytes, bool complete)
    {
        if (bytes.StartsWith("\xEF\xBB\xBF"u8)) return new UTF8Encoding(true);
        if (!complete) bytes = bytes[..TrimPartialUtf8(bytes)];
        return System.Text.Unicode.Utf8.IsValid(bytes) ? new UTF8Encoding(false) : Gb18030;
    }

    /// <summary>Length without a multi-byte UTF-8 sequence cut off at the end of the sample.</summary>
    private static int TrimPartialUtf8(ReadOnlySpan<byte> bytes)
    {
        for (var back = 1; back <= 3 && back <= bytes.Length; back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) == 0x80) continue;                 // continuation byte: keep looking for the lead byte
            var needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? bytes.Length - back : bytes.Length;
        }
        return bytes.Length;
    }

    /// <summary>Tab when the header line has more tabs than commas; comma otherwise.</summary>
    public static char DetectSeparator(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var header = end < 0 ? text : text[..end];
        return header.Count(c => c == '\t') > header.Count(c => c == ',') ? '\t' : ',';
    }
}
