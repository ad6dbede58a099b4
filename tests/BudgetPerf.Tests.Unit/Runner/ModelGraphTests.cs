using BudgetPerf.Warehouse.Models;

namespace BudgetPerf.Tests.Unit.Runner;

public sealed class ModelGraphTests
{
    private static ModelNode Model(string name, params string[] refs) =>
        new(name, NodeKind.Model, $"{name}.sql", string.Join(" ", refs.Select(r => $"{{{{ ref('{r}') }}}}")), Materialization.View, refs);

    private static ModelGraph Chain() => new([
        Model("stg_a"), Model("stg_b"), Model("dim_x", "stg_a"), Model("fct_y", "dim_x", "stg_b"), Model("mart_z", "fct_y"),
    ]);

    [Fact]
    public void A_cycle_is_refused_with_its_path_named()
    {
        // a → b → c → a: the message names every step so the author can find the edge to cut
        var ex = Assert.Throws<ModelGraphException>(() => new ModelGraph([Model("a", "c"), Model("b", "a"), Model("c", "b")]));

        Assert.Contains("cycle", ex.Message);
        Assert.Contains("a → c → b → a", ex.Message);
    }

    [Fact]
    public void A_ref_to_an_unknown_model_names_the_file()
    {
        var ex = Assert.Throws<ModelGraphException>(() => new ModelGraph([Model("dim_x", "stg_missing")]));

        Assert.Contains("stg_missing", ex.Message);
        Assert.Contains("dim_x.sql", ex.Message);
    }

    [Fact]
    public void Order_puts_every_parent_before_its_children()
    {
        var order = Chain().Order.Select(n => n.Name).ToList();

        Assert.True(order.IndexOf("stg_a") < order.IndexOf("dim_x"));
        Assert.True(order.IndexOf("dim_x") < order.IndexOf("fct_y"));
        Assert.True(order.IndexOf("stg_b") < order.IndexOf("fct_y"));
        Assert.True(order.IndexOf("fct_y") < order.IndexOf("mart_z"));
    }

    [Fact]
    public void Trailing_plus_selects_the_model_and_its_descendants()
    {
        var selected = Chain().Select("dim_x+").Select(n => n.Name);

        Assert.Equal(["dim_x", "fct_y", "mart_z"], selected);
    }

    [Fact]
    public void Leading_plus_selects_the_model_and_its_ancestors()
    {
        var selected = Chain().Select("+fct_y").Select(n => n.Name).Order();

        Assert.Equal(["dim_x", "fct_y", "stg_a", "stg_b"], selected);
    }

    [Fact]
    public void An_unknown_selection_is_an_error_naming_it()
    {
        var ex = Assert.Throws<ModelGraphException>(() => Chain().Select("mart_nope+"));

        Assert.Contains("mart_nope", ex.Message);
    }

    [Fact]
    public void Rendering_replaces_refs_with_relation_names()
    {
        var node = ModelNode.FromModelFileText("m", "-- materialized: table\nselect * from {{ ref('stg_a') }} join {{ref(\"stg_b\")}} using (k);");

        Assert.Equal(Materialization.Table, node.Materialization);
        Assert.Equal(["stg_a", "stg_b"], node.Refs);
        Assert.EndsWith("select * from stg_a join stg_b using (k)", node.Render());
    }

    [Fact]
    public void The_hash_changes_when_the_sql_changes()
    {
        Assert.NotEqual(ModelNode.Sha256("select 1"), ModelNode.Sha256("select 1 -- edited"));
        Assert.Equal(64, ModelNode.Sha256("select 1").Length);
    }
}
