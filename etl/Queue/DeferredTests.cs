using System.Globalization;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Etl.Queue;

/// <summary>
/// 推迟的数据测试 (issue 15): the models whose data tests the submission worker's passes put off, and their runs. A run
/// starts once the queue is empty, OUTSIDE the build lock, model by model on snapshots (<see cref="ModelRunner.TestSnapshotAsync"/>);
/// a submission that arrives stops it (queued in this process: at once, <see cref="GiveWay"/>; by another instance: seen
/// within <see cref="SubmissionWorkerOptions.TestsPollInterval"/>), and the models whose tests finished are recorded and
/// leave the untested set, so the next run does only the rest. When the oldest change still untested was put off
/// <see cref="SubmissionWorkerOptions.TestsMaxDelay"/> ago (uploads that never stop for long: a deadline week), a run no
/// longer gives way: it starts even with submissions waiting, or goes on when one arrives, and runs to its end alongside
/// the passes (it holds no build lock); the server log says so.
/// </summary>
internal sealed class DeferredTests(WarehouseEngine engine, SubmissionQueue queue, SubmissionWorkerOptions options, Action wake)
{
    /// <summary>
    /// A model put off: its changes no recorded test covers yet, oldest first (the build's run id, when it was put off).
    /// A run whose snapshot saw build S covers the changes up to S; those after it stay, with their own time, so the bound
    /// counts from the oldest change not yet tested (not from the first, already tested, one).
    /// </summary>
    private sealed class Untested(string runId, DateTime at)
    {
        public List<(string RunId, DateTime At)> Changes { get; } = [(runId, at)];
        public string ChangedIn => Changes[^1].RunId;
        public DateTime Since => Changes[0].At;

        /// <summary>Drops the changes a snapshot that saw build <paramref name="seen"/> covered (null: all); true when none is left.</summary>
        public bool Covered(string? seen)
        {
            Changes.RemoveAll(c => seen is null || string.CompareOrdinal(c.RunId, seen) <= 0);
            return Changes.Count == 0;
        }
    }

    private readonly Lock _gate = new();

    /// <summary>The models whose data tests are put off; null until known (<see cref="LoadAsync"/>).</summary>
    private Dictionary<string, Untested>? _untested;

    /// <summary>The latest build whose changed models are in <see cref="_untested"/>.</summary>
    private string _accountedThrough = "";

    /// <summary>The run under way (null: none), and how it is told to give way.</summary>
    private Task? _running;
    private CancellationTokenSource? _stop;
    private TaskCompletionSource? _detach;

    /// <summary>A run that went on alongside the passes (awaited by tests; null or completed: none).</summary>
    public Task Running => _running ?? Task.CompletedTask;

    /// <summary>The models whose tests are put off now (a copy).</summary>
    public IReadOnlyCollection<string> Models { get { lock (_gate) return _untested?.Keys.ToList() ?? []; } }

    /// <summary>A build's changed models are put off (<see cref="BuildResult.DeferredTests"/>), under the run id that changed them.</summary>
    public async Task PutOffAsync(BuildResult build, CancellationToken ct)
    {
        await LoadAsync(ct);
        var now = DateTime.UtcNow;
        lock (_gate)
        {
            foreach (var model in build.DeferredTests ?? [])
                if (_untested!.TryGetValue(model, out var u)) u.Changes.Add((build.RunId, now));
                else _untested[model] = new Untested(build.RunId, now);
            if (string.CompareOrdinal(build.RunId, _accountedThrough) > 0) _accountedThrough = build.RunId;
        }
    }

    /// <summary>
    /// A submission arrived: a run that may still give way is stopped (and the worker woken for the pass); one put off for
    /// longer than the bound goes on alongside the pass instead.
    /// </summary>
    public void GiveWay()
    {
        if (Overdue()) Volatile.Read(ref _detach)?.TrySetResult();
        else
        {
            try { Volatile.Read(ref _stop)?.Cancel(); }
            catch (ObjectDisposedException) { }
        }
    }

    /// <summary>
    /// After a pass: runs the put-off tests when the queue is empty (awaited, until stopped or sent alongside the passes), or
    /// starts them alongside the passes when overdue; nothing while a run goes on.
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (_running is { IsCompleted: false }) return;
        var models = Models;
        if (models.Count == 0) return;
        var overdue = Overdue();
        if (!overdue && await queue.AnyOpenAsync(ct)) return;
        var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var detach = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _stop, stop);
        Volatile.Write(ref _detach, detach);
        if (overdue) Log($"{Postponed()}：不再为上报让路，与上报并行测试 {models.Count} 个模型");
        var run = _running = RunToEndAsync(models, stop, detach, overdue);
        if (overdue) return;
        if (await Task.WhenAny(run, detach.Task) != run)
            Log($"{Postponed()}：有新的上报，不再让路，与上报并行测完");
        else await run;
    }

    private async Task RunToEndAsync(IReadOnlyCollection<string> models, CancellationTokenSource stop, TaskCompletionSource detach, bool alongside)
    {
        var watch = WatchQueueAsync(stop);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var run = await new ModelRunner(engine).TestSnapshotAsync(new BuildOptions
            {
                ArtifactsDir = Path.Combine(options.WorkDir, "target"), SqlRoot = options.SqlRoot, OnNode = options.OnTest,
                Background = true,
            }, models, Recorded, Complete, part => Tested(part), stop.Token);
            var left = Models.Count;
            var tests = run.Result.Nodes.Where(n => n.NodeType == "test").ToList();
            var where = alongside || detach.Task.IsCompleted ? "不占构建锁，与上报并行" : "不占构建锁";
            var failedCount = tests.Count(t => t.Status is "fail" or "error");
            var line = run.Stopped
                ? (FormattableString)$"上报队列数据测试 {clock.Elapsed.TotalSeconds:F1} 秒后中止：有新的上报；已记录 {run.TestedCount} 个模型的 {tests.Count} 个测试（未通过 {failedCount}），余 {left} 个模型待测"
                : (FormattableString)$"上报队列数据测试 {clock.Elapsed.TotalSeconds:F1} 秒（{where}）：构建 {run.Result.RunId} 的 {tests.Count} 个测试，未通过 {failedCount}，余 {left} 个模型待测；{PassTimings.BuildText(run.Result)}";
            Log(line);
            if (run.Stopped) wake();   // the submission that stopped them: the next pass at once
        }
        catch (OperationCanceledException) { }   // the worker stopping
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            Console.Error.WriteLine($"上报队列数据测试出错，稍后重试：{ex.Message}");
        }
        finally
        {
            Volatile.Write(ref _stop, null);
            Volatile.Write(ref _detach, null);
            await stop.CancelAsync();
            await watch;
            stop.Dispose();
        }
    }

    /// <summary>
    /// The tests earlier runs recorded, with the build their snapshot saw (a test touching a model left untested, e.g. a
    /// relationships test run with its other model before a stop, is not run again while none of its models changed since).
    /// </summary>
    private readonly Dictionary<string, string> _recorded = new(StringComparer.Ordinal);

    private string? Recorded(DataTest test)
    {
        lock (_gate)
            return _recorded.TryGetValue(test.Name, out var seen) && test.Refs.All(r =>
                !_untested!.TryGetValue(r, out var u) || string.CompareOrdinal(u.ChangedIn, seen) <= 0) ? seen : null;
    }

    /// <summary>The models the run tested leave the untested set (unless a build after their snapshot changed them); returns how many are left.</summary>
    private int Tested(SnapshotTests run)
    {
        lock (_gate)
        {
            var untested = _untested!;
            foreach (var (test, seen) in run.TestRuns) _recorded[test] = seen;
            foreach (var (model, seen) in run.Tested)
                if (untested.TryGetValue(model, out var u) && u.Covered(seen))
                    untested.Remove(model);
            if (untested.Count == 0) _recorded.Clear();
            return untested.Count;
        }
    }

    /// <summary>Whether nothing is left untested once the run's finished models leave (recorded with its results).</summary>
    private bool Complete(SnapshotTests run)
    {
        lock (_gate)
        {
            var left = _untested!.Where(p => !run.Tested.Any(t => t.Model == p.Key
                && (t.RunId is null || string.CompareOrdinal(p.Value.ChangedIn, t.RunId) <= 0)));
            // a build its snapshots saw whose changes are not put off here yet (committed, not yet handed over): not complete
            return !left.Any() && string.CompareOrdinal(run.LatestSeen ?? "", _accountedThrough) <= 0;
        }
    }

    private TimeSpan Delay()
    {
        lock (_gate) return _untested is { Count: > 0 } u ? DateTime.UtcNow - u.Values.Min(v => v.Since) : TimeSpan.Zero;
    }

    private bool Overdue() => Delay() >= options.TestsMaxDelay;

    /// <summary>The log lines' start once the tests are overdue: how long they were put off, and the bound.</summary>
    private string Postponed() => string.Create(CultureInfo.InvariantCulture,
        $"上报队列数据测试已推迟 {Delay().TotalSeconds:F0} 秒（上限 {options.TestsMaxDelay.TotalSeconds:F0} 秒）");

    /// <summary>
    /// What was put off before this process: nothing when the last build's tests were recorded and the latest deferred run
    /// recorded finished everything (<c>runner_deferred_tests.complete</c>); otherwise every model.
    /// </summary>
    private async Task LoadAsync(CancellationToken ct)
    {
        lock (_gate) if (_untested is not null) return;
        await using var connection = await engine.OpenAsync(ct);
        var (model, test) = await connection.QuerySingleAsync<(string? Model, string? Test)>(new CommandDefinition(
            "SELECT (SELECT MAX(run_id) FROM run_results WHERE node_type = 'model') AS model, " +
            "(SELECT MAX(run_id) FROM run_results WHERE node_type = 'test') AS test", cancellationToken: ct));
        var complete = await engine.RelationTypeAsync(connection, "runner_deferred_tests", ct) is null
            || await connection.ExecuteScalarAsync<bool?>(new CommandDefinition(
                "SELECT complete FROM runner_deferred_tests ORDER BY recorded_at DESC LIMIT 1", cancellationToken: ct)) != false;
        var tested = model is null || (test is not null && string.CompareOrdinal(test, model) >= 0 && complete);
        var all = tested ? [] : ModelProject.Load(options.SqlRoot, engine.Name).Graph.Nodes.Select(n => n.Name);
        var now = DateTime.UtcNow;
        lock (_gate)
        {
            _untested ??= all.ToDictionary(m => m, _ => new Untested("", now), StringComparer.Ordinal);
            _accountedThrough = model ?? "";
        }
    }

    /// <summary>
    /// Stops the run when a submission is open: queued by another instance (which Wake does not see), or already taken by
    /// another instance's worker (PostgreSQL: its build would wait for the tests' table locks) — unless it is overdue.
    /// </summary>
    private async Task WatchQueueAsync(CancellationTokenSource stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(options.TestsPollInterval, stop.Token);
                if (await queue.AnyOpenAsync(stop.Token)) GiveWay();
            }
        }
        catch (OperationCanceledException) { }
        catch (System.Data.Common.DbException ex)
        {
            Console.Error.WriteLine($"数据测试期间查看上报队列出错：{ex.Message}");
        }
    }

    private void Log(FormattableString line) => options.Log(line.ToString(CultureInfo.InvariantCulture));
}
