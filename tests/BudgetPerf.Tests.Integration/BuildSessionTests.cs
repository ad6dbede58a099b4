using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines.Postgres;
using Dapper;

namespace BudgetPerf.Tests.Integration;

/// <summary>
/// The build connection's session settings on PostgreSQL (issue 15, a province full build ≤ 90 s): set on that
/// connection only, never in the server's configuration, which is the user's.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BuildSessionTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    [SkippableFact]
    public async Task A_postgres_build_connection_turns_jit_off_and_raises_work_mem_for_itself_only()
    {
        var engine = await Engines.FreshAsync("postgres", _dir, postgres);
        await using var build = await engine.OpenAsync();
        await using var other = await engine.OpenAsync();
        var serverWorkMem = await other.ExecuteScalarAsync<string>("SHOW work_mem");

        await engine.PrepareBuildSessionAsync(build);

        Assert.Equal("off", await build.ExecuteScalarAsync<string>("SHOW jit"));
        Assert.Equal(PostgresEngine.BuildWorkMem, await build.ExecuteScalarAsync<string>("SHOW work_mem"));
        // the other connection keeps the server's value (the fixture's server runs with its default, 4MB)
        Assert.Equal(serverWorkMem, await other.ExecuteScalarAsync<string>("SHOW work_mem"));
        Assert.NotEqual(PostgresEngine.BuildWorkMem, serverWorkMem);
    }

    public void Dispose() => _dir.Dispose();
}
