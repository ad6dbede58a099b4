using System.Diagnostics;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Etl.Validation;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Engines.Postgres;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Etl.Queue;

/// <summary>How a <see cref="SubmissionWorker"/> runs.</summary>
public sealed record SubmissionWorkerOptions
{
    /// <summary>
    /// Where the build writes <c>run_results_*.json</c> and where taken files are written for the loader (a folder per
    /// submission id). Default: a folder of this worker's own: two servers of different warehouses on one machine (or two
    /// test hosts in one run) number their submissions from 1 alike, and one deleted the other's taken file before its load.
    /// </summary>
    public string WorkDir { get; init; } = Path.Combine(Path.GetTempPath(), "budgetperf-uploads", "worker-" + Guid.NewGuid().ToString("N"));

    /// <summary>How often an idle worker looks at the queue (other instances' uploads do not wake it).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the standbys may take to replay a build before the submissions are reported failed.</summary>
    public TimeSpan ReplayTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times a submission may be taken (each taking interrupted, e.g. by a crash) before it is 失败.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>How often deferred data tests look whether a submission arrived (and stop for it).</summary>
    public TimeSpan TestsPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long the data tests a pass put off may keep giving way to submissions (issue 15: in a deadline week uploads
    /// never stop for long, and tests that always give way never record a violation). Once the oldest change still untested
    /// was put off this long ago, the tests run to their end alongside the passes (outside the build lock, on snapshots)
    /// and no longer stop for an upload; the server log says so. Default 300 s: a run of every model's tests takes
    /// 13–20 s of a core on PostgreSQL at province scale, taken from the readers and the passes of a 2-core server; once a
    /// minute through a deadline week that is a fifth of a core, once in five minutes a twentieth.
    /// </summary>
    public TimeSpan TestsMaxDelay { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// 汇集 (issue 15): a pass that starts after the queue was empty also waits until no file was queued in this process for
    /// this long, so the files of a burst whose validation has not begun yet ride it instead of the next pass. A burst's
    /// first pass took the 2–7 of 20 simultaneous uploads that were validated first (the rest arrived 0.1–0.2 s later and
    /// waited the whole pass, 4–5 s at province scale, for the next). Every pass waits for the files already being
    /// validated in this process when it starts (<see cref="SubmissionWorker.Arriving"/>). Both capped by <see cref="GatherMax"/>.
    /// </summary>
    public TimeSpan GatherQuiet { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>The longest a pass waits for the files still arriving (<see cref="GatherQuiet"/>); zero: it never waits.</summary>
    public TimeSpan GatherMax { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Called as each deferred data test finishes (progress; the tests watch it).</summary>
    public Action<NodeResult>? OnTest { get; init; }

    /// <summary>The audit-log action of each loaded or refused file.</summary>
    public string AuditAction { get; init; } = "upload";

    /// <summary>The model build (a test may replace it, e.g. with a build of a broken project copy).</summary>
    public Func<WarehouseEngine, BuildOptions, CancellationToken, Task<BuildResult>> Build { get; init; } =
        (engine, options, ct) => new ModelRunner(engine).BuildAsync(options, ct);

    /// <summary>The models and tests the worker's builds and deferred data tests read (a test may give a copy of sql/).</summary>
    public string SqlRoot { get; init; } = SqlAssets.Root;

    /// <summary>Where each pass's timing line goes (<see cref="PassTimings"/>; the dashboard: its log at Information).</summary>
    public Action<string> Log { get; init; } = Console.WriteLine;
}

/// <summary>What one pass of the worker did.</summary>
public sealed record WorkerPass(IReadOnlyList<long> Visible, IReadOnlyList<long> Rejected, IReadOnlyList<long> Failed, BuildResult? Build)
{
    /// <summary>Put back in the queue after a transient load failure (taken again by a later pass; not in <see cref="Count"/>).</summary>
    public IReadOnlyList<long> Retried { get; init; } = [];

    public static readonly WorkerPass Idle = new([], [], [], null);
    public int Count => Visible.Count + Rejected.Count + Failed.Count;
}

/// <summary>
/// 上报队列处理: under the build lock, takes EVERY open submission, loads them (<see cref="PassLoad"/>: every file read and
/// validated first, then the valid ones appended in one transaction, each audited as the upload it is), then builds once (one transaction: readers see the marts before or after, never between), waits for
/// the standbys to replay the build, and marks them 已生效 with the time their figures became visible. A build that fails
/// leaves the marts as they were, marks the submissions 失败 with the reason and takes their batches out of the warehouse
/// (<c>etl_batch.status = 'build_failed'</c>, so a later build does not show figures reported as failed).
/// A worker that dies leaves its submissions 入库中/构建中; the next one to hold the build lock takes them again
/// (a file loaded already is found by its SHA-256 and not loaded twice).
/// </summary>
public sealed class SubmissionWorker(WarehouseEngine engine, SubmissionWorkerOptions? options = null)
{
    private readonly SubmissionWorkerOptions _options = options ?? new SubmissionWorkerOptions();
    private readonly SubmissionQueue _queue = new(engine);
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);

    /// <summary>The data tests the passes put off, and their runs (<see cref="DeferredTests"/>).</summary>
    private DeferredTests Deferred => _deferred ??= new DeferredTests(engine, _queue, _options, Wake);
    private DeferredTests? _deferred;

    /// <summary>One loader for every pass (it reads the landing tables' columns once).</summary>
    private readonly SubmissionLoader _loader = new(engine);

    /// <summary>The engine setting the first build since the last checkpoint put off (DuckDB checkpoint_threshold), or null.</summary>
    private string? _pendingCheckpoint;

    /// <summary>When a file was last queued in this process (<see cref="Stopwatch"/> ticks; 0: none yet).</summary>
    private long _lastQueued;

    /// <summary>Whether the last pass found the queue empty: the next one starts a burst and gathers it first.</summary>
    private bool _idle = true;

    /// <summary>The files being validated in this process now, by ticket (<see cref="Arriving"/>), and the last ticket given.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, bool> _arriving = new();
    private long _arrivals;

    /// <summary>
    /// A file is being validated in this process and may be queued in a moment: a pass starting now waits for it
    /// (<see cref="SubmissionWorkerOptions.GatherMax"/> at most). Dispose once it is queued or answered.
    /// </summary>
    public IDisposable Arriving()
    {
        var ticket = Interlocked.Increment(ref _arrivals);
        _arriving[ticket] = true;
        return new Arrival(() => _arriving.TryRemove(ticket, out _));
    }

    private sealed class Arrival(Action done) : IDisposable
    {
        private Action? _done = done;

        public void Dispose() => Interlocked.Exchange(ref _done, null)?.Invoke();
    }

    /// <summary>Tells an idle worker that a submission was queued in this process.</summary>
    public void Wake()
    {
        Volatile.Write(ref _lastQueued, Stopwatch.GetTimestamp());
        if (_wake.CurrentCount == 0) _wake.Release();
        _deferred?.GiveWay();   // deferred data tests running: they give way (unless put off too long)
    }

    /// <summary>Runs passes until cancelled; a pass that throws is retried after the poll interval.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await RunPassesAsync(ct);
        }
        finally
        {
            // deferred data tests that went on alongside the passes: stopped with the worker (what finished is recorded)
            try { await Deferred.Running; }
            catch (OperationCanceledException) { }
            // a checkpoint still put off when the worker stops (the server shutting down): written back now, best effort
            try { await CheckpointAsync(CancellationToken.None); }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or IOException) { }
        }
    }

    private async Task RunPassesAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if ((await RunOnceAsync(ct)).Count > 0) continue;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"上报队列处理出错，稍后重试：{ex.Message}");
            }
            try
            {
                await _wake.WaitAsync(_options.PollInterval, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One pass: every open submission into one load + one build (nothing when the queue is empty); then, the build lock
    /// released and the queue empty, the data tests put off (<see cref="DeferredTests"/>: awaited until done or stopped;
    /// put off longer than <see cref="SubmissionWorkerOptions.TestsMaxDelay"/>, they go on alongside the next passes).
    /// </summary>
    public async Task<WorkerPass> RunOnceAsync(CancellationToken ct = default)
    {
        var pass = await PassAsync(ct);
        await Deferred.RunAsync(ct);
        return pass;
    }

    /// <summary>Deferred data tests going on alongside the passes (completed: none).</summary>
    public Task DeferredTestsRunning => Deferred.Running;

    private async Task<WorkerPass> PassAsync(CancellationToken ct)
    {
        if (!await _queue.AnyOpenAsync(ct))
        {
            _idle = true;
            await CheckpointAsync(ct);
            return WorkerPass.Idle;
        }
        var timings = new PassTimings();
        await GatherAsync(_idle, ct);
        _idle = false;
        timings.Lap("gather");
        await using var buildLock = await engine.AcquireBuildLockAsync(ct);
        timings.Lap("lock");
        var claimed = await _queue.ClaimAllAsync(ct);
        if (claimed.Count == 0) return WorkerPass.Idle;
        timings.Lap("claim");
        var poisoned = claimed.Where(c => c.Attempts > _options.MaxAttempts).Select(c => c.SubmissionId).ToList();
        if (poisoned.Count > 0)   // a file that ends every pass that takes it (a crash each time) must not stop the queue
        {
            await _queue.FailedAsync(poisoned, $"已处理 {_options.MaxAttempts} 次均未完成，不再重试", ct);
            claimed = [.. claimed.Where(c => !poisoned.Contains(c.SubmissionId))];
        }

        var loaded = new List<(long Id, long BatchId)>();
        var visible = new List<(long Id, string Note)>();
        // a duplicate of a file loaded in this same pass follows that file's outcome: visible when its build succeeds,
        // failed with the same reason when it fails (its figures are the original's, which the failed build took out)
        var following = new List<(long Id, string Note)>();
        var rejected = new List<long>();
        var load = new PassLoad(engine, _loader, _queue, _options);
        foreach (var outcome in await load.LoadAsync(claimed, ct))
        {
            switch (outcome)
            {
                case { Status: LoadStatus.Loaded, BatchId: { } batch }: loaded.Add((outcome.Id, batch)); break;
                case { Status: LoadStatus.Duplicate, BatchId: var batch, Note: { } note } when loaded.Exists(l => l.BatchId == batch):
                    following.Add((outcome.Id, note));
                    break;
                case { Status: LoadStatus.Duplicate, Note: { } note }: visible.Add((outcome.Id, note)); break;
                default: rejected.Add(outcome.Id); break;
            }
        }
        timings.Steps(load.Steps, claimed.Count);
        timings.Lap("load");
        BuildResult? build = null;
        var failed = new List<long>();
        DateTime? visibleAt = null;
        if (loaded.Count > 0)
        {
            Directory.CreateDirectory(_options.WorkDir);
            // no checkpoint per pass (issue 15: a fixed cost of every pass in a burst): one when the queue is empty
            // the data tests never run under the build lock (issue 15: they never gated visibility, but held the next pass
            // back): every pass puts them off, and they run after it, outside the lock, once the queue is empty
            build = await BuildAsync(new BuildOptions
            {
                ArtifactsDir = Path.Combine(_options.WorkDir, "target"), HeldLock = buildLock, Checkpoint = false,
                SqlRoot = _options.SqlRoot, DeferTests = PutOff, Background = true,
            }, ct);
            _pendingCheckpoint ??= build.PendingCheckpoint;
            if (build.FullRefreshReason is { } why) _options.Log(why);
            await Deferred.PutOffAsync(build, ct);   // its changed models, with those put off before
            timings.Lap("build");
            List<long> ids = [.. loaded.Select(l => l.Id), .. following.Select(f => f.Id)];
            if (build.Nodes.Any(n => n.Status == "error"))
            {
                var reason = "构建失败，数仓保持构建前的状态：" + string.Join("；", build.Nodes.Where(n => n.Status == "error").Select(n => $"{n.Node}: {n.Message}"));
                await BuildFailedAsync(loaded.Select(l => l.BatchId), ct);
                await _queue.FailedAsync(ids, reason, ct);
                failed.AddRange(ids);
                ids = [];
            }
            else if (await engine.WaitForReplayAsync(_options.ReplayTimeout, ct) is { } lag)
            {
                await _queue.FailedAsync(ids, lag, ct);
                failed.AddRange(ids);
                ids = [];
            }
            if (ids.Count > 0)
            {
                // readers see the build from its commit (the data tests and the checkpoint after it do not hide it: on
                // PostgreSQL at province scale the data tests after the commit take minutes); with standbys, from when the
                // last of them replayed it
                var standbys = engine is PostgresEngine pg && pg.ReadConnectionString != pg.ConnectionString;
                var at = !standbys && build.CommittedAt is { } committed ? committed : SubmissionQueue.Now();
                visibleAt = at;
                await _queue.VisibleAsync(loaded.Select(l => l.Id), at, null, ct);
                foreach (var same in following.GroupBy(f => f.Note)) await _queue.VisibleAsync(same.Select(f => f.Id), at, same.Key, ct);
                visible.AddRange(following);
            }
        }
        var now = SubmissionQueue.Now();
        foreach (var same in visible.Except(following).GroupBy(v => v.Note)) await _queue.VisibleAsync(same.Select(v => v.Id), now, same.Key, ct);
        timings.Lap("mark");
        var pass = new WorkerPass([.. loaded.Select(l => l.Id).Except(failed), .. visible.Select(v => v.Id)], rejected,
            [.. failed, .. load.Failed, .. poisoned], build) { Retried = load.Retried };
        _options.Log(timings.Describe(claimed, pass, visibleAt));
        return pass;
    }

    /// <summary>
    /// Waits for the files being validated in this process when the pass starts and, after an empty queue
    /// (<paramref name="afterIdle"/>), until no file was queued here for <see cref="SubmissionWorkerOptions.GatherQuiet"/>;
    /// at most <see cref="SubmissionWorkerOptions.GatherMax"/> (other instances' files are not seen: they ride the next pass).
    /// </summary>
    private async Task GatherAsync(bool afterIdle, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var lastTicket = Interlocked.Read(ref _arrivals);
        while (_options.GatherMax - Stopwatch.GetElapsedTime(started) is var allowed && allowed > TimeSpan.Zero)
        {
            var quiet = afterIdle && Volatile.Read(ref _lastQueued) is var last and not 0
                ? _options.GatherQuiet - Stopwatch.GetElapsedTime(last) : TimeSpan.Zero;
            var validating = _arriving.Keys.Any(ticket => ticket <= lastTicket);
            if (quiet <= TimeSpan.Zero && !validating) return;
            var wait = validating ? TimeSpan.FromMilliseconds(10) : quiet;
            await Task.Delay(wait < allowed ? wait : allowed, ct);
        }
    }

    /// <summary>
    /// The checkpoint the passes put off (DuckDB: the commits written back to the file, the threshold restored), run under
    /// the build lock once the queue is empty; a reader's open transaction makes DuckDB refuse it, and the next commit past
    /// the threshold checkpoints instead.
    /// </summary>
    public async Task CheckpointAsync(CancellationToken ct = default)
    {
        if (_pendingCheckpoint is not { } setting) return;
        await using var buildLock = await engine.AcquireBuildLockAsync(ct);
        await using var connection = await engine.OpenAsync(ct);
        await engine.CheckpointAsync(connection, setting);
        _pendingCheckpoint = null;
    }

    private static Task<bool> PutOff(CancellationToken ct) => Task.FromResult(true);

    /// <summary>How many times a build that PostgreSQL ended as a deadlock victim (or a serialization failure) is run.</summary>
    public const int BuildAttempts = 3;

    /// <summary>
    /// The build, run again when it failed only because PostgreSQL chose it as a deadlock victim (SQLSTATE 40P01: the build
    /// holds each replaced table exclusively until its commit, and a reader's query holding one table while it waits for
    /// another closes the cycle) or as a serialization failure (40001). The failed build rolled back whole, so running it
    /// again is what PostgreSQL asks for; <c>bench submissions --engine postgres</c> hit it with 5 readers.
    /// </summary>
    private async Task<BuildResult> BuildAsync(BuildOptions options, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var build = await _options.Build(engine, options, ct);
            var errors = build.Nodes.Where(n => n.Status == "error").ToList();
            if (errors.Count == 0 || attempt >= BuildAttempts || !errors.All(IsTransient)) return build;
            Console.Error.WriteLine($"构建第 {attempt} 次因死锁/串行化冲突回滚，重新构建：{errors[0].Node}");
        }
    }

    private static bool IsTransient(NodeResult node) =>
        node.Message is { } m && (m.Contains(": 40P01:", StringComparison.Ordinal) || m.Contains(": 40001:", StringComparison.Ordinal));

    /// <summary>The batches of a failed build leave the warehouse's current data (a resubmission loads them anew).</summary>
    private async Task BuildFailedAsync(IEnumerable<long> batchIds, CancellationToken ct)
    {
        var idList = string.Join(", ", batchIds.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (idList.Length == 0) return;
        await using var connection = await engine.OpenAsync(ct);
        await Dapper.SqlMapper.ExecuteAsync(connection, new Dapper.CommandDefinition(   // numbers only, written inline
            $"UPDATE etl_batch SET status = 'build_failed' WHERE batch_id IN ({idList})", cancellationToken: ct));
    }
}
