using BudgetPerf.Warehouse.Models;

namespace BudgetPerf.Tests.Unit.Runner;

public sealed class DataTestTests
{
    private static IReadOnlyList<DataTest> FromYaml(string yaml)
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, yaml);
        try { return DataTest.Generic(SchemaSpec.Load(path).Models).ToList(); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Schema_yml_declares_the_four_generic_tests()
    {
        var tests = FromYaml("""
            models:
              - name: dim_project
                columns:
                  - name: project_code
                    tests: [unique, not_null]
                  - name: department_code
                    tests:
                      - relationships: {to: dim_department, field: department_code}
              - name: mart_project_deviation
                columns:
                  - name: warning
                    tests:
                      - accepted_values: {values: ['red', 'yellow', 'green']}
            """);

        Assert.Equal(4, tests.Count);
        Assert.Contains(tests, t => t.Name == "unique_dim_project_project_code" && t.Sql.Contains("HAVING COUNT(*) > 1"));
        Assert.Contains(tests, t => t.Name == "not_null_dim_project_project_code" && t.Sql.Contains("IS NULL"));
        var rel = Assert.Single(tests, t => t.Name.StartsWith("relationships_"));
        Assert.Equal(["dim_project", "dim_department"], rel.Refs);
        var accepted = Assert.Single(tests, t => t.Name.StartsWith("accepted_values_"));
        Assert.Contains("NOT IN ('red', 'yellow', 'green')", accepted.Sql);
    }

    [Fact]
    public void An_unknown_generic_test_is_refused()
    {
        var ex = Assert.Throws<ModelGraphException>(() => FromYaml("""
            models:
              - name: m
                columns:
                  - name: c
                    tests: [uniqe]
            """));

        Assert.Contains("uniqe", ex.Message);
    }
}
