using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using Dapper;

namespace BudgetPerf.Tests.Integration;

/// <summary>
/// Issue 15, the incremental pass on PostgreSQL: a large table a build changes by a few rows keeps its statistics; a
/// larger change, a new table or a table written outside a build's transaction is analysed.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAnalyzeTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    [SkippableFact]
    public async Task A_build_analyses_a_large_table_again_only_when_a_tenth_of_its_rows_changed()
    {
        var engine = await Engines.FreshAsync("postgres", _dir, postgres);
        // set up on a connection of its own: a backend's not yet flushed counts of earlier transactions add to the
        // ones the check reads (more ANALYZE, never less)
        await using (var setup = await engine.OpenAsync())
        {
            await setup.ExecuteAsync("CREATE TABLE facts AS SELECT g AS id FROM generate_series(1, 20000) AS g");
            await engine.AnalyzeAsync(setup, "facts"); // outside a transaction: always
            Assert.Equal(20000d, await ReltuplesAsync(setup));
            Npgsql.NpgsqlConnection.ClearPool((Npgsql.NpgsqlConnection)setup); // its backend ends: the next one is new
        }
        await using var connection = await engine.OpenAsync();

        await using var tx = await connection.BeginTransactionAsync();
        // 100 rows of 20,000 (0.5 %): the statistics stay
        await connection.ExecuteAsync("INSERT INTO facts SELECT g FROM generate_series(20001, 20100) AS g", transaction: tx);
        await engine.AnalyzeAsync(connection, "facts");
        Assert.Equal(20000d, await ReltuplesAsync(connection));
        // 2,000 more in the same transaction: 2,100 changed ≥ 20,000 / 10, so ANALYZE counts 22,100 rows
        await connection.ExecuteAsync("INSERT INTO facts SELECT g FROM generate_series(20101, 22100) AS g", transaction: tx);
        await engine.AnalyzeAsync(connection, "facts");
        Assert.Equal(22100d, await ReltuplesAsync(connection));
        // a table created in the transaction (reltuples −1) is analysed whatever its size
        await connection.ExecuteAsync("CREATE TABLE small AS SELECT 1 AS id", transaction: tx);
        await engine.AnalyzeAsync(connection, "small");
        Assert.Equal(1d, await connection.ExecuteScalarAsync<double>("SELECT reltuples FROM pg_class WHERE relname = 'small'"));
        await tx.CommitAsync();
    }

    private static Task<double> ReltuplesAsync(System.Data.Common.DbConnection connection) =>
        connection.ExecuteScalarAsync<double>("SELECT reltuples FROM pg_class WHERE relname = 'facts'");

    public void Dispose() => _dir.Dispose();
}
