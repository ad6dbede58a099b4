using System.Data.Common;
using System.Diagnostics;
using System.Text;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Etl.Submissions;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines.DuckDb;

namespace BudgetPerf.Etl.Bench;

/// <summary>The figures of one <c>bench etl</c> run, all on the same file.</summary>
/// <remarks>
/// <see cref="OursSeconds"/> and <see cref="ReadCsvSeconds"/> are each path's best of <see cref="Rounds"/> (run
/// alternately, ours then read_csv, on fresh files): on a shared machine the fastest run is the one least slowed by other
/// work, and read_csv's threads suffer more from it than our pipeline does.
/// </remarks>
public sealed record EtlBenchResult(
    long Rows, long FileBytes, double OursSeconds, double ReadCsvSeconds, int InsertSample, double InsertSeconds,
    long PeakWorkingSetBytes, string? LoadProblem)
{
    /// <summary>Each round's seconds (ours, read_csv), in the order run.</summary>
    public IReadOnlyList<(double Ours, double ReadCsv)> Rounds { get; init; } = [];

    public double OursRowsPerSecond => Rows / OursSeconds;
    public double ReadCsvRowsPerSecond => Rows / ReadCsvSeconds;
    public double InsertRowsPerSecond => InsertSample / InsertSeconds;
    public double RatioToReadCsv => OursRowsPerSecond / ReadCsvRowsPerSecond;
    public double RatioToInsert => OursRowsPerSecond / InsertRowsPerSecond;
}

/// <summary>
/// <c>budgetperf bench etl</c>: a monitoring-indicator CSV of N rows, then, on fresh DuckDB files:
/// our load (parse + validate + Appender), DuckDB's own <c>read_csv</c> into a table, and row-by-row
/// parameterised INSERT on a sample (extrapolated).
/// </summary>
public static class EtlBenchmark
{
    public static string Header =>
        "年度,期间,项目编码,一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位,期间指标值,期间执行情况,偏差原因,偏差原因说明,完成目标可能性";

    private static readonly (string L1, string L2, string L3, string Cmp, string Target, string Unit)[] Indicators =
    [
        ("产出指标", "数量指标", "培训人次", "≥", "1200", "人次"), ("产出指标", "数量指标", "新建校舍面积", "≥", "3500", "平方米"),
        ("产出指标", "质量指标", "工程验收合格率", "=", "100%", "%"), ("产出指标", "时效指标", "项目完成及时率", "≥", "95%", "%"),
        ("产出指标", "成本指标", "单位造价", "≤", "3200", "元/平方米"), ("效益指标", "社会效益指标", "受益学生人数", "≥", "2000", "人"),
        ("效益指标", "可持续影响指标", "设施使用年限", "≥", "20", "年"), ("满意度指标", "服务对象满意度指标", "学生满意度", "≥", "90%", "%"),
        ("效益指标", "经济效益指标", "节约运行费用", "≥", "12", "万元"), ("产出指标", "质量指标", "设备完好率", "≥", "98%", "%"),
    ];

    /// <summary>Writes the benchmark file: 10 indicators for each of rows/10 projects (UTF-8, no BOM).</summary>
    public static void WriteFile(string path, long rows, int year = 2025)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write(Header);
        writer.Write('\n');
        var rng = new Random(7);
        for (long i = 0; i < rows; i++)
        {
            var (l1, l2, l3, cmp, target, unit) = Indicators[i % Indicators.Length];
            var possible = rng.Next(10) switch { < 7 => "确定能", < 9 => "有可能", _ => "完全不可能" };
            var cause = possible == "确定能" ? "" : rng.Next(2) == 0 ? "经费保障" : "制度保障；人员保障";
            var note = cause.Length == 0 ? "" : "资金拨付滞后，部分工作推迟";
            var actual = target.EndsWith('%') ? $"{80 + rng.Next(20)}%" : (rng.Next(100) + 1).ToString();
            writer.Write($"{year},1-6月,P{i / 10:0000000},{l1},{l2},{l3},{cmp},{target},{unit},,{actual},{cause},{note},{possible}\n");
        }
    }

    public static async Task<EtlBenchResult> RunAsync(string workDir, long rows, int insertSample, IProgress<string>? progress,
        CancellationToken ct = default, int repeat = 3)
    {
        Directory.CreateDirectory(workDir);
        var csv = Path.Combine(workDir, "bench_monitoring_indicator.csv");
        progress?.Report($"生成 {rows:N0} 行监控指标 CSV → {csv}");
        WriteFile(csv, rows);
        await WarmUpAsync(workDir, progress, ct);

        // 1. ours (parse + validate + Appender, end to end through the loader) and 2. DuckDB's own read_csv into a raw
        // table, alternately, each round on fresh database files
        var rounds = new List<(double Ours, double ReadCsv)>();
        string? problem = null;
        long peak = 0;
        var clock = new Stopwatch();
        for (var round = 1; round <= Math.Max(1, repeat); round++)
        {
            var ours = await FreshAsync(workDir, "ours", ct);
            progress?.Report($"第 {round} 轮：本系统加载（解析 + 校验 + Appender）…");
            ResetPeakWorkingSet();
            clock.Restart();
            var result = await new SubmissionLoader(ours).LoadFileAsync(csv, new LoadOptions { WriteErrorsFile = false }, ct);
            var oursSeconds = clock.Elapsed.TotalSeconds;
            peak = Math.Max(peak, Process.GetCurrentProcess().PeakWorkingSet64);
            problem ??= result.Status == LoadStatus.Loaded ? null
                : $"{result.Status}: {string.Join("; ", result.Issues.Where(i => i.Severity == Validation.Severity.Error).Take(3))}";

            var duck = await FreshAsync(workDir, "read_csv", ct);
            progress?.Report($"第 {round} 轮：DuckDB read_csv …");
            double readCsvSeconds;
            await using (var connection = await duck.OpenAsync(ct))
            {
                clock.Restart();
                await ExecuteAsync(connection,
                    $"CREATE TABLE bench_read_csv AS SELECT * FROM read_csv('{csv.Replace("'", "''")}', header = true, all_varchar = true)");
                readCsvSeconds = clock.Elapsed.TotalSeconds;
            }
            rounds.Add((oursSeconds, readCsvSeconds));
            progress?.Report($"第 {round} 轮：本系统 {oursSeconds:0.00} 秒，read_csv {rounds[^1].ReadCsv:0.00} 秒，负载 {LoadAverage()}");
        }

        // 3. row-by-row parameterised INSERT (autocommit), on a sample
        var insert = await FreshAsync(workDir, "insert", ct);
        progress?.Report($"逐行参数化 INSERT（样本 {insertSample:N0} 行）…");
        double insertSeconds;
        await using (var connection = await insert.OpenAsync(ct))
        {
            var kind = SubmissionKinds.MonitoringIndicator;
            var columns = string.Join(", ", kind.Fields.Select(f => f.Column));
            var sql = $"INSERT INTO raw_monitoring_indicator (batch_id, source_row, {columns}) VALUES ({string.Join(", ",
                Enumerable.Range(1, kind.Fields.Count + 2).Select(i => $"${i}"))})";
            var lines = File.ReadLines(csv).Skip(1).Take(insertSample).ToList();
            // each field's cell in the file by its header (a field the file lacks is NULL), the year as a number
            var headers = Header.Split(',');
            var cellOf = kind.Fields.Select(f => Array.IndexOf(headers, f.Header)).ToArray();
            clock.Restart();
            var row = 1;
            foreach (var line in lines)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                var cells = line.Split(',');
                var values = new object?[] { 1L, ++row }.Concat(cellOf.Select((c, i) => c < 0 ? null
                    : kind.Fields[i].Type == FieldType.Integer ? int.Parse(cells[c]) : (object?)Null(cells[c]))).ToArray();
                foreach (var v in values)
                {
                    var p = command.CreateParameter();
                    p.Value = v ?? DBNull.Value;
                    command.Parameters.Add(p);
                }
                await command.ExecuteNonQueryAsync(ct);
            }
            insertSeconds = clock.Elapsed.TotalSeconds;
        }

        return new EtlBenchResult(rows, new FileInfo(csv).Length, rounds.Min(r => r.Ours), rounds.Min(r => r.ReadCsv), insertSample,
            insertSeconds, peak, problem) { Rounds = rounds };
    }

    /// <summary>Rows each path loads once before the measured runs (not counted).</summary>
    public const int WarmUpRows = 50_000;

    /// <summary>
    /// Small files (<see cref="WarmUpFileRows"/> rows each, one department's upload) our loader takes first, each of another
    /// year, into one scratch database: one 50,000-row load left the per-row code short of its final tier on a busy machine
    /// (a 1M-row load then took about 15% more CPU than after 40 small loads: 5.0 against 4.2 CPU-s, measured alternately,
    /// load 11–13; issue 15).
    /// </summary>
    public const int WarmUpFiles = 30, WarmUpFileRows = 2_000;

    /// <summary>
    /// Both paths load a small file of the same shape first, into scratch databases: the measured runs then compare
    /// steady throughput, not the .NET JIT compiling our loader (DuckDB's read_csv is native and needs none) — the
    /// state of a dashboard that has been serving for a while.
    /// </summary>
    private static async Task WarmUpAsync(string workDir, IProgress<string>? progress, CancellationToken ct)
    {
        var csv = Path.Combine(workDir, "bench_warm_up.csv");
        WriteFile(csv, WarmUpRows);
        progress?.Report($"预热：本系统先加载 {WarmUpFiles} 个 {WarmUpFileRows:N0} 行的小文件，两条路径再各加载 {WarmUpRows:N0} 行（不计时）…");
        var small = await FreshAsync(workDir, "warm_small", ct);
        var loader = new SubmissionLoader(small);
        for (var i = 0; i < WarmUpFiles; i++)
        {
            var file = Path.Combine(workDir, "bench_warm_up_small.csv");
            WriteFile(file, WarmUpFileRows, 2000 + i);   // another year each: another file, not a duplicate
            await loader.LoadFileAsync(file, new LoadOptions { WriteErrorsFile = false }, ct);
        }
        await new SubmissionLoader(await FreshAsync(workDir, "warm_ours", ct)).LoadFileAsync(csv, new LoadOptions { WriteErrorsFile = false }, ct);
        await using var connection = await (await FreshAsync(workDir, "warm_read_csv", ct)).OpenAsync(ct);
        await ExecuteAsync(connection, $"CREATE TABLE warm AS SELECT * FROM read_csv('{csv.Replace("'", "''")}', header = true, all_varchar = true)");
    }

    /// <summary>
    /// Starts the process's peak working set afresh (Linux: <c>/proc/self/clear_refs</c> "5" resets VmHWM, which
    /// <see cref="Process.PeakWorkingSet64"/> reads), so that the peak read after our load is our load's own: before, the
    /// peak after round 2 and 3 was also that of the earlier rounds' read_csv in the same process (issue 15).
    /// Elsewhere the peak stays the process's since its start (an upper bound).
    /// </summary>
    private static void ResetPeakWorkingSet()
    {
        GC.Collect();
        try
        {
            if (OperatingSystem.IsLinux()) File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string? Null(string s) => s.Length == 0 ? null : s;

    private static async Task<DuckDbEngine> FreshAsync(string dir, string name, CancellationToken ct)
    {
        var path = Path.Combine(dir, $"bench_{name}.duckdb");
        foreach (var f in new[] { path, path + ".wal" }) if (File.Exists(f)) File.Delete(f);
        var engine = new DuckDbEngine(path);
        await WarehouseSetup.InitAsync(engine, Path.Combine(dir, "target"), ct);
        return engine;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
