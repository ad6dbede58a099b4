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

    public void Dispose() => _dir.Dispose();
}
