using BudgetPerf.Etl.Reading;
using BudgetPerf.Etl.Submissions;
using BudgetPerf.Etl.Validation;
using BudgetPerf.Warehouse.Engines;

namespace BudgetPerf.Etl.Loading;

/// <summary>
/// A worker pass's loads in two phases (issue 15: one transaction, connections and commit per file cost ~1 s per
/// one-department file while readers held the cores): <see cref="ReadAsync"/> reads and validates a file into memory and
/// writes nothing; <see cref="AppendAllAsync"/> appends every valid file of the pass in one transaction. DuckDB has no
/// savepoints, so a file is validated completely before anything of it is written: a bad file never enters the transaction.
/// </summary>
public sealed partial class SubmissionLoader
{
    /// <summary>Reads and validates a small file (≤ <see cref="SmallFileBytes"/>) into memory; writes nothing, hashes nothing.</summary>
    public async Task<ReadFile> ReadAsync(string path, LoadOptions options, CancellationToken ct = default)
    {
        var issues = new List<LoadIssue>();
        var asked = new HashSet<string>(StringComparer.Ordinal);
        void Ask(string key)
        {
            lock (asked) asked.Add(key);
        }
        using var file = OpenSource(path, issues, IsWorkbook(path) ? ProjectDirectory.For(engine, k => Ask(PassKeys.Named(k.Item1, k.Item2))) : null);
        var parts = await PartsAsync(file, Path.GetFileName(path), options, issues, key => Ask(PassKeys.Project(key)), ct);
        var kindText = parts.Count == 0 ? null : string.Join("+", parts.Select(p => p.Kind!.Code).Distinct());
        var weights = new Dictionary<(int, string), decimal>();
        var read = new List<ReadPart>();
        foreach (var (source, kind) in parts)
        {
            if (HasErrors(issues)) break;
            var submitted = BudgetWeights.For(engine, kind!, k => Ask(PassKeys.Weight(k.Item1, k.Item2)));
            var columns = await ColumnsOfAsync(kind!.RawTable, ct);
            var validator = RowValidator.ForHeader(kind, source, issues, Lookup(weights, submitted),
                spare: RawLayout.InPlace(kind, columns) ? 2 : 0);
            if (HasErrors(issues)) break;
            // the batch id is set when the pass appends (AppendAllAsync); every row is validated before anything is written
            read.Add(new ReadPart(kind, columns, [.. RawRows(validator, source, issues, kind, columns, 0L, weights, options.RowsRead)]));
        }
        return new ReadFile(path, kindText, issues, HasErrors(issues) ? [] : read, weights.Keys, asked);
    }

    /// <summary>
    /// Appends the files (each valid, from <see cref="ReadAsync"/>) in ONE transaction, each as its own batch; returns each
    /// file's batch id and rows, in order. Throws when the transaction fails, having written nothing: the caller may then
    /// append the files one by one, so that one file cannot sink the others.
    /// </summary>
    public async Task<IReadOnlyList<(long BatchId, long Rows)>> AppendAllAsync(
        IReadOnlyList<(ReadFile File, string Sha256, string? SubmittedBy)> files, CancellationToken ct = default)
    {
        if (files.Count == 0) return [];
        if (files.Select(f => f.File).FirstOrDefault(f => !f.Valid) is { } invalid)
            throw new InvalidOperationException($"{invalid.FileName}: 未通过校验的文件不能入库");
        await using var connection = await engine.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var batchIds = new long[files.Count];
        for (var i = 0; i < files.Count; i++) batchIds[i] = await NextBatchIdAsync(connection);
        // one append per landing table for the whole pass (not one per file and table), each row carrying its file's batch
        var parts = files.SelectMany((f, i) => f.File.Parts.Select(part => (Part: part, Batch: (object)batchIds[i])));
        foreach (var table in parts.GroupBy(p => p.Part.Kind.RawTable))
        {
            var columns = table.First().Part.Columns;
            var at = columns.Select(c => c.Name).ToList().IndexOf("batch_id");
            var rows = new List<object?[]>();
            foreach (var (part, batch) in table)
            {
                foreach (var row in part.Rows) row[at] = batch;
                rows.AddRange(part.Rows);
            }
            await engine.BulkInsertAsync(connection, table.Key, columns, rows, ct);
        }
        var now = DateTime.Now;
        await engine.BulkInsertAsync(connection, "etl_batch", await ColumnsOfAsync(connection, "etl_batch"), files.Select((f, i) =>
            BatchRow(batchIds[i], f.File.FileName, CheckedSha256(f.Sha256), f.File.KindText!, "loaded", f.File.Rows, f.File.Issues,
                f.SubmittedBy, now)).ToList(), ct);
        await engine.BulkInsertAsync(connection, "load_error", await ColumnsOfAsync(connection, "load_error"),
            files.SelectMany((f, i) => ErrorRows(batchIds[i], f.File.Issues)).ToList(), ct);
        await tx.CommitAsync(ct);
        return [.. files.Select((f, i) => (batchIds[i], f.File.Rows))];
    }

    /// <summary>The rejected files recorded (etl_batch status 'rejected' and their load_error rows) in one transaction; their batch ids.</summary>
    public async Task<IReadOnlyList<long>> RecordRejectionsAsync(
        IReadOnlyList<(ReadFile File, string Sha256, string? SubmittedBy)> files, CancellationToken ct = default)
    {
        if (files.Count == 0) return [];
        await using var connection = await engine.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var ids = new List<long>(files.Count);
        foreach (var (file, sha, submittedBy) in files)
        {
            var batchId = await NextBatchIdAsync(connection);
            await RecordBatchAsync(connection, batchId, file.FileName, CheckedSha256(sha), file.KindText ?? "unknown", "rejected", 0,
                file.Issues, submittedBy);
            ids.Add(batchId);
        }
        await tx.CommitAsync(ct);
        return ids;
    }

    /// <summary>
    /// The statistics of the landing tables a load wrote and of <c>etl_batch</c>, each table once, on the caller's connection:
    /// the one ANALYZE of a streamed file's load (<see cref="LoadFileAsync"/>); a worker pass analyses only when due (PassLoad).
    /// </summary>
    private async Task AnalyzeAsync(System.Data.Common.DbConnection connection, IEnumerable<string> tables, CancellationToken ct)
    {
        foreach (var table in tables.Append("etl_batch").Distinct(StringComparer.Ordinal).ToList())
            await engine.AnalyzeAsync(connection, table, ct);
    }

    private static bool IsWorkbook(string path) => Path.GetExtension(path).StartsWith(".xls", StringComparison.OrdinalIgnoreCase);

    /// <summary>The file's parts with their kinds (fund blocks before indicator blocks), checked against the submitter's scope.</summary>
    private async Task<List<(ISubmissionSource Source, SubmissionKind? Kind)>> PartsAsync(SubmissionFile? file, string fileName,
        LoadOptions options, List<LoadIssue> issues, Action<string>? asked, CancellationToken ct)
    {
        var parts = (file?.Parts ?? [])
            .Select(part => (Source: part, Kind: KindOf(part, options, issues)))
            .Where(p => p.Kind is not null)
            .OrderBy(p => SubmissionKinds.All.ToList().IndexOf(p.Kind!))
            .ToList();
        if (file is not null && !HasErrors(issues)) issues.AddRange(NothingRead.Check(fileName, file, parts.Select(p => p.Source).ToList()));
        return options.Scope.IsAll ? parts : await UploadScope.ApplyAsync(engine, options.Scope, parts, issues, ct, asked);
    }

    /// <summary>A landing table's columns, read once per loader (a connection is opened only the first time).</summary>
    private async Task<IReadOnlyList<ColumnInfo>> ColumnsOfAsync(string table, CancellationToken ct)
    {
        lock (_columns)
            if (_columns.TryGetValue(table, out var known)) return known;
        await using var connection = await engine.OpenAsync(ct);
        return await ColumnsOfAsync(connection, table);
    }
}

/// <summary>One part of a file read into memory: its rows in the landing table's column order.</summary>
internal sealed record ReadPart(SubmissionKind Kind, IReadOnlyList<ColumnInfo> Columns, List<object?[]> Rows);

/// <summary>
/// A file of a worker pass read and validated into memory, nothing written: valid (its rows ready to append) or not
/// (its issues name file, sheet, row, column and reason).
/// </summary>
public sealed class ReadFile
{
    internal ReadFile(string path, string? kindText, List<LoadIssue> issues, List<ReadPart> parts,
        IEnumerable<(int, string)> weights, HashSet<string> asked)
    {
        Path = path;
        KindText = kindText;
        Issues = issues;
        Parts = parts;
        _weights = [.. weights];
        Asked = asked;
    }

    private readonly List<(int Year, string Code)> _weights;

    public string Path { get; }
    public string FileName => System.IO.Path.GetFileName(Path);
    public string? KindText { get; }
    public IReadOnlyList<LoadIssue> Issues { get; }
    internal IReadOnlyList<ReadPart> Parts { get; }

    public bool Valid => Parts.Count > 0 && !Issues.Any(i => i.Severity == Severity.Error);
    public long Rows => Parts.Sum(p => (long)p.Rows.Count);
    public int ErrorCount => Issues.Count(i => i.Severity == Severity.Error);

    /// <summary>The landing tables its rows go to.</summary>
    public IEnumerable<string> Tables => Parts.Select(p => p.Kind.RawTable).Distinct();

    /// <summary>What its validation asked of earlier submissions (<see cref="PassKeys"/>).</summary>
    public IReadOnlySet<string> Asked { get; }

    /// <summary>
    /// What a later file's validation would find of this file once it is loaded (<see cref="PassKeys"/>): its projects' codes
    /// and (主管部门名称, 项目名称) in the project master and the fund tables, and its 年度资金总额 分值 (年度, 编码).
    /// </summary>
    public HashSet<string> Defines()
    {
        var keys = new HashSet<string>(_weights.Select(w => PassKeys.Weight(w.Year, w.Code)), StringComparer.Ordinal);
        foreach (var part in Parts.Where(p => p.Kind.RawTable is "raw_project" or "raw_monitoring_fund" or "raw_selfeval_fund"))
        {
            var names = part.Columns.Select(c => c.Name).ToList();
            int code = names.IndexOf("project_code"), department = names.IndexOf("department_name"), name = names.IndexOf("project_name");
            foreach (var row in part.Rows)
            {
                if (code >= 0 && row[code] is string c) keys.Add(PassKeys.Project(c.Trim()));
                if (name >= 0 && row[name] is string n) keys.Add(PassKeys.Named(department >= 0 ? row[department] as string ?? "" : "", n));
            }
        }
        return keys;
    }
}

/// <summary>
/// The keys of the lookups a file's validation makes of what earlier submissions hold (<see cref="UploadScope"/>'s owners
/// by 项目编码, <see cref="ProjectDirectory"/> by (主管部门, 项目名称), <see cref="BudgetWeights"/> by (年度, 编码)). A file
/// that asks what an earlier valid file of the same pass holds is read again after that file's commit, as if loaded one by one.
/// </summary>
public static class PassKeys
{
    public static string Project(string code) => "p\u001f" + code;
    public static string Named(string department, string name) => "n\u001f" + department + "\u001f" + name;
    public static string Weight(int year, string code) =>
        "w\u001f" + year.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\u001f" + code;
}
