using BudgetPerf.Warehouse.Caching;
using BudgetPerf.Warehouse.Security;
using Dapper;

namespace BudgetPerf.Tests.Unit.Caching;

/// <summary>The result cache's key of a page query (issue 15): the SQL and every parameter's value, the scope's included.</summary>
public sealed class QueryKeyTests
{
    private const string Sql = "SELECT * FROM mart_project_deviation WHERE fiscal_year = @year AND ";

    /// <summary>The key of the query a page query class makes: its values as a Dapper template, then the scope's condition.</summary>
    private static string? KeyOf(DataScope scope, int year)
    {
        var p = DataScope.Parameters(new { year });
        var condition = scope.Condition("department_code", p);
        return QueryKey.Of("mart_project_deviation", Sql + condition, p);
    }

    [Fact]
    public void Values_kept_as_a_Dapper_template_are_part_of_the_key()
    {
        Assert.NotNull(KeyOf(DataScope.All, 2025));
        Assert.NotEqual(KeyOf(DataScope.All, 2025), KeyOf(DataScope.All, 2026));
        Assert.Equal(KeyOf(DataScope.All, 2025), KeyOf(DataScope.All, 2025));
    }

    [Fact]
    public void Two_department_scopes_never_share_a_key()
    {
        // the same SQL text for both (IN (@scope0)): only the parameter's value tells them apart
        var a = KeyOf(DataScope.Of(["101"]), 2025);
        var b = KeyOf(DataScope.Of(["102"]), 2025);
        Assert.NotNull(a);
        Assert.NotEqual(a, b);
        Assert.NotEqual(KeyOf(DataScope.OfRegion("660121"), 2025), KeyOf(DataScope.OfRegion("660122"), 2025));
        Assert.NotEqual(DataScope.Of(["101"]).CacheKey, DataScope.Of(["101", "102"]).CacheKey);
        Assert.NotEqual(DataScope.All.CacheKey, DataScope.All.Within("660121").CacheKey);
    }

    [Fact]
    public void Queries_over_tables_written_outside_builds_are_not_cached()
    {
        Assert.Null(QueryKey.Of("etl_batch", "SELECT * FROM etl_batch WHERE submitted_by = @u", new { u = "a" }));
        Assert.Null(QueryKey.Of("mart_x", "SELECT * FROM mart_x m JOIN raw_monitoring_fund r ON r.batch_id = m.batch_id", null));
    }

    [Fact]
    public void A_value_the_key_cannot_spell_is_not_cached()
    {
        Assert.Null(QueryKey.Of("mart_x", "SELECT * FROM mart_x WHERE v = @v", new { v = new object() }));
        // a list is spelled item by item: ["a","b"] and ["ab"] differ
        Assert.NotEqual(QueryKey.Of("mart_x", Sql, new { v = new[] { "a", "b" } }), QueryKey.Of("mart_x", Sql, new { v = new[] { "ab" } }));
    }
}
