using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration.Incremental;

/// <summary>
/// Raw rows changed by hand, outside any batch (issue 15, the change tracker): no changed batch names them, yet a full
/// refresh reads them, so the incremental build must too. DuckDB finds a deletion by the raw table's signature (rows,
/// Σ batch_id); PostgreSQL by the raw table's trigger (runner_raw_edit, migration 0270), which also sees an UPDATE that
/// keeps the signature, and forgets what it read once the build commits.
/// </summary>
public sealed partial class IncrementalBuildTests
{
    private static async Task HandEditsAsync(string engineName, WarehouseEngine incremental, WarehouseEngine full, Sequence sequence)
    {
        // the two first projects holding current indicator rows (the same codes in both warehouses)
        string[] projects;
        await using (var connection = await full.OpenAsync())
            projects = (await connection.QueryAsync<string>(
                "SELECT DISTINCT entity_code FROM fct_indicator_judgement WHERE entity_kind = 'project' ORDER BY entity_code LIMIT 2")).ToArray();
        Assert.Equal(2, projects.Length);

        // step 15: one indicator row of the first project deleted by hand (its level3 the first in order)
        await BothAsync(incremental, full, $"""
            DELETE FROM raw_monitoring_indicator WHERE project_code = '{projects[0]}'
                AND level3 = (SELECT min(level3) FROM raw_monitoring_indicator WHERE project_code = '{projects[0]}')
            """);
        var deleted = await sequence.BuildAndCompareAsync("an indicator row deleted by hand");
        Assert.Equal("success", deleted.Single(n => n.Node == "fct_indicator_judgement").Status);

        if (engineName != "postgres") return;
        await using (var connection = await incremental.OpenAsync())
            Assert.Equal(0L, Convert.ToInt64(await connection.ExecuteScalarAsync("SELECT COUNT(*) FROM runner_raw_edit")));

        // step 16 (PostgreSQL): the second project's 完成目标可能性 rewritten by hand — as many rows, the same Σ batch_id,
        // so a signature would not see it; the trigger's log does, and the full refresh reads the new text (which lights
        // every indicator of the project red: the judgement and the marts over it change)
        await BothAsync(incremental, full, $"UPDATE raw_monitoring_indicator SET possibility = '完全不可能' WHERE project_code = '{projects[1]}'");
        var updated = await sequence.BuildAndCompareAsync("an indicator's 完成目标可能性 rewritten by hand");
        Assert.Equal("success", updated.Single(n => n.Node == "fct_indicator_judgement").Status);
        // the edit reached the facts (the comparison above found them equal to the full refresh's)
        await using (var connection = await incremental.OpenAsync())
            Assert.True(Convert.ToInt64(await connection.ExecuteScalarAsync(
                $"SELECT COUNT(*) FROM fct_indicator_judgement WHERE entity_code = '{projects[1]}' AND possibility = '完全不可能' AND light = 'red'")) > 0);

        // step 17: nothing written since: the log read by step 16's build is gone, and the facts stay as they are
        var quiet = await sequence.BuildAndCompareAsync("nothing changed after the hand edits");
        Assert.Equal("unchanged", quiet.Single(n => n.Node == "fct_indicator_judgement").Status);
    }

    private static async Task BothAsync(WarehouseEngine incremental, WarehouseEngine full, string sql)
    {
        foreach (var engine in new[] { incremental, full })
        {
            await using var connection = await engine.OpenAsync();
            Assert.True(await connection.ExecuteAsync(sql) > 0, $"{engine.Name}: {sql} changed no row");
        }
    }
}
