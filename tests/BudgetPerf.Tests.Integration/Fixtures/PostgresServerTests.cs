using Npgsql;

namespace BudgetPerf.Tests.Integration.Fixtures;

[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresServer pg)
{
    [SkippableFact]
    public async Task Server_answers_select_version()
    {
        pg.SkipIfUnavailable();

        await using var conn = new NpgsqlConnection(pg.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT version()", conn);
        var version = (string?)await cmd.ExecuteScalarAsync();

        Assert.NotNull(version);
        Assert.StartsWith("PostgreSQL ", version);
        Assert.Contains("127.0.0.1", pg.ConnectionString);
    }

    [SkippableFact]
    public async Task CreateDatabaseAsync_gives_distinct_empty_databases()
    {
        pg.SkipIfUnavailable();

        var first = await pg.CreateDatabaseAsync("PostgresServerTests");
        var second = await pg.CreateDatabaseAsync("PostgresServerTests");
        Assert.NotEqual(first, second);

        var firstName = await ScalarAsync<string>(first, "SELECT current_database()");
        var secondName = await ScalarAsync<string>(second, "SELECT current_database()");
        Assert.NotEqual(firstName, secondName);
        Assert.StartsWith("postgresservertests_", firstName);
        Assert.Equal(new NpgsqlConnectionStringBuilder(first).Database, firstName);

        // A table made in one database is not visible from the other.
        await ScalarAsync<int>(first, "CREATE TABLE probe (id int); INSERT INTO probe VALUES (1); SELECT 1");
        Assert.Equal(1L, await ScalarAsync<long>(first, "SELECT count(*) FROM probe"));
        Assert.Equal(0L, await ScalarAsync<long>(second,
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'probe'"));
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
