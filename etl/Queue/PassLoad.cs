using System.Diagnostics;
using System.Globalization;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Etl.Validation;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;
using Dapper;

namespace BudgetPerf.Etl.Queue;

/// <summary>What the load of one taken submission came to (in the pass's order).</summary>
internal sealed record PassOutcome(long Id, LoadStatus Status, long? BatchId = null, string? Note = null);

/// <summary>
/// 一轮入库 (issue 15): the files a worker pass took, loaded in two phases. First every file is read and validated into
/// memory (<see cref="SubmissionLoader.ReadAsync"/>; nothing written; a bad file's errors stay its own), then every valid
/// file is appended in ONE transaction (<see cref="SubmissionLoader.AppendAllAsync"/>); should that transaction fail, the
/// files are appended one by one, so that one file cannot sink the others (a file that fails on its own is 失败 with the
/// reason). The outcomes are those of loading the files one by one in the queue's order: a file whose validation asks
/// what an earlier valid file of the pass holds (<see cref="PassKeys"/>) starts a new group, read after that file's commit;
/// a file identical to one loaded earlier (same SHA-256, also earlier in the pass) is not loaded again; a file loaded
/// before a crash (入库中, its SHA-256 loaded) is built, not loaded again. A file larger than
/// <see cref="SubmissionLoader.SmallFileBytes"/> streams on its own (<see cref="SubmissionLoader.LoadFileAsync"/>).
/// The bookkeeping is batched: the submitters' rights read once per account, the audit rows in one transaction, the
/// 构建中 marks in one statement.
/// </summary>
internal sealed class PassLoad(WarehouseEngine engine, SubmissionLoader loader, SubmissionQueue queue, SubmissionWorkerOptions options)
{
    private readonly List<PassOutcome> _outcomes = [];
    private readonly List<long> _failed = [];
    private readonly List<(string, string, string?, string)> _audits = [];
    private readonly List<(long Id, long BatchId, long Rows)> _loaded = [];
    private readonly Dictionary<string, long> _loadedShas = new(StringComparer.Ordinal);
    private readonly HashSet<string> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _steps = [];

    /// <summary>The submissions whose files failed to append even on their own (already marked 失败 with the reason).</summary>
    public IReadOnlyList<long> Failed => _failed;

    /// <summary>The submissions put back in the queue (排队中) after a transient append failure, with no outcome in this pass.</summary>
    public IReadOnlyList<long> Retried => _retried;

    private readonly List<long> _retried = [];

    /// <summary>Where the load's time went (read + validate, append, …), for the pass's log line.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Steps => _steps;

    public async Task<IReadOnlyList<PassOutcome>> LoadAsync(IReadOnlyList<ClaimedSubmission> claimed, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        foreach (var (sha, batch) in await LoadedBatchesAsync(claimed.Select(c => c.Sha256), ct)) _loadedShas[sha] = batch;
        var rights = new Dictionary<string, (DataScope? Scope, string? Refusal)>(StringComparer.Ordinal);
        var todo = new List<(ClaimedSubmission Item, DataScope Scope)>();
        foreach (var item in claimed)
        {
            if (item.PreviousState == SubmissionState.Building && item.BatchId is { } built)
                _outcomes.Add(new(item.SubmissionId, LoadStatus.Loaded, built));   // loaded before the restart; only the build is missing
            else if (item.Content is null)
                await RejectAsync(item, "上报文件内容缺失", null, null, ct);
            else if (item.PreviousState == SubmissionState.Loading && _loadedShas.TryGetValue(item.Sha256, out var committed))
                Loaded(item, committed, 0, audit: false);   // the worker that died had committed the load: build it, do not load it again
            else
            {
                // the account's rights now, not at acceptance (SubmitterRights), read once per account per pass
                if (!rights.TryGetValue(item.SubmittedBy, out var right))
                    rights[item.SubmittedBy] = right = await SubmitterRights.CurrentAsync(engine, item.SubmittedBy, ct);
                if (right.Refusal is { } refusal)
                {
                    _audits.Add((item.SubmittedBy, options.AuditAction, $"{item.FileName} sha256={item.Sha256} result=rejected rows=0 reason={refusal}", "refused"));
                    await RejectAsync(item, "入库时拒绝：" + refusal, null, null, ct);
                }
                else todo.Add((item, right.Scope!));
            }
        }
        Step("rights", clock);

        for (var start = 0; start < todo.Count;) start = await GroupAsync(todo, start, ct);

        clock.Restart();
        if (_tables.Count > 0) await AnalyzeWhenDueAsync(ct);
        await queue.LoadedAllAsync(_loaded, ct);
        await new UserStore(engine).AuditAllAsync(_audits, ct);
        Step("marks", clock);
        return _outcomes;
    }

    /// <summary>
    /// The statistics of the tables the pass appended to, each only when due (<see cref="WarehouseEngine.AnalyzeWhenDueAsync"/>:
    /// a pass's thousands of rows in a raw table of millions leave its statistics as they are; issue 15, the pass's marks).
    /// </summary>
    private async Task AnalyzeWhenDueAsync(CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        foreach (var table in _tables.Append("etl_batch").Distinct(StringComparer.Ordinal))
            await engine.AnalyzeWhenDueAsync(connection, table, ct);
    }

    /// <summary>
    /// Reads the files from <paramref name="start"/> on until one depends on a valid file read before it (or is large),
    /// appends the valid ones in one transaction, records the rejected ones; returns where the next group starts.
    /// </summary>
    private async Task<int> GroupAsync(List<(ClaimedSubmission Item, DataScope Scope)> todo, int start, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var group = new List<(ClaimedSubmission Item, ReadFile Read)>();
        var followers = new List<(ClaimedSubmission Item, int Original)>();   // identical to a valid file of this group
        var defined = new HashSet<string>(StringComparer.Ordinal);
        var i = start;
        for (; i < todo.Count; i++)
        {
            var (item, scope) = todo[i];
            if (_loadedShas.TryGetValue(item.Sha256, out var existing))
            {
                Duplicate(item, existing);
                continue;
            }
            var original = group.FindIndex(g => g.Read.Valid && g.Item.Sha256 == item.Sha256);
            if (original >= 0)
            {
                followers.Add((item, original));
                continue;
            }
            var path = await WriteAsync(item, ct);
            var load = new LoadOptions { SubmittedBy = item.SubmittedBy, Sha256 = item.Sha256, Scope = scope };
            if (new FileInfo(path).Length > SubmissionLoader.SmallFileBytes)
            {
                if (group.Count > 0) break;
                await LoadAloneAsync(item, path, load, ct);
                i++;
                break;
            }
            var read = await loader.ReadAsync(path, load, ct);
            if (group.Count > 0 && read.Asked.Overlaps(defined)) break;   // read again once the files it asks about are committed
            group.Add((item, read));
            if (read.Valid) defined.UnionWith(read.Defines());
        }
        Step("read", clock);
        clock.Restart();
        var batches = await AppendAsync(group.Where(g => g.Read.Valid).ToList(), ct);
        Step("append", clock);
        clock.Restart();
        foreach (var (item, read) in group.Where(g => g.Read.Valid))
            if (batches.TryGetValue(item.SubmissionId, out var b))
            {
                Loaded(item, b.BatchId, b.Rows, audit: true);
                _tables.UnionWith(read.Tables);
            }
        foreach (var (item, original) in followers)
        {
            if (batches.TryGetValue(group[original].Item.SubmissionId, out var b)) Duplicate(item, b.BatchId);
            else if (_retried.Contains(group[original].Item.SubmissionId))
            {
                _retried.Add(item.SubmissionId);   // taken again with it: then a duplicate of what it loads
                await queue.RetryAsync([item.SubmissionId], "与之相同的文件入库暂时性失败，稍后重试", ct);
            }
            else await FailAsync(item.SubmissionId, "入库失败：与之相同的文件未能入库", ct);
        }
        var rejected = group.Where(g => !g.Read.Valid).ToList();
        var ids = await loader.RecordRejectionsAsync([.. rejected.Select(r => (r.Read, r.Item.Sha256, (string?)r.Item.SubmittedBy))], ct);
        for (var r = 0; r < rejected.Count; r++)
            await RejectedAsync(rejected[r].Item, rejected[r].Read.FileName, rejected[r].Read.Issues, 0, ids[r],
                ErrorsCsv.Write(rejected[r].Read.Path, rejected[r].Read.Issues), ct);
        foreach (var (item, _) in group) DeleteFolder(item);
        Step("record", clock);
        return i;
    }

    /// <summary>The valid files in one transaction; should it fail, each on its own (a file that fails alone is 失败).</summary>
    private async Task<Dictionary<long, (long BatchId, long Rows)>> AppendAsync(List<(ClaimedSubmission Item, ReadFile Read)> files,
        CancellationToken ct)
    {
        var appended = new Dictionary<long, (long, long)>();
        if (files.Count > 1)
        {
            try
            {
                var batches = await loader.AppendAllAsync([.. files.Select(f => (f.Read, f.Item.Sha256, (string?)f.Item.SubmittedBy))], ct);
                for (var i = 0; i < files.Count; i++) appended[files[i].Item.SubmissionId] = batches[i];
                return appended;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Console.Error.WriteLine($"一轮 {files.Count} 个文件合并入库失败，逐个入库：{ex.Message}");
            }
        }
        foreach (var (item, read) in files)
        {
            try
            {
                appended[item.SubmissionId] = (await loader.AppendAllAsync([(read, item.Sha256, item.SubmittedBy)], ct))[0];
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await AppendFailedAsync(item, read.FileName, ex, ct);
            }
        }
        return appended;
    }

    /// <summary>A large file streams on its own transaction, as <c>budgetperf load</c> loads it.</summary>
    private async Task LoadAloneAsync(ClaimedSubmission item, string path, LoadOptions load, CancellationToken ct)
    {
        try
        {
            var result = await loader.LoadFileAsync(path, load, ct);
            switch (result.Status)
            {
                case LoadStatus.Loaded:
                    Loaded(item, result.BatchId!.Value, result.Rows, audit: true);   // its own load analyzed its tables
                    break;
                case LoadStatus.Duplicate: Duplicate(item, result.BatchId!.Value); break;
                default:
                    await RejectedAsync(item, result.File, result.Issues, result.Rows, result.BatchId, result.ErrorsFile, ct);
                    break;
            }
        }
        finally
        {
            DeleteFolder(item);
        }
    }

    private void Loaded(ClaimedSubmission item, long batchId, long rows, bool audit)
    {
        _outcomes.Add(new(item.SubmissionId, LoadStatus.Loaded, batchId));
        _loaded.Add((item.SubmissionId, batchId, rows));
        _loadedShas.TryAdd(item.Sha256, batchId);
        if (audit) Audit(item, "loaded", rows, 0, batchId, "ok");
    }

    private void Duplicate(ClaimedSubmission item, long batchId)
    {
        _outcomes.Add(new(item.SubmissionId, LoadStatus.Duplicate, batchId, $"重复文件：与批次 {batchId} 相同，已入库过"));
        Audit(item, "duplicate", 0, 0, batchId, "ok");
    }

    private void Audit(ClaimedSubmission item, string result, long rows, int errors, long? batchId, string outcome) =>
        _audits.Add((item.SubmittedBy, options.AuditAction,
            $"{item.FileName} sha256={item.Sha256} result={result} rows={rows} errors={errors} batch={batchId?.ToString(CultureInfo.InvariantCulture) ?? "-"}", outcome));

    /// <summary>Refused by its load: 已拒绝 naming the first errors' file, sheet, row, column and reason, with its errors.csv.</summary>
    private async Task RejectedAsync(ClaimedSubmission item, string fileName, IReadOnlyList<LoadIssue> issues, long rows, long? batchId,
        string? errorsFile, CancellationToken ct)
    {
        Audit(item, "rejected", rows, issues.Count(i => i.Severity == Severity.Error), batchId, "refused");
        string? errorsId = null;
        if (errorsFile is not null && File.Exists(errorsFile))
        {
            errorsId = Guid.NewGuid().ToString("N");
            await new UploadErrorFiles(engine).SaveAsync(errorsId, item.SubmittedBy, fileName, await File.ReadAllTextAsync(errorsFile, ct), ct);
        }
        var first = issues.Where(i => i.Severity == Severity.Error).Take(3)
            .Select(i => $"{i.File} {i.Sheet} 第{i.Row}行 {i.Column}：{i.Message}".Replace("  ", " "));
        await RejectAsync(item, "入库时拒绝：" + string.Join("；", first), errorsId, batchId, ct);
    }

    private async Task RejectAsync(ClaimedSubmission item, string reason, string? errorsId, long? batchId, CancellationToken ct)
    {
        _outcomes.Add(new(item.SubmissionId, LoadStatus.Rejected));
        await queue.RejectedAsync(item.SubmissionId, reason, errorsId, batchId, ct);
    }

    /// <summary>
    /// A file whose own append failed: a transient failure (<see cref="TransientFailure"/>: a lock timeout, a deadlock victim,
    /// a lost connection …) puts it back in the queue (排队中) for a later pass while it has been taken fewer than
    /// <see cref="SubmissionWorkerOptions.MaxAttempts"/> times; any other failure, and the last attempt's, is 失败 at once
    /// with the reason (a file that fails the same way every time must not hold the queue).
    /// </summary>
    private async Task AppendFailedAsync(ClaimedSubmission item, string fileName, Exception ex, CancellationToken ct)
    {
        if (!TransientFailure.Is(ex))
            await FailAsync(item.SubmissionId, $"入库失败：{fileName}：{ex.Message}", ct);
        else if (item.Attempts >= options.MaxAttempts)
            await FailAsync(item.SubmissionId, $"入库失败：{fileName}：第 {item.Attempts} 次仍暂时性失败，不再重试：{ex.Message}", ct);
        else
        {
            _retried.Add(item.SubmissionId);
            await queue.RetryAsync([item.SubmissionId], $"第 {item.Attempts} 次入库暂时性失败，稍后重试：{fileName}：{ex.Message}", ct);
        }
    }

    private async Task FailAsync(long id, string reason, CancellationToken ct)
    {
        _failed.Add(id);
        await queue.FailedAsync([id], reason, ct);
    }

    private string FolderOf(ClaimedSubmission item) =>
        Path.Combine(options.WorkDir, item.SubmissionId.ToString(CultureInfo.InvariantCulture));

    private async Task<string> WriteAsync(ClaimedSubmission item, CancellationToken ct)
    {
        var dir = FolderOf(item);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, item.FileName);
        await File.WriteAllBytesAsync(path, item.Content!, ct);
        return path;
    }

    private void DeleteFolder(ClaimedSubmission item)
    {
        try { Directory.Delete(FolderOf(item), recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>The loaded batch holding each of these files (same SHA-256), in one query.</summary>
    private async Task<List<(string Sha, long BatchId)>> LoadedBatchesAsync(IEnumerable<string> shas, CancellationToken ct)
    {
        var list = shas.Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0) return [];
        var args = new DynamicParameters();
        for (var i = 0; i < list.Count; i++) args.Add("s" + i.ToString(CultureInfo.InvariantCulture), list[i]);
        var names = string.Join(", ", list.Select((_, i) => "@s" + i.ToString(CultureInfo.InvariantCulture)));
        await using var connection = await engine.OpenAsync(ct);
        return [.. await connection.QueryAsync<(string, long)>(new CommandDefinition(engine.Sql(
            $"SELECT sha256, MIN(batch_id) FROM etl_batch WHERE sha256 IN ({names}) AND status = 'loaded' GROUP BY sha256"),
            args, cancellationToken: ct))];
    }

    private void Step(string name, Stopwatch clock) => _steps[name] = _steps.GetValueOrDefault(name) + clock.Elapsed;
}
