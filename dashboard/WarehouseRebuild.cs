using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;

namespace BudgetPerf.Dashboard;

/// <summary>
/// The dashboard's model builds after a change (an upload, a 政策参数 change): one at a time, artifacts under the temp
/// directory (the content root may be read-only).
/// </summary>
public sealed class WarehouseRebuild(WarehouseEngine engine)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _artifacts = Path.Combine(Path.GetTempPath(), "budgetperf-uploads", "target");

    public Task<BuildResult> RunAsync(CancellationToken ct = default) => RunAsync(null, ct);

    /// <summary>Builds the <paramref name="select"/>ion (dbt-style, e.g. <c>regulation_current+</c>), or everything when null.</summary>
    public async Task<BuildResult> RunAsync(string? select, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _artifacts, Select = select }, ct);
        }
        finally
        {
            _gate.Release();
        }
    }
}
