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
}
