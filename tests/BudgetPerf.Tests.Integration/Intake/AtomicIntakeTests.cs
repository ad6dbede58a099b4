using BudgetPerf.Etl.Loading;
using BudgetPerf.Etl.Validation;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Tests.Integration.Intake;

/// <summary>A file with any error loads nothing, in every table; the same file loads once; a resubmission adds a batch.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AtomicIntakeTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();
    private const string Header = "年度,期间,项目编码,一级指标,二级指标,三级指标,年度指标值,期间执行情况,完成目标可能性";

    private async Task<WarehouseEngine> InitializedAsync(string engineName)
    {
        var engine = await Engines.FreshAsync(engineName, _dir, postgres);
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        return engine;
    }

    /// <summary>Row counts of every base table but the audit of offered files (etl_batch, load_error).</summary>
    private static async Task<Dictionary<string, long>> CountsAsync(WarehouseEngine engine)
    {
        await using var connection = await engine.OpenAsync();
        var tables = (await connection.QueryAsync<string>(
            $"SELECT table_name FROM information_schema.tables WHERE table_schema = '{engine.DefaultSchema}' AND table_type = 'BASE TABLE' " +
            "AND table_name NOT IN ('etl_batch', 'load_error')")).ToList();
        var counts = new Dictionary<string, long>();
        foreach (var t in tables) counts[t] = Convert.ToInt64(await connection.ExecuteScalarAsync($"SELECT COUNT(*) FROM \"{t}\""));
        return counts;
    }

    private static string Rows(int count, int from = 1) =>
        string.Concat(Enumerable.Range(from, count).Select(i => $"2025,1-6月,P{i:0000},产出指标,数量指标,培训人次,≥100人次,60,确定能\n"));

    [SkippableTheory]
    [InlineData("duckdb", "csv-utf8")]
    [InlineData("duckdb", "xlsx")]
    [InlineData("postgres", "csv-gb18030")]
    public async Task A_1000_row_file_with_one_bad_last_row_changes_no_table(string engineName, string shape)
    {
        var engine = await InitializedAsync(engineName);
        var loader = new SubmissionLoader(engine);
        await loader.LoadFileAsync(FileShapeTests.WriteShape(_dir, shape, "earlier", Header, Rows(10, 5000).TrimEnd('\n').Split('\n')));
        var before = await CountsAsync(engine);
        var rows = Rows(999).TrimEnd('\n').Split('\n').Append("2025,1-6月,P1000,产出指标,数量指标,培训人次,≥100人次,60,大概能").ToArray();
        var file = FileShapeTests.WriteShape(_dir, shape, "bad", Header, rows);

        var result = await loader.LoadFileAsync(file);

        Assert.Equal(LoadStatus.Rejected, result.Status);
        var error = Assert.Single(result.Issues, i => i.Severity == Severity.Error);
        Assert.Equal(1001, error.Row);                 // header is row 1, the 1,000th data row is row 1001
        Assert.Equal("完成目标可能性", error.Column);
        Assert.Equal("大概能", error.Value);
        Assert.Equal(before, await CountsAsync(engine));
        Assert.True(File.Exists(file + ".errors.csv"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_same_xlsx_loads_once_and_a_resubmission_adds_a_batch(string engineName)
    {
        var engine = await InitializedAsync(engineName);
        var loader = new SubmissionLoader(engine);
        var v1 = FileShapeTests.WriteShape(_dir, "xlsx", "v1", Header, Rows(3).TrimEnd('\n').Split('\n'));
        var v2 = FileShapeTests.WriteShape(_dir, "xlsx", "v2", Header, Rows(3).Replace(",60,", ",80,").TrimEnd('\n').Split('\n'));

        var first = await loader.LoadFileAsync(v1);
        var again = await loader.LoadFileAsync(v1);
        var resubmitted = await loader.LoadFileAsync(v2);

        Assert.Equal(LoadStatus.Loaded, first.Status);
        Assert.Equal(LoadStatus.Duplicate, again.Status);
        Assert.Equal(LoadStatus.Loaded, resubmitted.Status);
        await using var connection = await engine.OpenAsync();
        Assert.Equal(6L, Convert.ToInt64(await connection.ExecuteScalarAsync("SELECT COUNT(*) FROM raw_monitoring_indicator")));
        Assert.Equal(2L, Convert.ToInt64(await connection.ExecuteScalarAsync("SELECT COUNT(DISTINCT batch_id) FROM raw_monitoring_indicator")));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    public async Task Dry_run_validates_and_loads_nothing(string engineName)
    {
        var engine = await InitializedAsync(engineName);
        var file = FileShapeTests.WriteShape(_dir, "csv-utf8", "dry", Header, Rows(5).TrimEnd('\n').Split('\n'));

        var result = await new SubmissionLoader(engine).LoadFileAsync(file, new LoadOptions { DryRun = true });

        Assert.Equal(LoadStatus.Validated, result.Status);
        Assert.Equal(5, result.Rows);
        await using var connection = await engine.OpenAsync();
        Assert.Equal(0L, Convert.ToInt64(await connection.ExecuteScalarAsync("SELECT COUNT(*) FROM raw_monitoring_indicator")));
    }

    private sealed class Recorder : IProgress<long>
    {
        public List<long> Seen { get; } = [];
        public void Report(long value) { lock (Seen) Seen.Add(value); }
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    public async Task A_large_file_reports_its_rows_as_it_goes(string engineName)
    {
        var engine = await InitializedAsync(engineName);
        var file = FileShapeTests.WriteShape(_dir, "csv-utf8", "large", Header, Rows(45_000).TrimEnd('\n').Split('\n'));
        var progress = new Recorder();

        var result = await new SubmissionLoader(engine).LoadFileAsync(file, new LoadOptions { RowsRead = progress });

        Assert.Equal(LoadStatus.Loaded, result.Status);
        Assert.Equal([20_000L, 40_000L], progress.Seen);   // every SubmissionLoader.ProgressEvery rows
    }

    public void Dispose() => _dir.Dispose();
}
