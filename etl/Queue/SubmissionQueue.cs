using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Etl.Queue;

/// <summary>The states of a queued submission (上报状态), as stored in <c>submission_queue.state</c>.</summary>
public static class SubmissionState
{
    public const string Queued = "queued";       // 排队中
    public const string Loading = "loading";     // 入库中
    public const string Building = "building";   // 构建中
    public const string Visible = "visible";     // 已生效
    public const string Rejected = "rejected";   // 已拒绝
    public const string Failed = "failed";       // 失败

    /// <summary>Waiting or taken by a worker: not finished.</summary>
    public static readonly string[] Open = [Queued, Loading, Building];

    /// <summary>The page's word for a state.</summary>
    public static string Chinese(string state) => state switch
    {
        Queued => "排队中",
        Loading => "入库中",
        Building => "构建中",
        Visible => "已生效",
        Rejected => "已拒绝",
        Failed => "失败",
        _ => state,
    };

    public static bool IsFinished(string state) => !Open.Contains(state);
}

/// <summary>One row of <c>submission_queue</c> without the file (what the status URL and the upload page show).</summary>
public sealed record QueuedSubmission
{
    public long SubmissionId { get; init; }
    public string FileName { get; init; } = "";
    public string Sha256 { get; init; } = "";
    public string SubmittedBy { get; init; } = "";
    public string? Kind { get; init; }
    public long RowsValidated { get; init; }
    public string State { get; init; } = SubmissionState.Queued;
    public DateTime QueuedAt { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? LoadedAt { get; init; }
    public DateTime? VisibleAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public long? BatchId { get; init; }
    public long? RowsLoaded { get; init; }
    public int Attempts { get; init; }
    public string? Error { get; init; }
    public string? ErrorsId { get; init; }
}

/// <summary>
/// 上报队列 (<c>submission_queue</c>, migration 0100): accepted uploads with their bytes, shared by every dashboard
/// instance through the database. Writes go to the primary; the status is read there too (it must see the latest state).
/// </summary>
public sealed class SubmissionQueue(WarehouseEngine engine)
{
    private const string Columns =
        "submission_id, file_name, sha256, submitted_by, kind, " +
        "rows_validated, state, queued_at, started_at, loaded_at, " +
        "visible_at, finished_at, batch_id, rows_loaded, attempts, " +
        "error, errors_id";

    public WarehouseEngine Engine => engine;

    /// <summary>Stores an accepted file as 排队中 and returns its submission id.</summary>
    public async Task<long> EnqueueAsync(string fileName, string sha256, byte[] content, string submittedBy, string? kind,
        long rowsValidated, CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        var id = Convert.ToInt64(await connection.ExecuteScalarAsync(new CommandDefinition("SELECT nextval('submission_queue_seq')", cancellationToken: ct)));
        await connection.ExecuteAsync(new CommandDefinition(engine.Sql("""
            INSERT INTO submission_queue (submission_id, file_name, sha256, content, submitted_by, kind, rows_validated, state, queued_at, attempts)
            VALUES (@id, @fileName, @sha256, @content, @submittedBy, @kind, @rowsValidated, 'queued', @now, 0)
            """), new { id, fileName, sha256, content, submittedBy, kind, rowsValidated, now = Now() }, cancellationToken: ct));
        return id;
    }

    /// <summary>One submission (null when there is none by that id).</summary>
    public async Task<QueuedSubmission?> FindAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<QueuedSubmission>(new CommandDefinition(engine.Sql(
            $"SELECT {Columns} FROM submission_queue WHERE submission_id = @id"), new { id }, cancellationToken: ct));
    }

    /// <summary>The latest submissions of one user, newest first.</summary>
    public async Task<IReadOnlyList<QueuedSubmission>> RecentAsync(string submittedBy, int limit, CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        return (await connection.QueryAsync<QueuedSubmission>(new CommandDefinition(engine.Sql(
            $"SELECT {Columns} FROM submission_queue WHERE submitted_by = @submittedBy ORDER BY submission_id DESC LIMIT {limit}"),
            new { submittedBy }, cancellationToken: ct))).ToList();
    }

    /// <summary>Whether any submission waits or was left unfinished (cheap; no lock).</summary>
    public async Task<bool> AnyOpenAsync(CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        return Convert.ToInt64(await connection.ExecuteScalarAsync(new CommandDefinition(
            "SELECT COUNT(*) FROM submission_queue WHERE state IN ('queued', 'loading', 'building')", cancellationToken: ct))) > 0;
    }

    /// <summary>Whether a submission waits (排队中) that no worker has taken yet: the next pass will have work (cheap; no lock).</summary>
    public async Task<bool> AnyWaitingAsync(CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        return Convert.ToInt64(await connection.ExecuteScalarAsync(new CommandDefinition(
            "SELECT COUNT(*) FROM submission_queue WHERE state = 'queued'", cancellationToken: ct))) > 0;
    }

    /// <summary>
    /// Takes every open submission (waiting, or left in 入库中/构建中 by a worker that died: the caller holds the build
    /// lock, under which alone submissions are worked on, so no live worker holds them) and marks it 入库中, atomically:
    /// PostgreSQL locks the rows it takes (<c>FOR UPDATE SKIP LOCKED</c>); DuckDB has one process per file.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedSubmission>> ClaimAllAsync(CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var skipLocked = engine.Name == "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
        var claimed = (await connection.QueryAsync<ClaimedSubmission>(new CommandDefinition(
            "SELECT submission_id, file_name, sha256, submitted_by, queued_at, " +
            "state AS previous_state, batch_id, attempts + 1 AS attempts FROM submission_queue " +
            $"WHERE state IN ('queued', 'loading', 'building') ORDER BY submission_id{skipLocked}", transaction: tx, cancellationToken: ct))).ToList();
        if (claimed.Count == 0) return claimed;
        // one statement for all of them (issue 15: one UPDATE and one read per file was a fixed cost of every file)
        var idList = IdList(claimed.Select(c => c.SubmissionId));
        await connection.ExecuteAsync(new CommandDefinition(engine.Sql(
            "UPDATE submission_queue SET state = CASE WHEN state = 'building' THEN 'building' ELSE 'loading' END, " +
            $"started_at = @now, attempts = attempts + 1 WHERE submission_id IN ({idList})"),
            new { now = Now() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        var contents = await ContentsAsync(connection, idList, ct);
        for (var i = 0; i < claimed.Count; i++)
            claimed[i] = claimed[i] with { Content = contents.GetValueOrDefault(claimed[i].SubmissionId) };
        return claimed;
    }

    /// <summary>Submission ids written inline (numbers only: <c>long</c> cannot carry SQL).</summary>
    private static string IdList(IEnumerable<long> ids) =>
        string.Join(", ", ids.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The files of the submissions, by id (DuckDB hands a BLOB out as a stream, Npgsql a BYTEA as bytes).</summary>
    private static async Task<Dictionary<long, byte[]>> ContentsAsync(System.Data.Common.DbConnection connection, string idList,
        CancellationToken ct)
    {
        var contents = new Dictionary<long, byte[]>();
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            $"SELECT submission_id, content FROM submission_queue WHERE submission_id IN ({idList}) AND content IS NOT NULL",
            cancellationToken: ct));
        while (await reader.ReadAsync(ct))
        {
            var id = Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
            switch (reader.GetValue(1))
            {
                case byte[] bytes: contents[id] = bytes; break;
                case Stream stream:
                    using (var copy = new MemoryStream())
                    {
                        await stream.CopyToAsync(copy, ct);
                        contents[id] = copy.ToArray();
                    }
                    break;
                case var other: throw new InvalidDataException($"submission_queue.content: unexpected {other.GetType().Name}");
            }
        }
        return contents;
    }

    /// <summary>Loaded: 构建中, with its batch and rows.</summary>
    public Task LoadedAsync(long id, long batchId, long rows, CancellationToken ct = default) => UpdateAsync(
        "state = 'building', loaded_at = @now, batch_id = @batchId, rows_loaded = @rows", new { id, batchId, rows, now = Now() }, ct);

    /// <summary>Loaded: 构建中, each with its batch and rows, in one statement (a worker pass's files; none: nothing).</summary>
    public async Task LoadedAllAsync(IReadOnlyList<(long Id, long BatchId, long Rows)> loaded, CancellationToken ct = default)
    {
        if (loaded.Count == 0) return;
        string Case(Func<(long Id, long BatchId, long Rows), long> value) => "CASE submission_id " + string.Concat(loaded.Select(l =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"WHEN {l.Id} THEN {value(l)} "))) + "END";
        await using var connection = await engine.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(engine.Sql(   // numbers only, written inline (long cannot carry SQL)
            $"UPDATE submission_queue SET state = 'building', loaded_at = @now, batch_id = {Case(l => l.BatchId)}, " +
            $"rows_loaded = {Case(l => l.Rows)} WHERE submission_id IN ({IdList(loaded.Select(l => l.Id))})"),
            new { now = Now() }, cancellationToken: ct));
    }

    /// <summary>Its figures are visible (已生效); the file is no longer kept. <paramref name="note"/> e.g. a duplicate's earlier batch.</summary>
    public Task VisibleAsync(IEnumerable<long> ids, DateTime visibleAt, string? note = null, CancellationToken ct = default) =>
        AllAsync(ids, "state = 'visible', visible_at = @at, finished_at = @at, content = NULL, error = @note", new { at = visibleAt, note }, ct);

    /// <summary>Refused by the load (已拒绝): the reason and its errors.csv; the file is no longer kept.</summary>
    public Task RejectedAsync(long id, string reason, string? errorsId, long? batchId, CancellationToken ct = default) => UpdateAsync(
        "state = 'rejected', finished_at = @now, error = @reason, errors_id = @errorsId, batch_id = @batchId, content = NULL",
        new { id, reason, errorsId, batchId, now = Now() }, ct);

    /// <summary>The build (or the standbys' replay) failed (失败), with the reason; the file is kept.</summary>
    public Task FailedAsync(IEnumerable<long> ids, string reason, CancellationToken ct = default) =>
        AllAsync(ids, "state = 'failed', finished_at = @now, error = @reason", new { reason, now = Now() }, ct);

    /// <summary>
    /// Back to 排队中 after a transient load failure, the reason kept as its note; the file is kept, and its attempts (counted
    /// as it was taken) bound how often it comes back (<see cref="SubmissionWorkerOptions.MaxAttempts"/>).
    /// </summary>
    public Task RetryAsync(IEnumerable<long> ids, string reason, CancellationToken ct = default) =>
        AllAsync(ids, "state = 'queued', error = @reason", new { reason }, ct);

    /// <summary>One UPDATE for all of <paramref name="ids"/> (none: nothing).</summary>
    private async Task AllAsync(IEnumerable<long> ids, string set, object args, CancellationToken ct)
    {
        var idList = IdList(ids);
        if (idList.Length == 0) return;
        await using var connection = await engine.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(engine.Sql($"UPDATE submission_queue SET {set} WHERE submission_id IN ({idList})"),
            args, cancellationToken: ct));
    }

    private async Task UpdateAsync(string set, object args, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(engine.Sql($"UPDATE submission_queue SET {set} WHERE submission_id = @id"),
            args, cancellationToken: ct));
    }

    /// <summary>The wall-clock time, as <c>etl_batch.loaded_at</c> records it.</summary>
    public static DateTime Now() => DateTime.Now;
}

/// <summary>A submission a worker took, with its file.</summary>
public sealed record ClaimedSubmission
{
    public long SubmissionId { get; init; }
    public string FileName { get; init; } = "";
    public string Sha256 { get; init; } = "";
    public byte[]? Content { get; init; }
    public string SubmittedBy { get; init; } = "";
    public string PreviousState { get; init; } = "";
    public long? BatchId { get; init; }

    /// <summary>When it was accepted (排队 since then).</summary>
    public DateTime QueuedAt { get; init; }

    /// <summary>How many times a worker has taken it, this time included.</summary>
    public int Attempts { get; init; }
}
