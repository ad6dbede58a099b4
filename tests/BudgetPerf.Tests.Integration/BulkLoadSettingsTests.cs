using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines.DuckDb;
using Dapper;

namespace BudgetPerf.Tests.Integration;

/// <summary>
/// Issue 15 (bench submissions, province): DuckDB's settings are per database, so a bulk load's settings must neither
/// reach a build running beside it (a province build under the loads' 256 MB memory_limit failed with "Out of Memory")
/// nor outlive the loads: two loads overlapping in one process — the second starting inside the first and ending after
/// it — each saved and restored the values themselves, and restoring the printed limit took 0.1 GiB off each time.
/// </summary>
public sealed class BulkLoadSettingsTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task Overlapping_bulk_loads_never_lower_the_memory_limit_and_leave_threads_as_they_were_before_the_first()
    {
        var engine = new DuckDbEngine(_dir.File("w.duckdb"));
        await using var first = await engine.OpenAsync();
        await using var second = await engine.OpenAsync();
        await first.ExecuteAsync("CREATE TABLE landing (n INTEGER)");
        var before = (await first.ExecuteScalarAsync<string>("SELECT current_setting('memory_limit')"),
            await first.ExecuteScalarAsync<string>("SELECT current_setting('threads')"));
        var buffered = await first.ExecuteScalarAsync<string>(BufferedRowGroups);
        Assert.NotEqual("1", buffered);   // DuckDB's own default (5) outside a load
        var columns = await engine.ColumnsOfAsync(first, "landing");
        using var firstMayEnd = new ManualResetEventSlim();
        using var secondMayEnd = new ManualResetEventSlim();
        using var firstStarted = new ManualResetEventSlim();
        using var secondStarted = new ManualResetEventSlim();

        // a streamed file (not a collection, so the bulk path): one row, then it waits until the test lets it end
        static IEnumerable<object?[]> Rows(ManualResetEventSlim started, ManualResetEventSlim mayEnd)
        {
            yield return [1];
            started.Set();
            mayEnd.Wait(TimeSpan.FromSeconds(30));
            yield return [2];
        }

        var a = Task.Run(() => engine.BulkInsertAsync(first, "landing", columns, Rows(firstStarted, firstMayEnd)));
        Assert.True(firstStarted.Wait(TimeSpan.FromSeconds(30)));
        var b = Task.Run(() => engine.BulkInsertAsync(second, "landing", columns, Rows(secondStarted, secondMayEnd)));
        Assert.True(secondStarted.Wait(TimeSpan.FromSeconds(30)));
        // while the loads run, the memory limit a build running beside them needs is untouched
        Assert.Equal(before.Item1, await first.ExecuteScalarAsync<string>("SELECT current_setting('memory_limit')"));
        // and a load's transaction holds one row group of uncompressed rows before writing it, not DuckDB's default five
        Assert.Equal("1", await first.ExecuteScalarAsync<string>(BufferedRowGroups));
        firstMayEnd.Set();   // the first load ends while the second still runs
        await a;
        secondMayEnd.Set();
        await b;

        var after = (await first.ExecuteScalarAsync<string>("SELECT current_setting('memory_limit')"),
            await first.ExecuteScalarAsync<string>("SELECT current_setting('threads')"));
        Assert.Equal(before, after);
        Assert.Equal(buffered, await first.ExecuteScalarAsync<string>(BufferedRowGroups));   // reset by the last load out
        Assert.Equal(4L, await first.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM landing"));
    }

    private const string BufferedRowGroups = "SELECT current_setting('write_buffer_row_group_count')::VARCHAR";

    public void Dispose() => _dir.Dispose();
}
