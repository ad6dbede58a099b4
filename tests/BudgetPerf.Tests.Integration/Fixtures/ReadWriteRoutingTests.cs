using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Engines.Postgres;
using Npgsql;

namespace BudgetPerf.Tests.Integration.Fixtures;

/// <summary>
/// Issue 16 item 1 on a real primary and a real streaming standby: a multi-host <c>--db</c> sends reads to the standby
/// and writes to the primary; with the standby killed, reads fall back to the primary.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReadWriteRoutingTests(PostgresServer postgres)
{
    private static async Task<bool> InRecoveryAsync(Func<CancellationToken, Task<System.Data.Common.DbConnection>> open)
    {
        await using var connection = await open(default);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT pg_is_in_recovery()";
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }

    [SkippableFact]
    public async Task Reads_go_to_the_standby_writes_to_the_primary_and_reads_fall_back_when_the_standby_dies()
    {
        postgres.SkipIfUnavailable();
        await using var standby = await postgres.StartStandbyAsync();
        var primary = new NpgsqlConnectionStringBuilder(postgres.ConnectionString);
        // the standby first in the list: the write side must still find the primary by asking, not by position
        var db = $"postgres://postgres@127.0.0.1:{standby.Port},127.0.0.1:{primary.Port}/postgres";
        var engine = (PostgresEngine)EngineFactory.Create(db);

        Assert.False(await InRecoveryAsync(engine.OpenAsync));      // writes: the primary
        Assert.True(await InRecoveryAsync(engine.OpenReadAsync));   // reads: the standby

        // a row written through the write side is replayed on the standby and read there
        var table = "routing_" + Guid.NewGuid().ToString("N")[..8];
        await using (var w = await engine.OpenAsync())
        {
            await using var cmd = w.CreateCommand();
            cmd.CommandText = $"CREATE TABLE {table} (v INT); INSERT INTO {table} VALUES (42)";
            await cmd.ExecuteNonQueryAsync();
        }
        var seen = 0;
        for (var i = 0; i < 100 && seen != 42; i++)   // replay is asynchronous: up to 10 s
        {
            await using var r = await engine.OpenReadAsync();
            await using var cmd = r.CreateCommand();
            cmd.CommandText = $"SELECT MAX(v) FROM {table}";
            try { seen = await cmd.ExecuteScalarAsync() is int v ? v : 0; }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable) { }   // not replayed yet
            if (seen != 42) await Task.Delay(100);
        }
        Assert.Equal(42, seen);

        await standby.KillAsync();
        Assert.False(await InRecoveryAsync(engine.OpenReadAsync));   // reads: back on the primary
        Assert.False(await InRecoveryAsync(engine.OpenAsync));
    }

    [Fact]
    public void One_host_is_used_as_given_for_reads_and_writes()
    {
        var engine = new PostgresEngine("Host=127.0.0.1;Port=5432;Username=u;Database=d");
        Assert.Equal(engine.ConnectionString, engine.ReadConnectionString);
        Assert.Null(new NpgsqlConnectionStringBuilder(engine.ConnectionString).TargetSessionAttributes);
    }

    [Fact]
    public void A_multi_host_url_becomes_a_read_write_and_a_prefer_standby_connection_string()
    {
        var engine = new PostgresEngine("postgres://bp:secret@db1:5432,db2:5433/budgetperf?timeout=5");
        var write = new NpgsqlConnectionStringBuilder(engine.ConnectionString);
        var read = new NpgsqlConnectionStringBuilder(engine.ReadConnectionString);
        Assert.Equal(("db1:5432,db2:5433", "budgetperf", "bp", "secret", 5), (write.Host, write.Database, write.Username, write.Password, write.Timeout));
        Assert.Equal(("read-write", false), (write.TargetSessionAttributes, write.LoadBalanceHosts));
        Assert.Equal(("prefer-standby", true), (read.TargetSessionAttributes, read.LoadBalanceHosts));
    }
}
