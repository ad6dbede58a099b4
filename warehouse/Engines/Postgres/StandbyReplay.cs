using Npgsql;

namespace BudgetPerf.Warehouse.Engines.Postgres;

/// <summary>
/// 备库回放等待: the primary's WAL position now (<c>pg_current_wal_insert_lsn()</c>, after the build's commit) against each
/// standby's replayed position (<c>pg_last_wal_replay_lsn()</c>), polled until every reachable standby has reached it or
/// the timeout passes. A host that cannot be reached serves no reads (reads fall back to another host), so it is not
/// waited for; a host that answers and lags past the timeout is reported by name.
/// </summary>
internal static class StandbyReplay
{
    public static async Task<string?> WaitAsync(string primary, string anyHost, TimeSpan timeout, CancellationToken ct)
    {
        string target;
        await using (var connection = new NpgsqlConnection(primary))
        {
            await connection.OpenAsync(ct);
            // the insert position, not pg_current_wal_lsn() (the write position): with synchronous_commit = off a commit
            // record may not be written out yet, and the write position would stop short of it
            await using var cmd = new NpgsqlCommand("SELECT pg_current_wal_insert_lsn()::text", connection);
            target = (string)(await cmd.ExecuteScalarAsync(ct))!;
        }
        var deadline = DateTime.UtcNow + timeout;
        var lagging = new List<string>();
        foreach (var (host, cs) in Hosts(anyHost))
        {
            var replayed = await ReplayedAsync(cs, target, deadline, ct);
            if (replayed is { } lsn) lagging.Add($"{host}（已回放到 {lsn}）");
        }
        return lagging.Count == 0 ? null
            : $"构建已在主库提交（WAL {target}），但备库 {string.Join("、", lagging)} 在 {timeout.TotalSeconds:0} 秒内未回放到该位置";
    }

    /// <summary>Null when the host is the primary, unreachable, or has replayed <paramref name="target"/>; else its replayed LSN at the deadline.</summary>
    private static async Task<string?> ReplayedAsync(string connectionString, string target, DateTime deadline, CancellationToken ct)
    {
        NpgsqlConnection connection;
        try
        {
            connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
        }
        catch (NpgsqlException)
        {
            return null;   // down: reads go elsewhere
        }
        await using (connection)
        {
            await using var cmd = new NpgsqlCommand(
                "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, COALESCE(pg_last_wal_replay_lsn() >= @target::pg_lsn, false)", connection);
            cmd.Parameters.AddWithValue("target", target);
            while (true)
            {
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                if (!reader.GetBoolean(0) || reader.GetBoolean(2)) return null;
                var at = reader.IsDBNull(1) ? "无" : reader.GetString(1);
                await reader.DisposeAsync();
                if (DateTime.UtcNow >= deadline) return at;
                await Task.Delay(50, ct);
            }
        }
    }

    /// <summary>Each host of a multi-host connection string with a connection string of its own (any session type).</summary>
    private static IEnumerable<(string Host, string ConnectionString)> Hosts(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        foreach (var entry in (b.Host ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = entry.LastIndexOf(':');
            var one = new NpgsqlConnectionStringBuilder(connectionString)
            {
                Host = colon > 0 && !entry.EndsWith(']') ? entry[..colon] : entry,
                Port = colon > 0 && int.TryParse(entry[(colon + 1)..], out var port) ? port : b.Port,
                TargetSessionAttributes = null, LoadBalanceHosts = false, Pooling = false, Timeout = 3,
            };
            yield return (entry, one.ConnectionString);
        }
    }
}
