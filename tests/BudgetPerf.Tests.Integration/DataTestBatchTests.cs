using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration;

/// <summary>
/// Issue 15, data tests at province scale: the not_null and accepted_values tests of one relation are counted in one
/// scan; a test that scan finds violated still fails on its own, with its rows.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DataTestBatchTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task One_scan_passes_the_clean_tests_and_leaves_the_violated_one_to_fail_with_its_rows(string engineName)
    {
        // given: a relation with one NULL code (row 2) and every light among the accepted values
        var engine = await Engines.FreshAsync(engineName, _dir, postgres);
        await using var connection = await engine.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE lights (code VARCHAR, light VARCHAR, note VARCHAR)");
        await connection.ExecuteAsync("INSERT INTO lights VALUES ('P1', 'red', NULL), (NULL, 'green', 'x'), ('P3', 'green', NULL)");
        var schema = new RelationSpec
        {
            Name = "lights",
            Columns =
            [
                new ColumnSpec { Name = "code", Tests = ["not_null"] },
                new ColumnSpec { Name = "light", Tests = ["not_null", new Dictionary<object, object> {
                    ["accepted_values"] = new Dictionary<object, object> { ["values"] = new List<object> { "red", "yellow", "green" } } }] },
                // a NULL is not an unaccepted value (the test's WHERE … NOT IN leaves it out): 2 NULL notes, 1 'x'
                new ColumnSpec { Name = "note", Tests = [new Dictionary<object, object> {
                    ["accepted_values"] = new Dictionary<object, object> { ["values"] = new List<object> { "x" } } }] },
            ],
        };
        var tests = DataTest.Generic([schema]).ToList();

        // when
        var passing = await DataTestBatch.PassingAsync(connection, tests);

        // then: the three clean tests pass from the one scan; not_null of code is left to run alone, and fails with 1 row
        Assert.Equal(["accepted_values_lights_light", "accepted_values_lights_note", "not_null_lights_light"],
            passing.Keys.Order(StringComparer.Ordinal));
        Assert.All(passing.Values, r => Assert.Equal("pass", r.Status));
        var (result, failure) = await DataTestRunner.RunAsync(connection, tests.Single(t => t.Name == "not_null_lights_code"));
        Assert.Equal("fail", result.Status);
        Assert.Equal(1L, failure!.FailureCount);
        Assert.Contains("green", Assert.Single(failure.Rows));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Relationships_tests_join_the_scan_and_a_missing_parent_key_is_left_to_fail_alone_with_its_rows(string engineName)
    {
        // given: lights (P1 red, NULL green, P3 green); projects holds P1 twice and P3 (a parent key need not be unique);
        // colours holds only red, so light → colours misses 2 rows (the two greens)
        var engine = await Engines.FreshAsync(engineName, _dir, postgres);
        await using var connection = await engine.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE lights (code VARCHAR, light VARCHAR)");
        await connection.ExecuteAsync("INSERT INTO lights VALUES ('P1', 'red'), (NULL, 'green'), ('P3', 'green')");
        await connection.ExecuteAsync("CREATE TABLE projects (code VARCHAR)");
        await connection.ExecuteAsync("INSERT INTO projects VALUES ('P1'), ('P1'), ('P3')");
        await connection.ExecuteAsync("CREATE TABLE colours (colour VARCHAR)");
        await connection.ExecuteAsync("INSERT INTO colours VALUES ('red')");
        Dictionary<object, object> Parent(string to, string field) => new()
        {
            ["relationships"] = new Dictionary<object, object> { ["to"] = to, ["field"] = field },
        };
        var tests = DataTest.Generic([new RelationSpec
        {
            Name = "lights",
            Columns =
            [
                new ColumnSpec { Name = "code", Tests = ["not_null", Parent("projects", "code")] },
                new ColumnSpec { Name = "light", Tests = ["not_null", Parent("colours", "colour")] },
            ],
        }]).ToList();

        // when
        var passing = await DataTestBatch.PassingAsync(connection, tests);

        // then: code → projects (P1, P3 found; the NULL is no violation) and not_null light pass from the one scan of
        // lights; not_null code (1 NULL) and light → colours (green ×2) are left to run alone
        Assert.Equal(["not_null_lights_light", "relationships_lights_code__projects_code"], passing.Keys.Order(StringComparer.Ordinal));
        Assert.All(passing.Values, r => Assert.Contains("one scan of lights with 3 other tests", r.Message));
        var (result, failure) = await DataTestRunner.RunAsync(connection, tests.Single(t => t.Name == "relationships_lights_light__colours_colour"));
        Assert.Equal("fail", result.Status);
        Assert.Equal(2L, failure!.FailureCount);
        Assert.All(failure.Rows, row => Assert.Contains("green", row));
    }

    public void Dispose() => _dir.Dispose();
}
