using System.Diagnostics;
using System.Globalization;
using System.Text;
using BudgetPerf.Warehouse.Models;

namespace BudgetPerf.Etl.Queue;

/// <summary>
/// 一轮处理耗时 (issue 15): where the time of one worker pass went, for the operator's log — how long its submissions
/// waited in the queue, the lock, taking them, each load, the build's phases (change tracking, the models with the
/// slowest named, the commit that makes them visible, the data tests it puts off) and marking them 已生效; and the
/// upload-to-visible time of its submissions. One line per pass.
/// </summary>
public sealed class PassTimings
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Phase, double Seconds)> _phases = [];
    private IReadOnlyDictionary<string, TimeSpan> _loadSteps = new Dictionary<string, TimeSpan>();
    private int _files;
    private TimeSpan _last;

    /// <summary>Ends the pass's phase <paramref name="name"/> now.</summary>
    public void Lap(string name)
    {
        var now = _clock.Elapsed;
        _phases.Add((name, (now - _last).TotalSeconds));
        _last = now;
    }

    /// <summary>Where the load of the pass's files went (<see cref="PassLoad"/>: rights, read + validate, append, record the outcomes, marks).</summary>
    internal void Steps(IReadOnlyDictionary<string, TimeSpan> steps, int files)
    {
        _loadSteps = steps;
        _files = files;
    }

    /// <summary>The pass in one line (Chinese labels, seconds with one decimal, the build's phases in English as in run_results).</summary>
    public string Describe(IReadOnlyList<ClaimedSubmission> claimed, WorkerPass pass, DateTime? visibleAt)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"上报队列一轮 {_clock.Elapsed.TotalSeconds:F1} 秒：{claimed.Count} 个文件（已生效 {pass.Visible.Count}，");
        text.Append(CultureInfo.InvariantCulture, $"已拒绝 {pass.Rejected.Count}，失败 {pass.Failed.Count}）");
        if (pass.Retried.Count > 0) text.Append(CultureInfo.InvariantCulture, $"；暂时性失败待重试 {pass.Retried.Count}");
        if (claimed.Count > 0)
        {
            var waited = claimed.Select(c => Math.Max(0, (DateTime.Now - c.QueuedAt).TotalSeconds - _clock.Elapsed.TotalSeconds)).ToList();
            text.Append(CultureInfo.InvariantCulture, $"；排队 最长 {waited.Max():F1} 秒");
            if (visibleAt is { } at)
            {
                var toVisible = claimed.Select(c => (at - c.QueuedAt).TotalSeconds).Order().ToList();
                text.Append(CultureInfo.InvariantCulture, $"；受理→生效 {toVisible[0]:F1}–{toVisible[^1]:F1} 秒");
            }
        }
        foreach (var (phase, seconds) in _phases)
        {
            text.Append(CultureInfo.InvariantCulture, $"；{phase} {seconds:F2}");
            if (phase == "load" && _files > 0)
                text.Append(CultureInfo.InvariantCulture, $"（{_files} 个，每个 {seconds / _files:F2}：")
                    .AppendJoin("，", _loadSteps.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value.TotalSeconds:F2}")))
                    .Append('）');
            if (phase == "build" && pass.Build is { } build) text.Append(" [").Append(BuildText(build)).Append(']');
        }
        return text.ToString();
    }

    /// <summary>The build's phases, its five slowest models and what its models and tests did.</summary>
    public static string BuildText(BuildResult build)
    {
        var parts = build.Phases.Where(p => p.Seconds >= 0.005).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Phase} {p.Seconds:F2}")).ToList();
        var models = build.Nodes.Where(n => n.NodeType is "model" or "seed").ToList();
        var built = models.Where(n => n.Status == "success").ToList();
        var slowest = built.OrderByDescending(n => n.Seconds).Take(5)
            .Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.Node} {n.Seconds:F2}{Mode(n)}"));
        var tests = build.Nodes.Where(n => n.NodeType == "test").ToList();
        parts.Add($"models {built.Count} built / {models.Count(n => n.Status == "unchanged")} unchanged: " + string.Join(", ", slowest));
        parts.Add(build.DeferredTests is { } deferred
            ? $"tests deferred ({deferred.Count} models: after the pass, outside the build lock)"
            : string.Create(CultureInfo.InvariantCulture, $"tests {tests.Count} run in {tests.Sum(t => t.Seconds):F2}"));
        return string.Join("; ", parts);
    }

    private static string Mode(NodeResult node) => node.Message switch
    {
        null => "",
        var m when m.StartsWith("incremental", StringComparison.Ordinal) => " incr",
        var m when m.StartsWith("rebuilt", StringComparison.Ordinal) || m.StartsWith("full", StringComparison.Ordinal) => " full",
        _ => "",
    };
}
