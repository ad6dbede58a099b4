using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;

namespace BudgetPerf.Dashboard;

/// <summary>
/// The dashboard's model builds after a change (a 政策参数 change, a regulation table; uploads are built by the
/// submission queue's worker): artifacts under the temp directory (the content root may be read-only). One build at a
/// time is the runner's build lock (a database lock on PostgreSQL), whichever instance asks.
/// </summary>
public sealed class WarehouseRebuild(WarehouseEngine engine)
{
    private readonly string _artifacts = Path.Combine(Path.GetTempPath(), "budgetperf-uploads", "target");

    public Task<BuildResult> RunAsync(CancellationToken ct = default) => RunAsync(null, ct);

    /// <summary>Builds the <paramref name="select"/>ion (dbt-style, e.g. <c>regulation_current+</c>), or everything when null.</summary>
    public async Task<BuildResult> RunAsync(string? select, CancellationToken ct = default)
        => await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _artifacts, Select = select }, ct);
}
