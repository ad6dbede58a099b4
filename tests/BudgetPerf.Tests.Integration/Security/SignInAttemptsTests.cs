using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Tests.Integration.Security;

/// <summary>The shared sign-in counter (migration 0080) on both engines: one window per client, opened by its first attempt.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SignInAttemptsTests(PostgresServer postgres)
{
    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Attempts_count_within_a_minute_of_the_first_and_restart_after_it(string engineName)
    {
        using var dir = new TempDir();
        var engine = await Engines.FreshAsync(engineName, dir, postgres);
        await WarehouseSetup.InitAsync(engine, dir.File("target"));
        var attempts = new SignInAttempts(engine);
        var first = new DateTime(2026, 3, 1, 9, 0, 50, DateTimeKind.Utc);   // 10 s before a wall-clock minute turns

        Assert.Equal(1, await attempts.CountAsync("10.0.0.1", first));
        Assert.Equal(2, await attempts.CountAsync("10.0.0.1", first.AddSeconds(20)));   // 09:01:10, past the minute's turn: same window
        Assert.Equal(1, await attempts.CountAsync("10.0.0.2", first.AddSeconds(30)));   // another client counts apart
        Assert.Equal(3, await attempts.CountAsync("10.0.0.1", first.AddSeconds(59)));
        Assert.Equal(1, await attempts.CountAsync("10.0.0.1", first.AddSeconds(61)));   // the window has closed: a new one
        Assert.Equal(2, await attempts.CountAsync("10.0.0.1", first.AddSeconds(62)));
    }
}
