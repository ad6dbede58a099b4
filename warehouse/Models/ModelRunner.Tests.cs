using System.Data.Common;
using Dapper;

namespace BudgetPerf.Warehouse.Models;

/// <summary>
/// The data tests of a build, run after its commit or put off (issue 15: the submission worker defers them from every
/// pass and, once the queue is empty, tests every model changed since the last tested build outside the build lock, model
/// by model on snapshots, <see cref="TestSnapshotAsync"/> in ModelRunner.Snapshot.cs, stopped by the next submission); and the same tests run on their own
/// under the caller's lock (<see cref="TestAsync"/>).
/// </summary>
public sealed partial class ModelRunner
{
    /// <summary>
    /// Runs the data tests of the models this build changed, plus <see cref="BuildOptions.AlsoTest"/> (every model with
    /// <see cref="BuildOptions.TestAll"/>), into <paramref name="results"/>; or, when <see cref="BuildOptions.DeferTests"/>
    /// says so (after the commit, or after a rollback: the submission worker never tests under the build lock), runs none
    /// and returns the models whose tests were put off.
    /// </summary>
    private async Task<IReadOnlyCollection<string>?> TestOrDeferAsync(DbConnection connection, ModelProject project,
        BuildOptions options, ChangeTracker tracker, HashSet<string> failed, List<NodeResult> results,
        List<TestFailure> failures, CancellationToken ct)
    {
        // a table rebuilt and found the same as before, or an incremental model whose slices came out as they were, has
        // nothing new to test
        var models = options.TestAll ? null : results.Where(r => r.Status == "success" && tracker.HasChanged(r.Node))
            .Select(r => r.Node).Concat(options.AlsoTest ?? []).ToHashSet(StringComparer.Ordinal);
        if (options.DeferTests is { } defer && await defer(ct))
            return models ?? project.Graph.Nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        await RunTestsAsync(connection, project, options, models, failed, results, failures, ct);
        return null;
    }

    /// <summary>
    /// The data tests of <paramref name="models"/> (null: every model) on their own, recorded in <c>run_results</c> and
    /// <c>test_failures</c> as a build's are (its own run id, test nodes only). The caller may hold the build lock
    /// (<see cref="BuildOptions.HeldLock"/>); otherwise the tests do not wait for it (they only read).
    /// </summary>
    public async Task<BuildResult> TestAsync(BuildOptions options, IReadOnlyCollection<string>? models, CancellationToken ct = default)
    {
        var project = ModelProject.Load(options.SqlRoot, engine.Name);
        var runId = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff");
        var results = new List<NodeResult>();
        var failures = new List<TestFailure>();
        var phases = new BuildPhases();
        await using var connection = await engine.OpenAsync(ct);
        await engine.PrepareTestSessionAsync(connection, options.Background, ct);
        await RunTestsAsync(connection, project, options, models?.ToHashSet(StringComparer.Ordinal), [], results, failures, ct);
        phases.Lap("tests");
        await RecordAsync(connection, runId, results, failures);
        phases.Lap("record");
        var file = WriteJson(options.ArtifactsDir, runId, results);
        return new BuildResult(runId, results, failures, file) { Phases = phases.Seconds };
    }

    /// <summary>The tests touching <paramref name="models"/> (null: all) whose relations exist.</summary>
    private async Task RunTestsAsync(DbConnection connection, ModelProject project, BuildOptions options, HashSet<string>? models,
        HashSet<string> failed, List<NodeResult> results, List<TestFailure> failures, CancellationToken ct)
    {
        var present = await ExistingAsync(connection, project.Graph.Nodes);
        var tests = project.Tests.Where(t => (models is null || t.Refs.Any(models.Contains)) && t.Refs.All(present.Contains)).ToList();
        var sessions = options.Background ? 1 : options.TestSessions ?? engine.TestSessions;
        if (sessions > 1) await RunTestListConcurrentlyAsync(connection, options, tests, failed, results, failures, sessions, ct);
        else await RunTestListAsync(connection, options, tests, failed, results, failures, ct);
    }

    /// <summary>
    /// <see cref="RunTestListAsync"/> on <paramref name="sessions"/> connections at once (issue 15, PostgreSQL's data tests
    /// after a province build): each takes the next relation's tests (the tests whose first ref it is, so a relation's
    /// one scan stays one scan) until none is left, the relations with the most tests first (the big views and facts at
    /// province scale, so that none of them is left for the end). Some of the tests' scans are one server process (the
    /// uniqueness group-by over fct_indicator_judgement's 2.9M rows, 5 s), so one session left a core idle: the province's
    /// 346 tests 19.8–23.1 s in one session, 15.9–18.1 s in two, alternated. A connection the server refuses leaves its
    /// share to the others. Results are reported in the tests' order.
    /// </summary>
    private async Task RunTestListConcurrentlyAsync(DbConnection connection, BuildOptions options, IReadOnlyList<DataTest> tests,
        HashSet<string> failed, List<NodeResult> results, List<TestFailure> failures, int sessions, CancellationToken ct)
    {
        var groups = new System.Collections.Concurrent.ConcurrentQueue<List<DataTest>>(
            tests.GroupBy(t => t.Refs[0], StringComparer.Ordinal).OrderByDescending(g => g.Count()).Select(g => g.ToList()));
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<(List<NodeResult> Results, List<TestFailure> Failures)>();
        var silent = options with { OnNode = null }; // reported below, in order, on the caller's thread
        async Task WorkAsync(DbConnection session)
        {
            while (groups.TryDequeue(out var group))
            {
                var outcome = (Results: new List<NodeResult>(), Failures: new List<TestFailure>());
                await RunTestListAsync(session, silent, group, failed, outcome.Results, outcome.Failures, ct);
                outcomes.Add(outcome);
            }
        }
        async Task OwnSessionAsync()
        {
            // no more connections (max_connections): the other sessions take the relations
            if (await OpenFurtherSessionAsync(c => engine.PrepareTestSessionAsync(c, ct: ct), ct) is not { } session) return;
            await using (session) await WorkAsync(session);
        }
        await Task.WhenAll(Enumerable.Range(1, sessions - 1).Select(_ => Task.Run(OwnSessionAsync, ct)).Append(WorkAsync(connection)));
        var byName = outcomes.SelectMany(o => o.Results).DistinctBy(r => r.Node).ToDictionary(r => r.Node, StringComparer.Ordinal);
        foreach (var test in tests)
            results.Add(Report(options, byName[test.Name]));
        var order = tests.Select((t, i) => (t.Name, i)).DistinctBy(t => t.Name).ToDictionary(t => t.Name, t => t.i, StringComparer.Ordinal);
        failures.AddRange(outcomes.SelectMany(o => o.Failures).OrderBy(f => order[f.TestName]));
    }

    /// <summary>
    /// <paramref name="tests"/> in order, each recorded in <paramref name="results"/> (a test of a model in
    /// <paramref name="failed"/> is skipped): one scan per relation for its row-by-row and relationships tests; only those
    /// it finds violated run alone (for their rows).
    /// </summary>
    private static async Task RunTestListAsync(DbConnection connection, BuildOptions options, IReadOnlyList<DataTest> tests,
        HashSet<string> failed, List<NodeResult> results, List<TestFailure> failures, CancellationToken ct)
    {
        var passing = await DataTestBatch.PassingAsync(connection, tests.Where(t => !t.Refs.Any(failed.Contains)), ct);
        foreach (var test in tests)
        {
            ct.ThrowIfCancellationRequested();
            var (result, failure) = test.Refs.Any(failed.Contains)
                ? (new NodeResult(test.Name, "test", "skipped", null, 0, null, "a parent failed", DateTime.UtcNow), null)
                : passing.TryGetValue(test.Name, out var passed) ? (passed, null)
                : await DataTestRunner.RunAsync(connection, test, ct);
            results.Add(Report(options, result));
            if (failure is not null) failures.Add(failure);
        }
    }
}
