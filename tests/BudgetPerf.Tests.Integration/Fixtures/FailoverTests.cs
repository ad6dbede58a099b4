using System.Data.Common;
using System.Diagnostics;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Engines.Postgres;
using Npgsql;

namespace BudgetPerf.Tests.Integration.Fixtures;

/// <summary>
/// Issue 16 item 3 on real servers: the primary dies, its standby is promoted, and one engine object (a dashboard that is
/// not restarted) writes to the new primary. The shared test server cannot be killed, so the pair is its own: a standby
/// of the test server promoted at once (primary "A", on a timeline of its own) and a streaming standby of A ("B").
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FailoverTests(PostgresServer postgres)
{
    private static async Task<object?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync();
    }

    [SkippableFact]
    public async Task After_the_primary_dies_and_its_standby_is_promoted_the_same_engine_writes_to_the_new_primary()
    {
        postgres.SkipIfUnavailable();
        await using var a = await postgres.StartStandbyAsync();
        await a.PromoteAsync();
        await using var b = await postgres.StartStandbyAsync(ofPort: a.Port);
        var url = $"postgres://postgres@127.0.0.1:{b.Port},127.0.0.1:{a.Port}/postgres";
        var engine = (PostgresEngine)EngineFactory.Create(url);

        var table = "failover_" + Guid.NewGuid().ToString("N")[..8];
        // several write connections opened and returned: the pool keeps them idle, all to A
        for (var i = 1; i <= 3; i++)
        {
            await using var w = await engine.OpenAsync();
            Assert.Equal(false, await ScalarAsync(w, "SELECT pg_is_in_recovery()"));
            await ScalarAsync(w, i == 1 ? $"CREATE TABLE {table} (v INT); INSERT INTO {table} VALUES (1)" : "SELECT 1");
        }
        // B has replayed the row (reads go there) before A dies
        var replayed = false;
        for (var i = 0; i < 100 && !replayed; i++)
        {
            await using var r = await engine.OpenReadAsync();
            try { replayed = await ScalarAsync(r, $"SELECT count(*) FROM {table}") is 1L; }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable) { }
            if (!replayed) await Task.Delay(100);
        }
        Assert.True(replayed);

        await a.KillAsync();
        // no primary now: a write fails cleanly (Npgsql finds no read-write host) rather than hanging; asked through another
        // engine (another connection string, so another pool) to leave the first engine's idle connections to A in place
        var other = EngineFactory.Create(url + "?timeout=5");
        var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => other.OpenAsync());
        Assert.IsNotType<PostgresException>(refused);

        await b.PromoteAsync();
        var clock = Stopwatch.StartNew();
        DbConnection? writer = null;
        while (writer is null)
        {
            try { writer = await engine.OpenAsync(); }
            catch (NpgsqlException) when (clock.Elapsed < TimeSpan.FromSeconds(20)) { await Task.Delay(200); }
        }
        await using (writer)
        {
            // the first connection handed out is usable: not an idle one of the dead primary's pool
            Assert.Equal(false, await ScalarAsync(writer, "SELECT pg_is_in_recovery()"));
            await ScalarAsync(writer, $"INSERT INTO {table} VALUES (2)");
            Assert.Equal(2L, await ScalarAsync(writer, $"SELECT count(*) FROM {table}"));   // the row written before the crash, and this one
        }
        // Npgsql rechecks a host it saw as a standby after HostRecheckSeconds (2 s): the new primary is found within that
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"writes came back after {clock.Elapsed.TotalSeconds:0.0} s");
        // reads too (no standby left: the primary)
        await using var read = await engine.OpenReadAsync();
        Assert.Equal(2L, await ScalarAsync(read, $"SELECT count(*) FROM {table}"));
    }
}
