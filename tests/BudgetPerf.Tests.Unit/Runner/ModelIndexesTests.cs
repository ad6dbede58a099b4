using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;

namespace BudgetPerf.Tests.Unit.Runner;

/// <summary>Issue 15 (readers at province scale): a table model declares its PostgreSQL indexes in an <c>-- indexes:</c> header.</summary>
public sealed class ModelIndexesTests
{
    private const string Header = """
        -- materialized: table
        -- indexes: project_code; fiscal_year, period, department_code
        select 1 as project_code
        """;

    [Fact]
    public void The_indexes_header_lists_one_index_per_semicolon_with_its_columns_in_order()
    {
        var node = ModelNode.FromModelFileText("mart_x", Header);

        Assert.Equal([["project_code"], ["fiscal_year", "period", "department_code"]], node.Indexes.Select(i => i.ToArray()).ToArray());
        Assert.Empty(ModelNode.FromModelFileText("mart_y", "-- materialized: table\nselect 1 as a").Indexes);
    }

    [Fact]
    public void Postgres_gets_one_create_index_per_declared_index_and_duckdb_none()
    {
        var node = ModelNode.FromModelFileText("mart_x", Header);

        Assert.Equal([
                "CREATE INDEX IF NOT EXISTS ix_mart_x__project_code ON mart_x (project_code)",
                "CREATE INDEX IF NOT EXISTS ix_mart_x__fiscal_year_period_department_code ON mart_x (fiscal_year, period, department_code)",
            ],
            ModelIndexes.Statements(EngineFactory.Create("Host=127.0.0.1;Port=1;Username=u;Database=d"), node));
        Assert.Empty(ModelIndexes.Statements(EngineFactory.Create("/tmp/never-opened.duckdb"), node));
        // a view has no index, whatever it declares
        Assert.Empty(ModelIndexes.Statements(EngineFactory.Create("Host=127.0.0.1;Port=1;Username=u;Database=d"),
            ModelNode.FromModelFileText("stg_x", "-- indexes: project_code\nselect 1 as project_code")));
    }

    [Fact]
    public void An_incremental_model_gets_an_index_on_the_last_code_column_of_its_unique_key_unless_declared_first()
    {
        var postgres = EngineFactory.Create("Host=127.0.0.1;Port=1;Username=u;Database=d");
        var judgement = ModelNode.FromModelFileText("fct_x",
            "-- materialized: incremental\n-- unique_key: fiscal_year, period, entity_kind, entity_code\nselect 1 as entity_code");
        var declared = ModelNode.FromModelFileText("fct_y",
            "-- materialized: incremental\n-- indexes: project_code\n-- unique_key: fiscal_year, project_code\nselect 1 as project_code");
        var noCode = ModelNode.FromModelFileText("mart_z",
            "-- materialized: incremental\n-- unique_key: fiscal_year, project_a, project_b\nselect 1 as project_a");

        // the delete of the touched slices finds fct_x's rows by entity_code, an index only the next build uses: made
        // after the commit, not in the build; fct_y's declared index (readers use it) starts with its key's
        Assert.Empty(ModelIndexes.Statements(postgres, judgement));
        Assert.Equal(["CREATE INDEX IF NOT EXISTS ix_fct_x__entity_code ON fct_x (entity_code)"], ModelIndexes.DeferredStatements(postgres, judgement));
        Assert.Equal(["CREATE INDEX IF NOT EXISTS ix_fct_y__project_code ON fct_y (project_code)"], ModelIndexes.Statements(postgres, declared));
        Assert.Empty(ModelIndexes.DeferredStatements(postgres, declared));
        Assert.Empty(ModelIndexes.Statements(postgres, noCode));
        Assert.Empty(ModelIndexes.DeferredStatements(postgres, noCode));
        // a delete_where through coalesce() cannot use an index on the column (the heatmaps)
        Assert.Empty(ModelIndexes.DeferredStatements(postgres, ModelNode.FromModelFileText("mart_h",
            "-- materialized: incremental\n-- unique_key: fiscal_year, department_code, indicator_category\n" +
            "-- delete_where: exists (select 1 from k where coalesce(k.department_code, '') = coalesce({{ this }}.department_code, ''))\n" +
            "select 1 as department_code")));
        // a table model with the same key gets only what it declares (it is rebuilt whole, never deleted from)
        Assert.Empty(ModelIndexes.Statements(postgres, ModelNode.FromModelFileText("fct_t",
            "-- materialized: table\n-- unique_key: fiscal_year, entity_code\nselect 1 as entity_code")));
    }

    [Fact]
    public void A_staging_model_s_declared_index_is_made_after_the_commit_as_no_page_reads_staging()
    {
        var postgres = EngineFactory.Create("Host=127.0.0.1;Port=1;Username=u;Database=d");
        var staging = ModelNode.FromModelFileText("stg_x",
            "-- materialized: incremental\n-- unique_key: project_code\n-- indexes: project_code\nselect 1 as project_code");

        Assert.Empty(ModelIndexes.Statements(postgres, staging));
        Assert.Equal(["CREATE INDEX IF NOT EXISTS ix_stg_x__project_code ON stg_x (project_code)"], ModelIndexes.DeferredStatements(postgres, staging));
        // DuckDB: neither
        Assert.Empty(ModelIndexes.DeferredStatements(EngineFactory.Create("/tmp/never-opened.duckdb"), staging));
    }

    [Fact]
    public void A_long_index_name_is_cut_to_postgres_63_bytes_and_stays_distinct()
    {
        var a = ModelIndexes.Name("mart_indicator_derivation", ["fiscal_year", "period", "department_code", "project_code"]);
        var b = ModelIndexes.Name("mart_indicator_derivation", ["fiscal_year", "period", "department_code", "level1"]);

        Assert.True(a.Length <= 63 && b.Length <= 63, $"{a} / {b}");
        Assert.NotEqual(a, b);
    }
}
