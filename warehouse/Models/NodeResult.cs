namespace BudgetPerf.Warehouse.Models;

/// <summary>What happened to one seed, model or test in a build (a row of <c>run_results</c>).</summary>
public sealed record NodeResult(
    string Node,
    string NodeType,
    string Status,
    long? Rows,
    decimal Seconds,
    string? SqlSha256,
    string? Message,
    DateTime StartedAt)
{
    public bool Failed => Status is "error" or "fail";
}

/// <summary>A data test that returned rows: the count and the first rows (capped), as JSON objects.</summary>
public sealed record TestFailure(string TestName, long FailureCount, IReadOnlyList<string> Rows);

/// <summary>The outcome of <c>budgetperf build</c>.</summary>
public sealed record BuildResult(string RunId, IReadOnlyList<NodeResult> Nodes, IReadOnlyList<TestFailure> Failures, string ResultsFile)
{
    public bool Success => Nodes.All(n => !n.Failed);

    /// <summary>When the build's transaction committed (local time, as the queue records it): the moment readers see it.</summary>
    public DateTime? CommittedAt { get; init; }

    /// <summary>
    /// With <see cref="BuildOptions.Checkpoint"/> false: the engine setting to restore in the checkpoint the caller runs
    /// later (<see cref="Engines.WarehouseEngine.CheckpointAsync"/>), or null when there is none to run.
    /// </summary>
    public string? PendingCheckpoint { get; init; }

    /// <summary>
    /// Where the build's time went, in order (seconds): lock (waiting for the build lock), prepare (changed batches,
    /// change tracking), models, bi, state (fingerprints and watermark), commit, tests, record (run_results), checkpoint.
    /// </summary>
    public IReadOnlyList<(string Phase, double Seconds)> Phases { get; init; } = [];

    /// <summary>The models whose data tests this build put off (<see cref="BuildOptions.DeferTests"/>); null: they ran.</summary>
    public IReadOnlyCollection<string>? DeferredTests { get; init; }

    /// <summary>Why a build asked as incremental ran as a full refresh (<see cref="WideChange"/>); null: it did not.</summary>
    public string? FullRefreshReason { get; init; }
}

/// <summary>A build's phases timed one after the other (<see cref="BuildResult.Phases"/>).</summary>
public sealed class BuildPhases
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly List<(string, double)> _seconds = [];
    private TimeSpan _last;

    public IReadOnlyList<(string Phase, double Seconds)> Seconds => _seconds;

    /// <summary>Ends the phase <paramref name="name"/> now (the time since the previous lap).</summary>
    public void Lap(string name)
    {
        var now = _clock.Elapsed;
        _seconds.Add((name, (now - _last).TotalSeconds));
        _last = now;
    }
}
