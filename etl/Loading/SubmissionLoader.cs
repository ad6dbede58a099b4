using System.Data.Common;
using System.Diagnostics;
using System.Security.Cryptography;
using BudgetPerf.Etl.Indicators;
using BudgetPerf.Etl.Reading;
using BudgetPerf.Etl.Submissions;
using BudgetPerf.Etl.Validation;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Etl.Loading;

/// <summary>
/// file → reader → validator → one transaction (raw rows through Appender/COPY, then the etl_batch row).
/// A file with any error loads nothing; the same file (same SHA-256) loads nothing twice.
/// </summary>
public sealed partial class SubmissionLoader(WarehouseEngine engine)
{
    /// <summary>Issues kept per file; the count beyond is reported but not stored.</summary>
    public const int IssueCap = 10_000;

    /// <summary>
    /// Files up to this size (a one-department file is a few KB) are validated into memory and appended as one list;
    /// larger ones stream (<see cref="ReadAhead"/>) under the engine's bulk-load settings.
    /// </summary>
    public const long SmallFileBytes = 4L << 20;

    /// <summary>The landing tables' columns, read once per loader (the worker keeps one loader for its passes).</summary>
    private readonly Dictionary<string, IReadOnlyList<ColumnInfo>> _columns = new(StringComparer.Ordinal);

    private async Task<IReadOnlyList<ColumnInfo>> ColumnsOfAsync(DbConnection connection, string table)
    {
        lock (_columns)
            if (_columns.TryGetValue(table, out var known)) return known;
        var columns = await engine.ColumnsOfAsync(connection, table);
        lock (_columns) _columns[table] = columns;
        return columns;
    }

    /// <summary>How often (in rows) <see cref="LoadOptions.RowsRead"/> hears of a large file's progress.</summary>
    public const int ProgressEvery = 20_000;

    public async Task<LoadResult> LoadFileAsync(string path, LoadOptions? options = null, CancellationToken ct = default)
    {
        options ??= new LoadOptions();
        var clock = Stopwatch.StartNew();
        var fileName = Path.GetFileName(path);
        // the file is hashed while it is read and loaded (one core was idle during the load); the duplicate check
        // runs when the hash is known, on its own connection, and a duplicate stops the load and rolls it back
        // (unless the caller hashed it already, as the intake does while receiving an upload)
        var hashing = options.DryRun ? null
            : options.Sha256 is { } known ? Task.FromResult(CheckedSha256(known)) : Task.Run(() => Sha256Async(path, ct), ct);
        var issues = new List<LoadIssue>();

        using var file = OpenSource(path, issues, IsWorkbook(path) ? ProjectDirectory.For(engine) : null);
        var parts = await PartsAsync(file, fileName, options, issues, null, ct);
        var kindText = parts.Count == 0 ? null : string.Join("+", parts.Select(p => p.Kind!.Code).Distinct());
        var budgetWeights = new Dictionary<(int, string), decimal>();

        if (options.DryRun)
        {
            long rows = 0;
            foreach (var (source, kind) in parts)
            {
                if (HasErrors(issues)) break;   // where load stops too: --dry-run and load report the same errors
                var check = RowValidator.ForHeader(kind!, source, issues, Lookup(budgetWeights, null));
                if (!HasErrors(issues)) rows += ValidRows(check, source, issues, budgetWeights, options.RowsRead).LongCount();
            }
            return new LoadResult(fileName, kindText, LoadStatus.Validated, HasErrors(issues) ? 0 : rows, null, issues,
                clock.Elapsed);
        }

        await using var connection = await engine.OpenAsync(ct);
        using var duplicateFound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var duplicateOf = DuplicateOfAsync(hashing!, duplicateFound, ct);
        LoadResult Duplicate(long existing) =>
            new(fileName, kindText, LoadStatus.Duplicate, 0, existing, [], clock.Elapsed) { Sha256 = hashing!.Result };

        long loaded = 0;
        if (parts.Count > 0 && !HasErrors(issues))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            var batchId = await NextBatchIdAsync(connection);
            var small = new FileInfo(path).Length <= SmallFileBytes;
            foreach (var (source, kind) in parts)
            {
                var submitted = BudgetWeights.For(engine, kind!);
                var columns = await ColumnsOfAsync(connection, kind!.RawTable);
                var validator = RowValidator.ForHeader(kind, source, issues, Lookup(budgetWeights, submitted),
                    spare: RawLayout.InPlace(kind, columns) ? 2 : 0);
                if (HasErrors(issues)) break;
                var rows = Until(duplicateFound.Token, RawRows(validator, source, issues, kind, columns, batchId, budgetWeights, options.RowsRead));
                // a small file's rows in memory first (issue 15): DuckDB then appends them under the settings as they are;
                // a streamed load sets DuckDB's threads for itself and resets them after, which waits for the readers'
                // running queries (seconds per one-department file in a burst) and throttles them meanwhile
                loaded += await engine.BulkInsertAsync(connection, kind.RawTable, columns,
                    small ? rows.ToList() : ReadAhead.Of(rows), ct);
                if (HasErrors(issues) || duplicateFound.IsCancellationRequested) break;
            }
            if (await duplicateOf is { } existing)
            {
                await tx.RollbackAsync(ct);
                return Duplicate(existing);
            }
            if (!HasErrors(issues))
            {
                await RecordBatchAsync(connection, batchId, fileName, await hashing!, kindText!, "loaded", loaded, issues, options.SubmittedBy);
                await tx.CommitAsync(ct);
                // the planner's statistics of what the COPY wrote, before a build reads it (PostgreSQL ANALYZE)
                await AnalyzeAsync(connection, parts.Select(p => p.Kind!.RawTable), ct);
                return new LoadResult(fileName, kindText, LoadStatus.Loaded, loaded, batchId, issues, clock.Elapsed) { Sha256 = await hashing! };
            }
            await tx.RollbackAsync(ct);
        }
        else if (await duplicateOf is { } existing)
            return Duplicate(existing);

        var rejectedId = await RecordRejectionAsync(connection, fileName, await hashing!, kindText, loaded, issues, options.SubmittedBy);
        var errorsFile = options.WriteErrorsFile ? ErrorsCsv.Write(path, issues) : null;
        return new LoadResult(fileName, kindText, LoadStatus.Rejected, 0, rejectedId, issues, clock.Elapsed, errorsFile)
        {
            Sha256 = await hashing!,
        };
    }

    /// <summary>The 预算执行率 分值 of this file's own fund blocks first, then what earlier files submitted.</summary>
    private static Func<int, string, decimal?> Lookup(Dictionary<(int, string), decimal> inFile,
        Func<int, string, decimal?>? submitted) =>
        (year, code) => inFile.TryGetValue((year, code), out var w) ? w : submitted?.Invoke(year, code);

    private static SubmissionFile? OpenSource(string path, List<LoadIssue> issues, Reading.Xlsx.ProjectLookup? lookup)
    {
        try
        {
            return SubmissionSources.Open(path, lookup);
        }
        catch (Exception ex) when (ex is UnsupportedFileException or Reading.Xlsx.XlsxRefusedException or IOException or CsvHelper.CsvFormatException
                                       or InvalidDataException or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException)
        {
            issues.Add(new LoadIssue(Path.GetFileName(path), (ex as Reading.Xlsx.XlsxRefusedException)?.Sheet, null, null, null,
                Severity.Error, ex.Message));
            return null;
        }
    }

    private static SubmissionKind? KindOf(ISubmissionSource source, LoadOptions options, List<LoadIssue> issues)
    {
        var kind = source is IKnownKind known ? known.Kind
                 : options.Kind is null ? SubmissionKinds.Recognize(source.Headers) : SubmissionKinds.ByCode(options.Kind);
        if (kind is null)
            issues.Add(new LoadIssue(source.FileName, source.Sheet, 1, "A", null, Severity.Error, options.Kind is null
                ? "无法从表头识别报表类型（请检查表头，或用 --kind 指定）"
                : $"未知的报表类型“{options.Kind}”"));
        return kind;
    }

    private static bool HasErrors(List<LoadIssue> issues) => issues.Exists(i => i.Severity == Severity.Error);

    /// <summary>Validated rows; after the first error, rows are still validated (to report them all) but no longer yielded.</summary>
    private static IEnumerable<(int Row, object?[] Values)> ValidRows(RowValidator validator, ISubmissionSource source,
        List<LoadIssue> issues, Dictionary<(int, string), decimal> budgetWeights, IProgress<long>? progress)
    {
        var kind = validator.Kind;
        var (year, code, line, weight) = (kind.IndexOf("fiscal_year"), kind.Code == "dept_selfeval_fund"
            ? kind.IndexOf("department_code") : kind.IndexOf("project_code"), kind.IndexOf("fund_line"), kind.IndexOf("weight"));
        var collectWeights = kind.Code.EndsWith("selfeval_fund", StringComparison.Ordinal);
        var sink = new List<LoadIssue>();
        var errored = HasErrors(issues);   // tracked here: scanning up to IssueCap issues per row made warning-heavy files O(rows × issues)
        long read = 0;
        foreach (var row in source.Rows())
        {
            if (++read % ProgressEvery == 0) progress?.Report(read);
            var values = validator.Validate(row, sink);
            if (sink.Count > 0)
            {
                errored |= Keep(issues, sink, errored);
                sink.Clear();
            }
            if (values is null || errored) continue;
            if (collectWeights && values[line] as string == "年度资金总额" && values[weight] is decimal w)
                budgetWeights[((int)values[year]!, (string)values[code]!)] = w;
            yield return (row.RowNumber, values);
        }
        validator.Finish(sink);
        Keep(issues, sink, errored);
    }

    /// <summary>
    /// Adds a row's issues up to <see cref="IssueCap"/>; returns whether any is an error. The first error is kept even
    /// beyond the cap, so that a file whose first 10,000 issues are warnings still counts as failed.
    /// </summary>
    private static bool Keep(List<LoadIssue> issues, List<LoadIssue> sink, bool errored)
    {
        var room = IssueCap - issues.Count;
        if (room >= sink.Count) issues.AddRange(sink);
        else if (room > 0) issues.AddRange(sink.Take(room));
        var error = sink.Find(i => i.Severity == Severity.Error);
        if (error is null) return false;
        if (!errored && room < sink.Count && !HasErrors(issues)) issues.Add(error);
        return true;
    }

    /// <summary>Rows in the raw table's column order, with the batch id and source row number filled in.</summary>
    private static IEnumerable<object?[]> RawRows(RowValidator validator, ISubmissionSource source, List<LoadIssue> issues,
        SubmissionKind kind, IReadOnlyList<ColumnInfo> columns, long batchId, Dictionary<(int, string), decimal> budgetWeights,
        IProgress<long>? progress)
    {
        if (RawLayout.InPlace(kind, columns))
        {
            object boxed = batchId;
            foreach (var (rowNumber, values) in ValidRows(validator, source, issues, budgetWeights, progress))
                yield return RawLayout.Shift(values, boxed, rowNumber);
            yield break;
        }
        var fields = kind.Fields.Select(f => f.Column).Concat(IndicatorColumns.For(kind)).ToList();
        const int batchColumn = -2, rowColumn = -3;   // resolved once, not by column name for every cell
        var fieldIndex = columns.Select(c => c.Name switch
        {
            "batch_id" => batchColumn,
            "source_row" => rowColumn,
            _ => fields.IndexOf(c.Name),
        }).ToArray();
        object boxedBatch = batchId;
        foreach (var (rowNumber, values) in ValidRows(validator, source, issues, budgetWeights, progress))
        {
            var raw = new object?[fieldIndex.Length];
            for (var i = 0; i < raw.Length; i++)
                raw[i] = fieldIndex[i] switch
                {
                    >= 0 and var f => values[f],
                    batchColumn => boxedBatch,
                    rowColumn => rowNumber,
                    _ => null,
                };
            yield return raw;
        }
    }

    /// <summary>A digest given by the caller: 64 lower-case hex digits (it is written inline in SQL), else an error.</summary>
    private static string CheckedSha256(string sha) =>
        sha.Length == 64 && sha.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f')
            ? sha : throw new ArgumentException($"不是 SHA-256 十六进制摘要：{sha}", nameof(sha));

    private static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }

    /// <summary>
    /// The loaded batch that already holds this file (same SHA-256), looked up on a connection of its own once the hash
    /// is known; finding one cancels <paramref name="found"/>, which ends the load's rows early.
    /// </summary>
    private async Task<long?> DuplicateOfAsync(Task<string> hashing, CancellationTokenSource found, CancellationToken ct)
    {
        var sha = await hashing;
        await using var connection = await engine.OpenAsync(ct);
        var existing = await LoadedBatchAsync(connection, sha, ct);
        if (existing is not null) await found.CancelAsync();
        return existing;
    }

    /// <summary>The rows until <paramref name="stop"/> is cancelled (checked per row; the consumer then rolls back).</summary>
    private static IEnumerable<T> Until<T>(CancellationToken stop, IEnumerable<T> rows)
    {
        foreach (var row in rows)
        {
            if (stop.IsCancellationRequested) yield break;
            yield return row;
        }
    }

    private async Task<long?> LoadedBatchAsync(DbConnection connection, string sha, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            engine.Sql("SELECT MIN(batch_id) FROM etl_batch WHERE sha256 = @sha AND status = 'loaded'"), new { sha },
            cancellationToken: ct));

    private static async Task<long> NextBatchIdAsync(DbConnection connection) =>
        Convert.ToInt64(await connection.ExecuteScalarAsync("SELECT nextval('etl_batch_seq')"));

    private async Task RecordBatchAsync(DbConnection connection, long batchId, string fileName, string sha, string kind,
        string status, long rows, IReadOnlyList<LoadIssue> issues, string? submittedBy)
    {
        await engine.BulkInsertAsync(connection, "etl_batch", await ColumnsOfAsync(connection, "etl_batch"),
            [BatchRow(batchId, fileName, sha, kind, status, rows, issues, submittedBy, DateTime.Now)]);
        await engine.BulkInsertAsync(connection, "load_error", await ColumnsOfAsync(connection, "load_error"), ErrorRows(batchId, issues));
    }

    /// <summary>A file's <c>etl_batch</c> row.</summary>
    private static object?[] BatchRow(long batchId, string fileName, string sha, string kind, string status, long rows,
        IReadOnlyList<LoadIssue> issues, string? submittedBy, DateTime loadedAt)
    {
        var errors = issues.Count(i => i.Severity == Severity.Error);
        return [batchId, fileName, sha, kind, (int)rows, issues.Count - errors, errors, loadedAt, status, submittedBy];
    }

    /// <summary>A file's <c>load_error</c> rows (its warnings, or the errors that rejected it).</summary>
    private static IEnumerable<object?[]> ErrorRows(long batchId, IReadOnlyList<LoadIssue> issues) =>
        issues.Select(i => new object?[] { batchId, i.File, i.Sheet, i.Row, i.Column, i.Value, i.SeverityText, i.Message });

    private async Task<long> RecordRejectionAsync(DbConnection connection, string fileName, string sha, string? kind,
        long rows, IReadOnlyList<LoadIssue> issues, string? submittedBy)
    {
        await using var tx = await connection.BeginTransactionAsync();
        var batchId = await NextBatchIdAsync(connection);
        await RecordBatchAsync(connection, batchId, fileName, sha, kind ?? "unknown", "rejected", rows, issues, submittedBy);
        await tx.CommitAsync();
        return batchId;
    }
}
