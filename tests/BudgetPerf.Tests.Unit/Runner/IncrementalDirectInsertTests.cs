using BudgetPerf.Warehouse.Models;

namespace BudgetPerf.Tests.Unit.Runner;

/// <summary>
/// Issue 15, the runner's cost per model: an incremental model's new rows go straight from its SQL into its table (no
/// staging table) only when nothing needs them before the delete.
/// </summary>
public sealed class IncrementalDirectInsertTests
{
    private const string Head = "-- materialized: incremental\n-- unique_key: fiscal_year, period, project_code\n";

    private static ModelNode Model(string name, string text) => ModelNode.FromModelFileText(name, Head + text);

    [Fact]
    public void A_model_keyed_by_build_slice_that_reads_other_tables_inserts_directly()
    {
        var node = Model("fct_x", "select * from stg_x");

        Assert.True(IncrementalBuilder.InsertsDirectly(node, "select * from stg_x where exists (select 1 from build_slice)", keysFromSlice: true));
        // another model whose name only begins with this one's is not this table
        Assert.True(IncrementalBuilder.InsertsDirectly(node, "select * from fct_x_history", keysFromSlice: true));
    }

    [Fact]
    public void A_model_whose_sql_reads_its_own_table_is_staged_before_the_delete()
    {
        var node = Model("fct_x", "select * from {{ this }}");

        Assert.False(IncrementalBuilder.InsertsDirectly(node, "select * from stg_x union all select * from fct_x", keysFromSlice: true));
        Assert.False(IncrementalBuilder.InsertsDirectly(node, "select * from main.fct_x as t", keysFromSlice: true));
    }

    [Fact]
    public void Keys_from_the_new_rows_a_delete_where_or_a_row_limit_keep_the_staging_table()
    {
        const string sql = "select * from stg_x";
        Assert.False(IncrementalBuilder.InsertsDirectly(Model("fct_x", sql), sql, keysFromSlice: false));
        Assert.False(IncrementalBuilder.InsertsDirectly(
            Model("fct_x", "-- delete_where: {{ this }}.project_code in (select project_code from {{ incremental_rows }})\n" + sql), sql, keysFromSlice: true));
        Assert.False(IncrementalBuilder.InsertsDirectly(Model("fct_x", "-- full_refresh_above_share: 0.75\n" + sql), sql, keysFromSlice: true));
    }
}
