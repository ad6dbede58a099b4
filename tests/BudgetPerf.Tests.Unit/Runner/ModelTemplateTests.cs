using BudgetPerf.Warehouse.Models;

namespace BudgetPerf.Tests.Unit.Runner;

/// <summary>The dbt-style templating of incremental models (issue 15): headers, is_incremental() blocks, {{ this }}.</summary>
public sealed class ModelTemplateTests
{
    private const string Model = """
        -- materialized: incremental
        -- unique_key: fiscal_year, period , project_code
        select * from {{ ref('stg_a') }} as source
        {% if is_incremental() %}
        where exists (select 1 from {{ ref('build_slice') }} as s where s.project_code = source.project_code)
          and source.batch_id > (select max(batch_id) from {{ this }})
        {% endif %}
        """;

    [Fact]
    public void Headers_declare_an_incremental_model_and_its_unique_key()
    {
        var node = ModelNode.FromModelFileText("fct_x", Model);

        Assert.Equal(Materialization.Incremental, node.Materialization);
        Assert.Equal(["fiscal_year", "period", "project_code"], node.UniqueKey);
        // a ref inside the incremental block is a dependency too (as in dbt): build_slice is built first
        Assert.Equal(["stg_a", "build_slice"], node.Refs);
    }

    [Fact]
    public void A_full_build_drops_the_incremental_block()
    {
        var sql = ModelNode.FromModelFileText("fct_x", Model).Render(isIncremental: false);

        Assert.EndsWith("select * from stg_a as source", sql);
        Assert.DoesNotContain("build_slice", sql);
        Assert.DoesNotContain("{%", sql);
    }

    [Fact]
    public void An_incremental_build_keeps_the_block_and_names_the_model_itself_for_this()
    {
        var sql = ModelNode.FromModelFileText("fct_x", Model).Render(isIncremental: true);

        Assert.Contains("where exists (select 1 from build_slice as s where s.project_code = source.project_code)", sql);
        Assert.Contains("(select max(batch_id) from fct_x)", sql);
        Assert.DoesNotContain("{%", sql);
        Assert.DoesNotContain("{{", sql);
    }

    [Theory]
    [InlineData(true, "select 1 from delta")]
    [InlineData(false, "select 1 from everything")]
    public void Else_and_not_choose_the_other_branch(bool incremental, string expected)
    {
        const string sql = "{% if is_incremental() %}select 1 from delta{% else %}select 1 from everything{% endif %}";
        const string negated = "{%- if not is_incremental() -%}select 1 from everything{% else %}select 1 from delta{% endif %}";

        Assert.Equal(expected, ModelTemplate.Render(sql, "m", incremental));
        Assert.Equal(expected, ModelTemplate.Render(negated, "m", incremental));
    }

    [Theory]
    [InlineData("{% if is_incremental() %} a {% if is_incremental() %} b {% endif %} {% endif %}", "nested")]
    [InlineData("select 1 {% endif %}", "without an if")]
    [InlineData("select 1 {% else %}", "outside an if")]
    [InlineData("{% if is_incremental() %} select 1", "without {% endif %}")]
    public void Malformed_blocks_are_errors_saying_what_is_wrong(string sql, string reason)
    {
        var ex = Assert.Throws<InvalidDataException>(() => ModelTemplate.Render(sql, "m", isIncremental: true));

        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void An_incremental_model_without_a_unique_key_is_refused_naming_the_file()
    {
        var ex = Assert.Throws<ModelGraphException>(() =>
            ModelNode.FromModelFileText("fct_x", "-- materialized: incremental\nselect 1", "sql/models/core/fct_x.sql"));

        Assert.Contains("fct_x.sql", ex.Message);
        Assert.Contains("unique_key", ex.Message);
    }

    [Fact]
    public void A_delete_where_header_names_the_rows_an_incremental_build_deletes()
    {
        var node = ModelNode.FromModelFileText("mart_pairs", """
            -- materialized: incremental
            -- unique_key: fiscal_year, project_a, project_b
            -- delete_where: exists (select 1 from {{ ref('build_slice') }} as k where k.project_code in ({{ this }}.project_a, {{ this }}.project_b))
            select * from {{ ref('stg_a') }}
            """);

        Assert.Equal("exists (select 1 from {{ ref('build_slice') }} as k where k.project_code in ({{ this }}.project_a, {{ this }}.project_b))",
            node.DeleteWhere);
        // the header's ref is a dependency, and it renders like the model's SQL
        Assert.Contains("build_slice", node.Refs);
        Assert.Equal("exists (select 1 from build_slice as k where k.project_code in (mart_pairs.project_a, mart_pairs.project_b))",
            ModelTemplate.Render(node.DeleteWhere!, node.Name, isIncremental: true));
        Assert.Null(ModelNode.FromModelFileText("fct_x", Model).DeleteWhere);
    }

    [Theory]
    [InlineData("{{ in_slice('source', 'project', 'entity_code', 'period') }}",
        "(source.entity_code in (select entity_code from build_slice where entity_kind = 'project') and exists (select 1 from build_slice as touched where touched.fiscal_year = source.fiscal_year and touched.period = source.period and touched.entity_kind = 'project' and touched.entity_code = source.entity_code))")]
    [InlineData("{{ in_slice('current_batch', 'department', 'entity_code') }}",
        "(current_batch.entity_code in (select entity_code from build_slice where entity_kind = 'department') and exists (select 1 from build_slice as touched where touched.fiscal_year = current_batch.fiscal_year and touched.entity_kind = 'department' and touched.entity_code = current_batch.entity_code))")]
    [InlineData("{{in_slice( 'source' , 'entity_kind' , 'entity_code' )}}",
        "(source.entity_code in (select entity_code from build_slice) and exists (select 1 from build_slice as touched where touched.fiscal_year = source.fiscal_year and touched.entity_kind = source.entity_kind and touched.entity_code = source.entity_code))")]
    public void The_in_slice_macro_expands_to_the_build_slice_filter_and_makes_it_a_dependency(string macro, string expected)
    {
        var node = ModelNode.FromModelFileText("fct_x",
            $"-- materialized: incremental\n-- unique_key: k\nselect * from {{{{ ref('stg_a') }}}} as source\n{{% if is_incremental() %}}\nwhere {macro}\n{{% endif %}}");

        Assert.Contains("build_slice", node.Refs);
        Assert.Equal($"select * from stg_a as source\n\nwhere {expected}", node.Render(isIncremental: true).Split('\n', 3)[2]);
        Assert.DoesNotContain("build_slice", node.Render(isIncremental: false));
    }

    [Theory]
    [InlineData("postgres", "select a / b as r from t offset 0")]
    [InlineData("duckdb", "select a / b as r from t ")]
    public void Evaluated_once_closes_a_step_with_offset_0_on_PostgreSQL_only(string engine, string expected)
    {
        Assert.Equal(expected, ModelTemplate.ExpandMacros("select a / b as r from t {{ evaluated_once() }}", engine));
    }

    [Theory]
    [InlineData("postgres", "select * from projects\n")]
    [InlineData("duckdb", "select * from projects\norder by project_code")]
    public void Zone_order_orders_a_full_build_on_DuckDB_only(string engine, string expected)
    {
        Assert.Equal(expected, ModelTemplate.ExpandMacros("select * from projects\n{{ zone_order('project_code') }}", engine));
    }

    [Theory]
    [InlineData("duckdb", "source.rowid")]
    [InlineData("postgres", "source.ctid")]
    public void Row_id_expands_to_the_engines_physical_row_address(string engine, string expected)
    {
        Assert.Equal($"select {expected} as row_id from t as source where {expected} in (select 1)",
            ModelTemplate.ExpandMacros("select {{ row_id('source') }} as row_id from t as source where {{row_id( 'source' )}} in (select 1)", engine));
    }

    [Theory]
    [InlineData("duckdb", "source.rowid")]
    [InlineData("postgres", "source.ctid")]
    public void By_row_id_reads_the_rows_its_filter_picks_by_their_row_ids(string engine, string id)
    {
        var sql = "with picked as (\n    {% by_row_id('wide') %}\n    where source.code in (select code from touched)\n    {% endby_row_id %}\n"
                  + "    and source.flag\n)\nselect * from picked";
        var expanded = ModelTemplate.ExpandMacros(sql, engine);
        Assert.Equal("with picked as (\n    select * from {{ ref('wide') }} as source where " + id + " in (\n"
                     + "        select " + id + " from {{ ref('wide') }} as source\n    where source.code in (select code from touched)\n    )\n"
                     + "    and source.flag\n)\nselect * from picked", expanded);
        // the relation read is a dependency of the model like any ref
        Assert.Equal(["wide"], ModelNode.FromModelFileText("m", sql, engineName: engine).Refs);
    }

    [Theory]
    [InlineData("{{ period_key('source.period') }}", "upper(replace(replace(replace(trim(source.period), '－', '-'), '—', '-'), '～', '-'))")]
    [InlineData("{{period_key( 'period' )}}", "upper(replace(replace(replace(trim(period), '－', '-'), '—', '-'), '～', '-'))")]
    public void Period_key_expands_to_the_one_normalisation_of_the_period(string macro, string expected)
    {
        Assert.Equal($"select {expected} as period from t", ModelTemplate.ExpandMacros($"select {macro} as period from t"));
    }

    [Fact]
    public void Period_key_is_expanded_in_a_model_file_so_a_staging_model_renders_the_expression()
    {
        var node = ModelNode.FromModelFileText("stg_x", "-- materialized: view\nselect {{ period_key('source.period') }} as period from {{ source('raw', 'raw_x') }} as source");

        Assert.Equal("select upper(replace(replace(replace(trim(source.period), '－', '-'), '—', '-'), '～', '-')) as period from raw_x as source",
            node.Render(isIncremental: false).Split('\n', 2)[1]);
    }

    [Theory]
    [InlineData("postgres", " offset 0")]
    [InlineData("duckdb", " ")]
    public void Changed_batch_rows_expands_to_the_per_batch_lateral_read_of_the_raw_table_on_both_engines(string engine, string closing)
    {
        // the read written out 29 times before in changed_entities and stg_current_batch: each changed batch matched as a
        // range on the raw table, closed by evaluated_once (offset 0 on PostgreSQL only), the source declared as a dependency
        var node = ModelNode.FromModelFileText("changed_x",
            "-- materialized: table\nselect trim(project_code) from {{ changed_batch_rows('raw_monitoring_fund') }}", engineName: engine);

        Assert.Contains(("raw", "raw_monitoring_fund"), node.Sources);
        Assert.Equal("select trim(project_code) from changed cross join lateral (\n"
            + "        select * from raw_monitoring_fund as changed_rows where changed_rows.batch_id >= changed.batch_id"
            + $" and changed_rows.batch_id <= changed.batch_id{closing}\n    ) as source",
            node.Render(isIncremental: true).Split('\n', 2)[1]);
    }

    [Fact]
    public void Changed_batch_rows_of_a_table_that_is_not_a_raw_table_is_left_as_written()
    {
        // only landing tables (raw_*) have batches; anything else stays unexpanded and the engine refuses it, naming it
        Assert.Equal("{{ changed_batch_rows('dim_project') }}", ModelTemplate.ExpandMacros("{{ changed_batch_rows('dim_project') }}"));
    }

    [Fact]
    public void An_in_slice_macro_with_an_unknown_kind_is_left_as_written()
    {
        // only project / department / entity_kind are kinds of build_slice rows: anything else stays unexpanded, and the
        // engine then refuses the SQL, naming it
        Assert.Equal("{{ in_slice('source', 'fund', 'code') }}", ModelTemplate.ExpandMacros("{{ in_slice('source', 'fund', 'code') }}"));
    }

    [Fact]
    public void Table_and_view_models_render_as_before()
    {
        var node = ModelNode.FromModelFileText("m", "-- materialized: table\nselect * from {{ ref('a') }}");

        Assert.Equal(Materialization.Table, node.Materialization);
        Assert.Empty(node.UniqueKey);
        Assert.Equal(node.Render(), node.Render(isIncremental: true));
    }
    [Fact]
    public void An_incremental_render_may_name_a_ref_as_a_narrowing_subquery_and_only_that_ref()
    {
        var node = ModelNode.FromModelFileText("fct_x",
            "-- materialized: incremental\n-- unique_key: k\nselect * from {{ ref('stg_a') }} as s join {{ ref('b') }} as b on s.k = b.k" +
            "{% if is_incremental() %} where s.k > 1{% endif %}");

        var sql = node.Render(true, name => name == "stg_a" ? "(SELECT * FROM stg_a WHERE batch_id IN (7, 9))" : name);

        Assert.EndsWith("select * from (SELECT * FROM stg_a WHERE batch_id IN (7, 9)) as s join b as b on s.k = b.k where s.k > 1", sql);
        Assert.Equal(["stg_a", "b"], node.Refs);   // the graph still sees the relation itself
    }

    [Fact]
    public void A_narrowing_subquery_without_an_alias_in_the_sql_is_given_the_refs_name()
    {
        // PostgreSQL 15: "subquery in FROM must have an alias"
        var node = ModelNode.FromModelFileText("m", "select * from {{ ref('stg_a') }}\nwhere 1 = 1 union all select * from {{ ref('stg_a') }} s");

        var sql = node.Render(true, name => $"(SELECT * FROM {name})");

        Assert.Equal("select * from (SELECT * FROM stg_a) AS stg_a\nwhere 1 = 1 union all select * from (SELECT * FROM stg_a) s", sql);
    }

    [Fact]
    public void Only_a_staging_relation_declaring_slice_by_batch_is_narrowed_to_the_current_batches()
    {
        Assert.True(ModelNode.FromModelFileText("stg_a", "-- slice_by_batch: true\nselect 1 as batch_id").SliceByBatch);
        Assert.False(ModelNode.FromModelFileText("stg_project", "-- 项目信息\nselect 1 as batch_id").SliceByBatch);
    }

    [Fact]
    public void A_model_declaring_reads_other_entities_keeps_its_staging_reads_whole()
    {
        // mart_overlap_pairs compares a touched project with untouched ones: their indicator names must be read too
        Assert.True(ModelNode.FromModelFileText("mart_x", "-- materialized: incremental\n-- unique_key: a\n-- reads_other_entities: true\nselect 1 as a").ReadsOtherEntities);
        Assert.False(ModelNode.FromModelFileText("fct_x", "-- materialized: incremental\n-- unique_key: a\nselect 1 as a").ReadsOtherEntities);
    }

    [Fact]
    public void A_model_declaring_full_refresh_when_changed_names_the_whole_inputs()
    {
        // mart_execution_forecast reads the departments' names and the rule basis whole: either changed, every row may differ
        var node = ModelNode.FromModelFileText("mart_x", "-- materialized: incremental\n-- unique_key: a\n-- full_refresh_when_changed: rule_basis, dim_department\nselect 1 as a");
        Assert.Equal(["rule_basis", "dim_department"], node.FullRefreshWhenChanged);
        Assert.Empty(ModelNode.FromModelFileText("fct_x", "-- materialized: incremental\n-- unique_key: a\nselect 1 as a").FullRefreshWhenChanged);
    }

    [Fact]
    public void In_department_slice_expands_to_the_null_safe_department_filter_for_a_row_and_for_the_delete()
    {
        var node = ModelNode.FromModelFileText("mart_x", """
            -- materialized: incremental
            -- unique_key: fiscal_year, period, department_code
            -- delete_where: {{ in_department_slice('this') }}
            select * from {{ ref('fct_y') }} as source
            {% if is_incremental() %} where {{ in_department_slice('source') }} {% endif %}
            """);

        Assert.Contains("build_slice", node.Refs);
        // the heatmaps' filter as it was written out in each of them: a NULL department matches the slice of none (未划分)
        // (the slice's departments first, uncorrelated)
        Assert.EndsWith("where (coalesce(source.department_code, '') in (select coalesce(department_code, '') from build_slice where entity_kind = 'department')"
            + " and exists (select 1 from build_slice as touched where touched.entity_kind = 'department'"
            + " and touched.fiscal_year = source.fiscal_year and touched.period = source.period"
            + " and coalesce(touched.department_code, '') = coalesce(source.department_code, '')))", node.Render(isIncremental: true));
        Assert.Equal("(coalesce(mart_x.department_code, '') in (select coalesce(department_code, '') from build_slice where entity_kind = 'department')"
            + " and exists (select 1 from build_slice as touched where touched.entity_kind = 'department'"
            + " and touched.fiscal_year = mart_x.fiscal_year and touched.period = mart_x.period"
            + " and coalesce(touched.department_code, '') = coalesce(mart_x.department_code, '')))",
            ModelTemplate.Render(node.DeleteWhere!, node.Name, isIncremental: true));
    }

    [Fact]
    public void Full_refresh_above_rows_is_read_from_its_header_and_absent_otherwise()
    {
        Assert.Equal(0.75m, ModelNode.FromModelFileText("mart_x", "-- materialized: incremental\n-- unique_key: k\n-- full_refresh_above_share: 0.75\nselect 1 as k").FullRefreshAboveShare);
        Assert.Equal(2m, ModelNode.FromModelFileText("mart_x", "-- full_refresh_above_share: 2\nselect 1 as k").FullRefreshAboveShare);
        Assert.Null(ModelNode.FromModelFileText("fct_x", Model).FullRefreshAboveShare);
    }
}
