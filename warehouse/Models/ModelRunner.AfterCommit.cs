using System.Data.Common;

namespace BudgetPerf.Warehouse.Models;

/// <summary>
/// What a PostgreSQL build does after its commit, still under the build lock and before its data tests (issue 15, the
/// full build at province scale ≤ 90 s visible-after): the work readers do not wait for.
/// <list type="bullet">
/// <item>The statistics of a leaf table made new in this build (a mart no other model reads: mart_indicator_correction,
/// mart_cut_takeback, mart_trends …). Inside the build every table is analysed before the next model reads it, because the
/// next model's plan needs it; a leaf has no next model, so its ANALYZE (0.8 s for mart_indicator_correction's 660,481
/// rows) moves after the commit. Readers planning in between see the table's size from its pages, as they would for any
/// table between a COPY and autovacuum; the seconds after the commit are the only ones without its column statistics.</item>
/// <item>The indexes only builds use (<see cref="ModelIndexes.DeferredOf"/>: an incremental model's entity index, the
/// staging models' indexes), made again at the start of a build that finds one missing.</item>
/// </list>
/// </summary>
public sealed partial class ModelRunner
{
    /// <summary>The leaf tables made new in this build whose ANALYZE waits for the commit.</summary>
    private readonly List<string> _analyzeAfterCommit = [];

    /// <summary>
    /// Whether the node's statistics are taken after the commit: a table made new in this build (a table model, or an
    /// incremental one recomputed in full) that no model reads, on PostgreSQL. An incremental model changed in place keeps
    /// <see cref="Engines.WarehouseEngine.AnalyzeAsync"/>'s rule inside the build (analysed only when a tenth changed).
    /// </summary>
    private bool AnalyzesAfterCommit(ModelProject project, ModelNode node, bool madeNew) =>
        engine.Name == "postgres" && madeNew && node.Kind == NodeKind.Model && !HasChildren(project, node);

    private async Task AfterCommitAsync(DbConnection connection, ModelProject project, BuildPhases phases, CancellationToken ct)
    {
        // outside a transaction AnalyzeAsync always analyses: these tables are new, their statistics are due
        foreach (var table in _analyzeAfterCommit) await engine.AnalyzeAsync(connection, table, ct);
        phases.Lap("analyze after");
        await ModelIndexes.EnsureDeferredAsync(engine, connection, project.Graph, ct);
        phases.Lap("indexes after");
    }
}
