namespace BudgetPerf.Warehouse.Models;

/// <summary>
/// The runner's opt-in trace (issue 15, the fixed cost per model): with <c>BUDGETPERF_TRACE_RUNNER=1</c> every built
/// node prints one line to standard error with the steps the runner spent its time on around the model's SQL (dirty check,
/// catalogue, staging, delete, insert, indexes, statistics), so a pass's per-model overhead can be read off one build.
/// </summary>
public static class RunnerTrace
{
    /// <summary>Whether the trace is on (the environment variable, read once per process).</summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("BUDGETPERF_TRACE_RUNNER") is "1" or "true";

    /// <summary>
    /// With <c>BUDGETPERF_TRACE_SQL=DIR</c> (and the trace on), each incremental model's SQL as this build runs it is
    /// written to <c>DIR/model.sql</c> (its slices' batches listed, refs named): what to give EXPLAIN ANALYZE.
    /// </summary>
    public static string? SqlDir { get; } = Environment.GetEnvironmentVariable("BUDGETPERF_TRACE_SQL") is { Length: > 0 } dir ? dir : null;

    /// <summary>Writes the model's SQL of this build to <see cref="SqlDir"/>, when the trace and that folder are set.</summary>
    public static void Sql(string node, string sql)
    {
        if (!Enabled || SqlDir is null) return;
        Directory.CreateDirectory(SqlDir);
        File.WriteAllText(Path.Combine(SqlDir, node + ".sql"), sql);
    }

    /// <summary>One node's steps, when the trace is on.</summary>
    public static void Node(string node, string status, BuildPhases steps)
    {
        if (!Enabled) return;
        var total = steps.Seconds.Sum(s => s.Seconds);
        Console.Error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"[runner] {node} {status} {total * 1000:0} ms: {string.Join(", ", steps.Seconds.Where(s => s.Seconds >= 0.0005).Select(s => $"{s.Phase} {s.Seconds * 1000:0}"))}"));
    }

    /// <summary>One step outside a node (prepare, record …), when the trace is on.</summary>
    public static void Step(string what, double seconds)
    {
        if (!Enabled) return;
        Console.Error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[runner] {what} {seconds * 1000:0} ms"));
    }
}
