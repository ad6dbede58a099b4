using System.Data.Common;
using System.Diagnostics;
using System.Security.Cryptography;
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
public sealed class SubmissionLoader(WarehouseEngine engine)
{
    /// <summary>Issues kept per file; the count beyond is reported but not stored.</summary>
    public const int IssueCap = 10_000;

    public async Task<LoadResult> LoadFileAsync(string path, LoadOptions? options = null, CancellationToken ct = default)
    {
        options ??= new LoadOptions();
        var clock = Stopwatch.StartNew();
        var fileName = Path.GetFileName(path);
        var sha = await Sha256Async(path, ct);
        var issues = new List<LoadIssue>();

        using var source = OpenSource(path, issues);
        var kind = source is null ? null : KindOf(source, options, issues);

        if (options.DryRun)
        {
            var check = kind is null ? null : RowValidator.ForHeader(kind, source!, issues);
            var rows = check is null || HasErrors(issues) ? 0 : ValidRows(check, source!, issues).LongCount();
            return new LoadResult(fileName, kind?.Code, LoadStatus.Validated, rows, null, issues, clock.Elapsed);
        }

        await using var connection = await engine.OpenAsync(ct);
        if (await LoadedBatchAsync(connection, sha) is { } existing)
            return new LoadResult(fileName, kind?.Code, LoadStatus.Duplicate, 0, existing, [], clock.Elapsed);
        var budgetWeights = kind is null ? null : await BudgetWeights.ForAsync(connection, kind);
        var validator = kind is null ? null : RowValidator.ForHeader(kind, source!, issues, budgetWeights);

        long loaded = 0;
        if (validator is not null && !HasErrors(issues))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            var batchId = await NextBatchIdAsync(connection);
            var columns = await engine.ColumnsOfAsync(connection, kind!.RawTable, ct);
            loaded = await engine.BulkInsertAsync(connection, kind.RawTable, columns,
                RawRows(validator, source!, issues, kind, columns, batchId), ct);
            if (!HasErrors(issues))
            {
                await RecordBatchAsync(connection, batchId, fileName, sha, kind.Code, "loaded", loaded, issues);
                await tx.CommitAsync(ct);
                return new LoadResult(fileName, kind.Code, LoadStatus.Loaded, loaded, batchId, issues, clock.Elapsed);
            }
            await tx.RollbackAsync(ct);
        }

        var rejectedId = await RecordRejectionAsync(connection, fileName, sha, kind?.Code, loaded, issues);
        var errorsFile = options.WriteErrorsFile ? ErrorsCsv.Write(path, issues) : null;
        return new LoadResult(fileName, kind?.Code, LoadStatus.Rejected, 0, rejectedId, issues, clock.Elapsed, errorsFile);
    }

    private static ISubmissionSource? OpenSource(string path, List<LoadIssue> issues)
    {
        try
        {
            return SubmissionSources.Open(path);
        }
        catch (Exception ex) when (ex is UnsupportedFileException or IOException or CsvHelper.CsvFormatException)
        {
            issues.Add(new LoadIssue(Path.GetFileName(path), null, null, null, null, Severity.Error, ex.Message));
            return null;
        }
    }

    private static SubmissionKind? KindOf(ISubmissionSource source, LoadOptions options, List<LoadIssue> issues)
    {
        var kind = options.Kind is null ? SubmissionKinds.Recognize(source.Headers) : SubmissionKinds.ByCode(options.Kind);
        if (kind is null)
            issues.Add(new LoadIssue(source.FileName, source.Sheet, 1, null, null, Severity.Error, options.Kind is null
                ? "无法从表头识别报表类型（请检查表头，或用 --kind 指定）"
                : $"未知的报表类型“{options.Kind}”"));
        return kind;
    }

    private static bool HasErrors(List<LoadIssue> issues) => issues.Exists(i => i.Severity == Severity.Error);

    /// <summary>Validated rows; after the first error, rows are still validated (to report them all) but no longer yielded.</summary>
    private static IEnumerable<(int Row, object?[] Values)> ValidRows(RowValidator validator, ISubmissionSource source,
        List<LoadIssue> issues)
    {
        var sink = new List<LoadIssue>();
        foreach (var row in source.Rows())
        {
            var values = validator.Validate(row, sink);
            if (sink.Count > 0)
            {
                if (issues.Count < IssueCap) issues.AddRange(sink.Take(IssueCap - issues.Count));
                sink.Clear();
            }
            if (values is not null && !HasErrors(issues)) yield return (row.RowNumber, values);
        }
        validator.Finish(sink);
        if (issues.Count < IssueCap) issues.AddRange(sink.Take(IssueCap - issues.Count));
    }

    /// <summary>Rows in the raw table's column order, with the batch id and source row number filled in.</summary>
    private static IEnumerable<object?[]> RawRows(RowValidator validator, ISubmissionSource source, List<LoadIssue> issues,
        SubmissionKind kind, IReadOnlyList<ColumnInfo> columns, long batchId)
    {
        var fields = kind.Fields.Select(f => f.Column).ToList();
        var fieldIndex = columns.Select(c => fields.IndexOf(c.Name)).ToArray();
        foreach (var (rowNumber, values) in ValidRows(validator, source, issues))
        {
            var raw = new object?[columns.Count];
            for (var i = 0; i < raw.Length; i++)
                raw[i] = columns[i].Name switch
                {
                    "batch_id" => batchId,
                    "source_row" => rowNumber,
                    _ => fieldIndex[i] >= 0 ? values[fieldIndex[i]] : null,
                };
            yield return raw;
        }
    }

    private static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }

    private static async Task<long?> LoadedBatchAsync(DbConnection connection, string sha) =>
        // sha is our own lower-case hex digest, so it is safe inline (no dialect-specific parameters needed)
        await connection.ExecuteScalarAsync<long?>(
            $"SELECT MIN(batch_id) FROM etl_batch WHERE sha256 = '{sha}' AND status = 'loaded'");

    private static async Task<long> NextBatchIdAsync(DbConnection connection) =>
        Convert.ToInt64(await connection.ExecuteScalarAsync("SELECT nextval('etl_batch_seq')"));

    private async Task RecordBatchAsync(DbConnection connection, long batchId, string fileName, string sha, string kind,
        string status, long rows, IReadOnlyList<LoadIssue> issues)
    {
        var errors = issues.Count(i => i.Severity == Severity.Error);
        await engine.BulkInsertAsync(connection, "etl_batch", await engine.ColumnsOfAsync(connection, "etl_batch"),
            [[batchId, fileName, sha, kind, (int)rows, issues.Count - errors, errors, DateTime.Now, status]]);
        await engine.BulkInsertAsync(connection, "load_error", await engine.ColumnsOfAsync(connection, "load_error"),
            issues.Select(i => new object?[] { batchId, i.File, i.Sheet, i.Row, i.Column, i.Value, i.SeverityText, i.Message }));
    }

    private async Task<long> RecordRejectionAsync(DbConnection connection, string fileName, string sha, string? kind,
        long rows, IReadOnlyList<LoadIssue> issues)
    {
        await using var tx = await connection.BeginTransactionAsync();
        var batchId = await NextBatchIdAsync(connection);
        await RecordBatchAsync(connection, batchId, fileName, sha, kind ?? "unknown", "rejected", rows, issues);
        await tx.CommitAsync();
        return batchId;
    }
}
