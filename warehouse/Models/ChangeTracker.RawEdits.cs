using System.Data.Common;
using Dapper;

namespace BudgetPerf.Warehouse.Models;

/// <summary>
/// The raw tables' own log of their writes (PostgreSQL, migration 0270; issue 15, the pass's fixed costs): a
/// statement-level trigger on each raw landing table appends a row to <c>runner_raw_edit</c> for every INSERT, UPDATE,
/// DELETE, TRUNCATE or COPY. A whole build reads those rows in place of a signature scan (COUNT(*), SUM(batch_id)) of
/// every raw table — 0.36 s wall, about 1 CPU-s in parallel workers, for raw_monitoring_indicator alone at province
/// scale — and deletes the rows it read in its own commit (a write committed meanwhile stays for the next build).
/// A logged table is changed as a differing signature made it; a write the signature could not see (an UPDATE keeping
/// the count and the Σ batch_id) is caught too. Raw tables without the trigger, and every table on DuckDB (no triggers;
/// its scan of one column is cheap), keep the signature.
/// </summary>
public sealed partial class ChangeTracker
{
    /// <summary>The trigger's name on every raw table (sql/migrations/0270_raw_edit_log.postgres.sql).</summary>
    public const string RawEditTrigger = "runner_raw_edit";

    /// <summary>The log rows this build read, deleted at its commit.</summary>
    private List<long> _rawEditIds = [];

    /// <summary>
    /// The raw tables whose writes are logged (the trigger is there), and those of them written since the last whole build.
    /// </summary>
    private async Task<(HashSet<string> Covered, HashSet<string> Edited)> RawEditsAsync(DbConnection connection, IReadOnlyList<string> raw)
    {
        var covered = new HashSet<string>(StringComparer.Ordinal);
        var edited = new HashSet<string>(StringComparer.Ordinal);
        if (engine.Name != "postgres") return (covered, edited);
        covered.UnionWith((await connection.QueryAsync<string>($"""
            SELECT c.relname FROM pg_trigger AS t
            INNER JOIN pg_class AS c ON c.oid = t.tgrelid
            INNER JOIN pg_namespace AS n ON n.oid = c.relnamespace
            WHERE t.tgname = '{RawEditTrigger}' AND t.tgenabled <> 'D' AND n.nspname = '{engine.DefaultSchema}'
            """)).Where(raw.Contains));
        if (covered.Count == 0) return (covered, edited);
        var rows = (await connection.QueryAsync<(long Id, string Table)>("SELECT edit_id, table_name FROM runner_raw_edit")).ToList();
        _rawEditIds = rows.Select(r => r.Id).ToList();
        edited.UnionWith(rows.Select(r => r.Table).Where(covered.Contains));
        return (covered, edited);
    }

    /// <summary>In the build's commit: the log rows read by <see cref="RawEditsAsync"/>, and only those, are gone.</summary>
    private async Task ForgetRawEditsAsync(DbConnection connection)
    {
        if (_rawEditIds.Count == 0) return;
        foreach (var chunk in _rawEditIds.Chunk(1000))
            await connection.ExecuteAsync($"DELETE FROM runner_raw_edit WHERE edit_id IN ({string.Join(", ", chunk)})");
        _rawEditIds = [];
    }
}
