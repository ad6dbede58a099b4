using System.Data.Common;
using Dapper;

namespace BudgetPerf.Warehouse.Models;

/// <summary>A model whose data tests all finished on a snapshot that saw build <see cref="RunId"/> (null: it has no test).</summary>
public sealed record TestedModel(string Model, string? RunId);

/// <summary>
/// What <see cref="ModelRunner.TestSnapshotAsync"/> did: the tests it ran and recorded (<see cref="Result"/>, its run id the
/// latest build a snapshot saw), the models whose tests all finished, and whether it was stopped before the end.
/// </summary>
public sealed record SnapshotTests(BuildResult Result, IReadOnlyList<TestedModel> Tested, bool Stopped)
{
    /// <summary>The latest build any of its snapshots saw (null: none ran).</summary>
    public string? LatestSeen { get; init; }

    /// <summary>How many models' tests all finished (the whole run).</summary>
    public int TestedCount { get; init; }

    /// <summary>Each test recorded, with the build its snapshot saw.</summary>
    public IReadOnlyDictionary<string, string> TestRuns { get; init; } = new Dictionary<string, string>();
}

public sealed partial class ModelRunner
{
    /// <summary>
    /// The data tests of <paramref name="models"/> outside the build lock, model by model (graph order), each model's tests on
    /// one snapshot of their own (issue 15: PostgreSQL a REPEATABLE READ READ ONLY transaction, DuckDB a transaction; a
    /// snapshot holds PostgreSQL's table locks only while one model's tests run, so a build committing alongside waits for
    /// at most that). A test touching several of the models runs once, with the first of them. A model leaves the run's
    /// untested set when every test touching it finished; it is reported with the OLDEST build its tests' snapshots saw.
    /// <paramref name="ct"/> stops the run (a submission arrived): the model being tested is dropped, and the tests of every
    /// model that finished are still recorded (run_results, test_failures) under the build their snapshot saw, so the next
    /// run does only the rest (issue 15: under steady uploads a whole run never finished and nothing was recorded).
    /// <paramref name="recorded"/> names the tests an earlier run recorded that still hold (their models unchanged since
    /// the build their snapshot saw, which it returns): they are not run again and count as finished as of that build.
    /// What finished is recorded every <see cref="DeferredRecordInterval"/> too, and at the end: each time
    /// <paramref name="complete"/> says, before the record commits, whether nothing is left untested afterwards (the
    /// caller's untested set, which builds alongside may have grown; recorded with the results in
    /// <c>runner_deferred_tests</c>, in the same transaction, for a restarted worker), and <paramref name="onRecorded"/> gets
    /// the part recorded (its models and tests) once it committed.
    /// </summary>
    public async Task<SnapshotTests> TestSnapshotAsync(BuildOptions options, IReadOnlyCollection<string> models,
        Func<DataTest, string?> recorded, Func<SnapshotTests, bool> complete, Action<SnapshotTests> onRecorded, CancellationToken ct)
    {
        var project = ModelProject.Load(options.SqlRoot, engine.Name);
        var requested = models.ToHashSet(StringComparer.Ordinal);
        var phases = new BuildPhases();
        await using var connection = await engine.OpenAsync(ct);
        await engine.PrepareTestSessionAsync(connection, options.Background, ct);
        var present = await ExistingAsync(connection, project.Graph.Nodes);
        var tests = project.Tests.Where(t => t.Refs.Any(requested.Contains) && t.Refs.All(present.Contains)).ToList();
        var outstanding = requested.ToDictionary(m => m, m => tests.Count(t => t.Refs.Contains(m)), StringComparer.Ordinal);
        var oldest = new Dictionary<string, string>(StringComparer.Ordinal);
        var chunk = new DeferredChunk(new RunnerCatalog(engine));
        chunk.Tested.AddRange(outstanding.Where(o => o.Value == 0).Select(o => new TestedModel(o.Key, null)));   // nothing to test
        var done = new HashSet<string>(StringComparer.Ordinal);
        var all = new List<NodeResult>();
        var allFailures = new List<TestFailure>();
        var testedCount = 0;
        void Finished(DataTest test, string seen)
        {
            done.Add(test.Name);
            foreach (var touched in test.Refs.Where(requested.Contains).Distinct())
            {
                if (!oldest.TryGetValue(touched, out var o) || string.CompareOrdinal(seen, o) < 0) oldest[touched] = seen;
                if (--outstanding[touched] == 0) chunk.Tested.Add(new TestedModel(touched, oldest[touched]));
            }
        }
        foreach (var test in tests)   // recorded by an earlier run and still holding: finished as of the build it saw
            if (recorded(test) is { } before) Finished(test, before);
        string? latest = null;
        var stopped = false;
        var lastRecord = System.Diagnostics.Stopwatch.StartNew();
        var order = project.Graph.Order.Select(n => n.Name).Where(requested.Contains);
        foreach (var model in order.Concat(requested.Where(m => !project.Graph.Order.Any(n => n.Name == m))).Distinct())
        {
            var group = tests.Where(t => t.Refs.Contains(model) && !done.Contains(t.Name)).ToList();
            if (group.Count == 0) continue;
            var results = new List<NodeResult>();
            var failures = new List<TestFailure>();
            string seen;
            try
            {
                seen = await TestOnSnapshotAsync(connection, options, group, results, failures, ct);
            }
            catch (Exception) when (ct.IsCancellationRequested)   // DuckDB: the interrupted query's error; PostgreSQL: cancelled
            {
                stopped = true;
                break;
            }
            if (latest is null || string.CompareOrdinal(seen, latest) > 0) latest = seen;
            chunk.Add(seen, results, failures);
            all.AddRange(results);
            allFailures.AddRange(failures);
            foreach (var test in group)
            {
                Finished(test, seen);
                chunk.TestRuns[test.Name] = seen;
            }
            // what finished is recorded every few seconds too (a long run alongside the passes, a process stopped hard)
            if (lastRecord.Elapsed >= DeferredRecordInterval)
            {
                testedCount += await RecordChunkAsync(connection, chunk, latest, latest, false, complete, onRecorded);
                chunk = new DeferredChunk(chunk.Catalog);
                lastRecord.Restart();
            }
        }
        phases.Lap("tests");
        var runId = latest ?? DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff");
        // a run that finished records its row even when every test held from before
        if (chunk.Results.Count > 0 || chunk.Tested.Count > 0 || !stopped)
            testedCount += await RecordChunkAsync(connection, chunk, runId, latest, stopped, complete, onRecorded);
        phases.Lap("record");
        var file = WriteJson(options.ArtifactsDir, runId + "_tests", all);
        return new SnapshotTests(new BuildResult(runId, all, allFailures, file) { Phases = phases.Seconds }, [], stopped)
        {
            LatestSeen = latest, TestedCount = testedCount,
        };
    }

    /// <summary>How often a deferred run records what finished (besides at its end or stop).</summary>
    public static readonly TimeSpan DeferredRecordInterval = TimeSpan.FromSeconds(2);

    /// <summary>What finished since the last record: results by the build their snapshot saw, models, tests.</summary>
    private sealed class DeferredChunk(RunnerCatalog catalog)
    {
        public RunnerCatalog Catalog { get; } = catalog;
        public Dictionary<string, (List<NodeResult> Results, List<TestFailure> Failures)> ByRun { get; } = new(StringComparer.Ordinal);
        public List<NodeResult> Results { get; } = [];
        public List<TestedModel> Tested { get; } = [];
        public Dictionary<string, string> TestRuns { get; } = new(StringComparer.Ordinal);

        public void Add(string seen, List<NodeResult> results, List<TestFailure> failures)
        {
            var run = ByRun.TryGetValue(seen, out var r) ? r : ByRun[seen] = ([], []);
            run.Results.AddRange(results);
            run.Failures.AddRange(failures);
            Results.AddRange(results);
        }
    }

    /// <summary>Records a chunk (results, the run's row) in one transaction, then tells the caller; returns its models tested.</summary>
    private async Task<int> RecordChunkAsync(DbConnection connection, DeferredChunk chunk, string runId, string? latest,
        bool stopped, Func<SnapshotTests, bool> complete, Action<SnapshotTests> onRecorded)
    {
        var part = new SnapshotTests(new BuildResult(runId, chunk.Results, [], ""), chunk.Tested, stopped)
        {
            LatestSeen = latest, TestRuns = chunk.TestRuns,
        };
        await RecordDeferredAsync(connection, chunk.Catalog, chunk.ByRun, runId, chunk.Tested.Count(t => t.RunId is not null), complete(part));
        onRecorded(part);
        return chunk.Tested.Count;
    }

    /// <summary>The tests of one model on a snapshot of their own; returns the latest build the snapshot saw.</summary>
    private async Task<string> TestOnSnapshotAsync(DbConnection connection, BuildOptions options, List<DataTest> tests,
        List<NodeResult> results, List<TestFailure> failures, CancellationToken ct)
    {
        await using var snapshot = engine.Name == "postgres"
            ? await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct)
            : await connection.BeginTransactionAsync(ct);
        if (engine.Name == "postgres") await connection.ExecuteAsync("SET TRANSACTION READ ONLY");
        // the first query takes the snapshot (PostgreSQL): the build it sees is the build these tests test
        var seen = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT MAX(run_id) FROM run_results WHERE node_type = 'model'", cancellationToken: ct))
            ?? DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff");
        await RunTestListAsync(connection, options, tests, [], results, failures, ct);
        ct.ThrowIfCancellationRequested();   // a test that returned as the run was stopped: the model is not finished
        await snapshot.RollbackAsync(CancellationToken.None);   // it wrote nothing
        return seen;
    }

    /// <summary>
    /// The results of each snapshot under the build it saw, and the run's row in <c>runner_deferred_tests</c>, in one
    /// transaction (not cancelled: a stopped run records what finished before its pass goes on).
    /// </summary>
    private async Task RecordDeferredAsync(DbConnection connection, RunnerCatalog catalog,
        Dictionary<string, (List<NodeResult> Results, List<TestFailure> Failures)> byRun, string latest, int models, bool complete)
    {
        await using var tx = await connection.BeginTransactionAsync();
        foreach (var (runId, run) in byRun) await InsertResultsAsync(connection, catalog, runId, run.Results, run.Failures);
        var columns = await catalog.ColumnsAsync(connection, "runner_deferred_tests");
        if (columns.Count > 0)   // a warehouse not yet migrated (0265) records the results only
            await engine.BulkInsertAsync(connection, "runner_deferred_tests", columns,
                [new object?[] { latest, models, complete, DateTime.UtcNow }]);
        await tx.CommitAsync();
    }
}
