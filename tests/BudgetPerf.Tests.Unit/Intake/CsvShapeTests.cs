using System.Text;
using BudgetPerf.Etl.Reading;

namespace BudgetPerf.Tests.Unit.Intake;

public sealed class CsvShapeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bp-csv-").FullName;

    private const string Text = "年度,期间,项目编码,资金类别,年初预算数,期间执行数\n2025,1-6月,P001,年度资金总额,\"1,234.56\",30\n";

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static (IReadOnlyList<string> Headers, string?[] Cells) ReadFirst(string path)
    {
        using var file = SubmissionSources.Open(path);
        var source = file.Parts[0];
        return (source.Headers, source.Rows().First().Cells);
    }

    [Theory]
    [InlineData("utf8-bom")]
    [InlineData("utf8")]
    [InlineData("gb18030")]
    public void Chinese_headers_and_cells_read_the_same_in_every_encoding(string encodingName)
    {
        var bytes = encodingName switch
        {
            "utf8-bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Text)],
            "utf8" => Encoding.UTF8.GetBytes(Text),
            _ => CsvSniffer.Gb18030.GetBytes(Text),
        };

        var (headers, cells) = ReadFirst(Write($"{encodingName}.csv", bytes));

        Assert.Equal(["年度", "期间", "项目编码", "资金类别", "年初预算数", "期间执行数"], headers);
        Assert.Equal("1-6月", cells[1]);
        Assert.Equal("年度资金总额", cells[3]);
        Assert.Equal("1,234.56", cells[4]);
    }

    [Fact]
    public void A_gb18030_file_is_detected_as_gb18030()
    {
        var path = Write("gbk.csv", CsvSniffer.Gb18030.GetBytes(Text));

        Assert.Equal("GB18030", CsvSniffer.Sniff(path).Encoding.WebName.ToUpperInvariant());
    }

    [Fact]
    public void Tab_separated_files_are_read_as_columns()
    {
        var path = Write("tab.txt", Encoding.UTF8.GetBytes(Text.Replace(",\"1,234.56\",", "\t1,234.56\t").Replace(',', '\t')
            .Replace("1\t234.56", "1,234.56")));

        var (headers, cells) = ReadFirst(path);

        Assert.Equal(6, headers.Count);
        Assert.Equal("1,234.56", cells[4]);
    }

    [Fact]
    public void A_utf8_character_cut_at_the_end_of_the_sample_is_still_utf8()
    {
        var bytes = Encoding.UTF8.GetBytes("年度,期间");   // 年 is 3 bytes: cut after its first 2
        Assert.IsType<UTF8Encoding>(CsvSniffer.DetectEncoding(bytes.AsSpan(0, 2), complete: false));
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
