using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Engines.DuckDb;
using Dapper;

namespace BudgetPerf.Tests.Integration.Intake;

/// <summary>
/// The DuckDB bulk path writes data chunks itself (strings inline or by pointer, decimals as scaled integers, validity
/// bits for NULL): every value must read back as it went in, across several 2,048-row chunks.
/// </summary>
public sealed class DuckDbBulkInsertTests : IDisposable
{
    private readonly TempDir _dir = new();

    private const string Table = """
        CREATE TABLE bulk_probe (
            id BIGINT NOT NULL, n INTEGER, label VARCHAR, amount DECIMAL(18,4), rate DECIMAL(9,2), small DECIMAL(4,1), flag BOOLEAN)
        """;

    /// <summary>Row i: NULLs every 7th row; strings of 12 bytes (inline), 13 bytes and long Chinese (by pointer).</summary>
    private static object?[] Row(int i) =>
    [
        (long)i,
        i % 7 == 0 ? null : i - 3000,
        (i % 5) switch
        {
            0 => null,
            1 => "产出指标",                          // 12 UTF-8 bytes: the longest inline string
            2 => "abcdefghijklm",                     // 13 bytes: stored by pointer
            3 => $"资金拨付滞后，部分工作推迟 第{i}行",  // long, distinct per row
            _ => "",
        },
        i % 7 == 0 ? null : i * 1.23456m - 5000m,     // rounded to 4 places half away from zero
        i % 3 == 0 ? null : 0.125m * i,              // rounded to 2 places
        (decimal)(i % 1000) / 10m,
        i % 7 == 0 ? null : i % 2 == 0,
    ];

    /// <summary>
    /// Both ways rows reach the chunks: a stream, filled on a thread of its own while the caller appends; and a list in
    /// memory (a queue pass's files), filled and appended on the calling thread. 5,000 rows: 2 full chunks of 2,048 and one
    /// of 904; 140,000 streamed: more than the appender's 64 chunks hold (131,072 rows), so chunks are appended, given
    /// back and filled again while the stream runs on.
    /// </summary>
    [Theory]
    [InlineData(false, 5000)]
    [InlineData(true, 5000)]
    [InlineData(false, 140_000)]
    public async Task Values_read_back_as_written_across_chunks(bool inMemory, int rows)
    {
        var engine = new DuckDbEngine(_dir.File("bulk.duckdb"));
        await using var connection = await engine.OpenAsync();
        await connection.ExecuteAsync(Table);
        var columns = await engine.ColumnsOfAsync(connection, "bulk_probe");
        var source = Enumerable.Range(0, rows).Select(Row);

        var written = await engine.BulkInsertAsync(connection, "bulk_probe", columns, inMemory ? source.ToList() : source);

        Assert.Equal(rows, written);
        var back = (await connection.QueryAsync("SELECT * FROM bulk_probe ORDER BY id")).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(rows, back.Count);
        foreach (var (row, i) in back.Select((r, i) => (r, i)))
        {
            var expected = Row(i);
            Assert.Equal((long)i, row["id"]);
            Assert.Equal(expected[1], row["n"]);
            Assert.Equal(expected[2], row["label"]);
            Assert.Equal(expected[3] is decimal a ? Math.Round(a, 4, MidpointRounding.AwayFromZero) : null, row["amount"]);
            Assert.Equal(expected[4] is decimal r ? Math.Round(r, 2, MidpointRounding.AwayFromZero) : null, row["rate"]);
            Assert.Equal(expected[5], row["small"]);
            Assert.Equal(expected[6], row["flag"]);
        }
        // 1 × 1.23456 − 5000 = −4998.76544 → −4998.7654; 5 × 0.125 = 0.625 → rate 0.63 (half away from zero)
        Assert.Equal(-4998.7654m, back[1]["amount"]);
        Assert.Equal(0.63m, back[5]["rate"]);
    }

    [Fact]
    public async Task A_value_too_wide_for_its_decimal_column_fails_the_insert()
    {
        var engine = new DuckDbEngine(_dir.File("bulk.duckdb"));
        await using var connection = await engine.OpenAsync();
        await connection.ExecuteAsync(Table);
        var columns = await engine.ColumnsOfAsync(connection, "bulk_probe");
        object?[] tooWide = [1L, 1, "x", 1m, 1m, 1000m, true];   // DECIMAL(4,1) holds at most 999.9

        await Assert.ThrowsAsync<OverflowException>(() =>
            engine.BulkInsertAsync(connection, "bulk_probe", columns, [tooWide]));
    }

    public void Dispose() => _dir.Dispose();
}
