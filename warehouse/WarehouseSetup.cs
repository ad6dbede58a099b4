using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Migrations;
using BudgetPerf.Warehouse.Models;

namespace BudgetPerf.Warehouse;

/// <summary><c>budgetperf init</c>: journaled migrations, then the seeds (reference data).</summary>
public static class WarehouseSetup
{
    public sealed record InitResult(IReadOnlyList<string> MigrationsApplied, BuildResult? Seeds);

    public static async Task<InitResult> InitAsync(WarehouseEngine engine, string artifactsDir = "target", CancellationToken ct = default)
    {
        // open once through the engine first: a locked DuckDB file is reported plainly, not as a DbUp failure
        await using (await engine.OpenAsync(ct)) { }
        var applied = WarehouseMigrator.Migrate(engine);
        var project = ModelProject.Load(SqlAssets.Root, engine.Name);
        var seeds = string.Join(' ', project.Graph.Nodes.Where(n => n.Kind == NodeKind.Seed).Select(n => n.Name));
        if (seeds.Length == 0) return new InitResult(applied, null);
        var result = await new ModelRunner(engine).BuildAsync(new BuildOptions { Select = seeds, ArtifactsDir = artifactsDir }, ct);
        return new InitResult(applied, result);
    }
}
