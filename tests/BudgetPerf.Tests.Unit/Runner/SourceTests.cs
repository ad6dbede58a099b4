using BudgetPerf.Warehouse.Models;

namespace BudgetPerf.Tests.Unit.Runner;

/// <summary>Issue 12: <c>{{ source('raw', 't') }}</c> names a table the runner does not build; it renders to the table,
/// is no edge of the graph, and must be declared in a sources.yml.</summary>
public sealed class SourceTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "bp-sources-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void A_source_renders_to_its_table_beside_a_ref_and_is_not_a_parent()
    {
        var node = ModelNode.FromModelFileText("stg_x",
            "select * from {{ source('raw', 'raw_x') }} as s join {{ ref('stg_current_batch') }} b on s.batch_id = b.batch_id");

        Assert.Equal("select * from raw_x as s join stg_current_batch b on s.batch_id = b.batch_id", node.Render());
        Assert.Equal(["stg_current_batch"], node.Refs);
        Assert.Equal([("raw", "raw_x")], node.Sources);
        // the graph orders it after its ref only: raw_x is no node
        var order = new ModelGraph([ModelNode.FromModelFileText("stg_current_batch", "select 1"), node]).Order.Select(n => n.Name);
        Assert.Equal(["stg_current_batch", "stg_x"], order);
    }

    [Fact]
    public void An_undeclared_source_is_refused_naming_the_model_and_the_table()
    {
        Write("models/staging/sources.yml", "sources:\n  - name: raw\n    tables:\n      - name: raw_x\n");
        Write("models/staging/stg_x.sql", "select * from {{ source('raw', 'raw_x') }}");
        Write("models/staging/stg_y.sql", "select * from {{ source('raw', 'raw_missing') }}");

        var ex = Assert.Throws<ModelGraphException>(() => ModelProject.Load(_root, "duckdb"));

        Assert.Contains("stg_y.sql", ex.Message);
        Assert.Contains("source('raw', 'raw_missing')", ex.Message);
    }

    [Fact]
    public void The_shipped_models_declare_every_source_they_read()
    {
        // the sql folder copied beside the tests: loading it checks every source() against sources.yml
        var project = ModelProject.Load(BudgetPerf.Warehouse.SqlAssets.Root, "duckdb");

        var staging = project.Graph.Order.Where(n => n.Name.StartsWith("stg_", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(staging);
        Assert.Contains(staging, n => n.Sources.Contains(("raw", "raw_monitoring_fund")));
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
