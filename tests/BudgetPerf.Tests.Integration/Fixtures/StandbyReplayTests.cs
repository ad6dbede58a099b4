using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Engines.Postgres;
using Npgsql;

namespace BudgetPerf.Tests.Integration.Fixtures;

/// <summary>
/// Issue 16: a build is reported 已生效 only when the standbys have replayed it. The engine waits for each standby's
/// replayed WAL position to reach the primary's, and reports a standby that does not within the timeout.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StandbyReplayTests(PostgresServer postgres)
{
    [SkippableFact]
    public async Task A_commit_is_readable_on_the_standby_once_the_wait_returns_and_a_paused_standby_is_reported_by_name()
    {
        postgres.SkipIfUnavailable();
        await using var standby = await postgres.StartStandbyAsync();
        var primary = new NpgsqlConnectionStringBuilder(postgres.ConnectionString);
        var engine = (PostgresEngine)EngineFactory.Create($"postgres://postgres@127.0.0.1:{primary.Port},127.0.0.1:{standby.Port}/postgres");
        var onStandby = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Port = standby.Port, Pooling = false }.ConnectionString;
        var table = "replay_" + Guid.NewGuid().ToString("N")[..8];

        await ExecuteAsync(engine.ConnectionString, $"CREATE TABLE {table} (v INT); INSERT INTO {table} VALUES (42)");
        Assert.Null(await engine.WaitForReplayAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(42, await ScalarAsync(onStandby, $"SELECT MAX(v) FROM {table}"));   // read at once, no retry

        await ExecuteAsync(onStandby, "SELECT pg_wal_replay_pause()");
        try
        {
            // a pause is a request: it holds once the standby reaches its next record (another 42 keeps MAX(v) = 42)
            for (var i = 0; i < 100 && await TextAsync(onStandby, "SELECT pg_get_wal_replay_pause_state()") != "paused"; i++)
            {
                await ExecuteAsync(engine.ConnectionString, $"INSERT INTO {table} VALUES (42)");
                await Task.Delay(100);
            }
            Assert.Equal("paused", await TextAsync(onStandby, "SELECT pg_get_wal_replay_pause_state()"));
            await ExecuteAsync(engine.ConnectionString, $"INSERT INTO {table} VALUES (43)");
            var lag = await engine.WaitForReplayAsync(TimeSpan.FromSeconds(1));
            Assert.True(lag is not null, await TextAsync(onStandby, "SELECT pg_get_wal_replay_pause_state() || ' ' || pg_last_wal_replay_lsn()::text")
                + " primary " + await TextAsync(engine.ConnectionString, "SELECT pg_current_wal_lsn()::text")
                + $" max {await ScalarAsync(onStandby, $"SELECT MAX(v) FROM {table}")}");
            Assert.Contains($"127.0.0.1:{standby.Port}", lag);
            Assert.Contains("在 1 秒内未回放到该位置", lag);
            Assert.Equal(42, await ScalarAsync(onStandby, $"SELECT MAX(v) FROM {table}"));   // indeed not replayed
        }
        finally
        {
            await ExecuteAsync(onStandby, "SELECT pg_wal_replay_resume()");
        }
        Assert.Null(await engine.WaitForReplayAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(43, await ScalarAsync(onStandby, $"SELECT MAX(v) FROM {table}"));
    }

    [SkippableFact]
    public async Task One_host_has_no_standby_to_wait_for()
    {
        postgres.SkipIfUnavailable();
        Assert.Null(await new PostgresEngine(postgres.ConnectionString).WaitForReplayAsync(TimeSpan.Zero));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<string> TextAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<int> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return (int)(await cmd.ExecuteScalarAsync())!;
    }
}
