using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Etl.Reading.Xlsx;
using BudgetPerf.Etl.Validation;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Tests.Integration.Intake;

/// <summary>A hostile .xlsx (decompression bomb, a sheet beyond Excel's limits) is refused with a clear message and loads nothing.</summary>
[Collection(UntimedPostgresCollection.Name)]
public sealed class XlsxGuardTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();
    private const string Header = "年度,期间,项目编码,一级指标,二级指标,三级指标,年度指标值,期间执行情况,完成目标可能性";
    private const string Row = "2025,1-6月,P0001,产出指标,数量指标,培训人次,≥100人次,60,确定能";
    private const string Ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    private async Task<WarehouseEngine> InitializedAsync()
    {
        var engine = await Engines.FreshAsync("duckdb", _dir, postgres);
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        return engine;
    }

    /// <summary>A valid one-sheet workbook whose worksheet part is then replaced by <paramref name="write"/>'s XML.</summary>
    private string Workbook(string name, Action<Stream>? write = null)
    {
        var path = FileShapeTests.WriteShape(_dir, "xlsx", name, Header, Row);
        if (write is null) return path;
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var sheet = zip.Entries.Single(e => e.FullName.Contains("worksheets/"));
        var entryName = sheet.FullName;
        sheet.Delete();
        using var stream = zip.CreateEntry(entryName, CompressionLevel.SmallestSize).Open();
        write(stream);
        return path;
    }

    private static void Text(Stream stream, string text) => stream.Write(Encoding.UTF8.GetBytes(text));

    /// <summary><c>&lt;sheetData&gt;</c> followed by <paramref name="spaces"/> bytes of blanks: valid XML that inflates as far as asked.</summary>
    private static Action<Stream> Blanks(long spaces) => stream =>
    {
        Text(stream, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"{Ns}\"><sheetData>");
        var chunk = new byte[1 << 20];
        Array.Fill(chunk, (byte)' ');
        for (var left = spaces; left > 0; left -= chunk.Length) stream.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
        Text(stream, "</sheetData></worksheet>");
    };

    private static async Task<long> RawRowsAsync(WarehouseEngine engine)
    {
        await using var connection = await engine.OpenAsync();
        return Convert.ToInt64(await connection.ExecuteScalarAsync("SELECT COUNT(*) FROM raw_monitoring_indicator"));
    }

    [SkippableFact]
    public async Task A_small_xlsx_that_inflates_past_the_limit_is_refused_and_loads_nothing()
    {
        var engine = await InitializedAsync();
        var bomb = Workbook("bomb", Blanks(XlsxGuard.MaxInflatedBytes + (10 << 20)));
        Assert.True(new FileInfo(bomb).Length < 1 << 20, $"the bomb is {new FileInfo(bomb).Length:N0} bytes");

        var result = await new SubmissionLoader(engine).LoadFileAsync(bomb);

        Assert.Equal(LoadStatus.Rejected, result.Status);
        var error = Assert.Single(result.Issues);
        Assert.Equal((Severity.Error, "bomb.xlsx"), (error.Severity, error.File));
        Assert.Equal("xlsx 解压后超过 200 MB 的上限，疑似压缩炸弹，已拒绝（大批量数据请另存为 CSV 上报）", error.Message);
        Assert.Equal(0, await RawRowsAsync(engine));
    }

    /// <summary>
    /// Declared sizes can lie. .NET's ZipArchive inflates an entry only up to its declared size, so an understated bomb
    /// comes out truncated (unreadable XML) rather than large; either way it is refused before the SDK reads it.
    /// </summary>
    [Fact]
    public void A_bomb_whose_zip_directory_understates_its_size_is_still_refused()
    {
        var bomb = Workbook("liar", Blanks(40L << 20));   // 40 MB of blanks in a few tens of KB
        Assert.Contains("压缩比超过 100:1", Assert.Throws<XlsxRefusedException>(() => XlsxGuard.Check(bomb)).Message);
        Understate(bomb, "worksheets/");

        var refused = Assert.Throws<XlsxRefusedException>(() => XlsxGuard.Check(bomb));

        Assert.Equal("不是有效的 xlsx 文件（其中的 XML 无法解析），请在 Excel 中另存为 .xlsx 后再上报", refused.Message);
    }

    [SkippableTheory]
    [InlineData("<dimension ref=\"A1:XFE3\"/><sheetData/>", "声明的范围 A1:XFE3 超出 Excel 的上限（1,048,576 行 × 16,384 列），已拒绝")]
    [InlineData("<dimension ref=\"A1:B1048577\"/><sheetData/>", "声明的范围 A1:B1048577 超出 Excel 的上限")]
    [InlineData("<sheetData><row r=\"1048577\"><c r=\"A1048577\" t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData>", "超过 1,048,576 行（Excel 的上限），已拒绝")]
    [InlineData("<sheetData><row r=\"1\"><c r=\"XFE1\" t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData>", "第 1 行超过 16,384 列")]
    public async Task A_sheet_beyond_excels_limits_is_refused_naming_the_sheet(string body, string message)
    {
        var engine = await InitializedAsync();
        var file = Workbook("wide", s => Text(s, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"{Ns}\">{body}</worksheet>"));

        var result = await new SubmissionLoader(engine).LoadFileAsync(file);

        Assert.Equal(LoadStatus.Rejected, result.Status);
        var error = Assert.Single(result.Issues);
        Assert.Equal(("wide.xlsx", "数据"), (error.File, error.Sheet));
        Assert.Contains("工作表「数据」", error.Message);
        Assert.Contains(message, error.Message);
        Assert.Equal(0, await RawRowsAsync(engine));
    }

    [SkippableFact]
    public async Task A_normal_xlsx_still_loads()
    {
        var engine = await InitializedAsync();
        var file = Workbook("normal");

        XlsxGuard.Check(file);
        var result = await new SubmissionLoader(engine).LoadFileAsync(file);

        Assert.True(result.Status == LoadStatus.Loaded, string.Join("\n", result.Issues));
        Assert.Equal(1, await RawRowsAsync(engine));
    }

    /// <summary>Rewrites the declared uncompressed size of the entry (local header and central directory) to 1,000 bytes.</summary>
    private static void Understate(string path, string entryPart)
    {
        var bytes = File.ReadAllBytes(path);
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            var (nameLength, nameAt, sizeAt) = signature switch
            {
                0x04034b50 => (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + 26)), i + 30, i + 22),   // local file header
                0x02014b50 => (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + 28)), i + 46, i + 24),   // central directory
                _ => (0, 0, 0),
            };
            if (nameLength == 0 || nameAt + nameLength > bytes.Length) continue;
            if (Encoding.UTF8.GetString(bytes, nameAt, nameLength).Contains(entryPart))
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(sizeAt), 1000);
        }
        File.WriteAllBytes(path, bytes);
    }

    public void Dispose() => _dir.Dispose();
}
