using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Security;
using Dapper;
using Npgsql;

namespace BudgetPerf.Tests.Integration.Bi;

/// <summary>
/// The BI login of <c>budgetperf user add-bi</c> on PostgreSQL: reads every bi view and nothing else, keeps its grants
/// across model builds, and, when department-scoped, sees only its departments' rows (bi_access + security_barrier views).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BiRoleTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql) =>
        await connection.ExecuteScalarAsync<long>(sql);

    [SkippableFact]
    public async Task Bi_login_reads_every_bi_view_and_is_refused_marts_app_user_and_writes()
    {
        var engine = await BiWarehouse.BuildAsync("postgres", _dir, postgres);
        var login = BiWarehouse.UniqueLogin("bi_all");
        Assert.Null(await new BiLogins(engine).AddAsync(login, [], "s3cret-pw", "test"));
        var views = new BiLayer(engine).Views(SqlAssets.Root);
        Assert.Equal(12, views.Count);

        await using (var bi = await BiWarehouse.OpenAsAsync(engine, login, "s3cret-pw"))
        {
            foreach (var view in views)
                await CountAsync(bi, $"SELECT COUNT(*) FROM bi.{view}");
            // every department: 2 projects at 1-6月 + M01 at 1-3月 and 1-12月 = 4 rows
            Assert.Equal(4, await CountAsync(bi, "SELECT COUNT(*) FROM fct_project_deviation"));

            foreach (var forbidden in new[] { "public.mart_project_deviation", "public.app_user", "public.bi_access", "public.dim_department", "public.audit_log" })
            {
                var refused = await Assert.ThrowsAsync<PostgresException>(() => CountAsync(bi, $"SELECT COUNT(*) FROM {forbidden}"));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
            }
            // read-only: a write transaction is refused before the privileges are even looked at
            var write = await Assert.ThrowsAsync<PostgresException>(() => bi.ExecuteAsync("CREATE TABLE bi.mine (x int)"));
            Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, write.SqlState);
            // and with the transaction made writable, the privileges refuse it
            await bi.ExecuteAsync("SET default_transaction_read_only = off");
            var create = await Assert.ThrowsAsync<PostgresException>(() => bi.ExecuteAsync("CREATE TABLE bi.mine (x int)"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, create.SqlState);
            // dim_department is a single-table view PostgreSQL could update: only the missing privilege stops it
            var delete = await Assert.ThrowsAsync<PostgresException>(() => bi.ExecuteAsync("DELETE FROM bi.dim_department"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, delete.SqlState);
        }

        // a rebuild drops and recreates the marts and the bi views: the login keeps reading them
        var rebuild = await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") });
        Assert.True(rebuild.Success);
        Assert.Contains(rebuild.Nodes, n => n.Node == BiLayer.Node && n.Status == "success");
        await using (var again = await BiWarehouse.OpenAsAsync(engine, login, "s3cret-pw"))
            Assert.Equal(4, await CountAsync(again, "SELECT COUNT(*) FROM bi.fct_project_deviation"));
    }

    [SkippableFact]
    public async Task Department_bi_login_sees_only_its_departments_rows_in_every_view()
    {
        var engine = await BiWarehouse.BuildAsync("postgres", _dir, postgres);
        var login = BiWarehouse.UniqueLogin("bi_edu");
        Assert.Null(await new BiLogins(engine).AddAsync(login, ["101"], "pw-101", "test"));

        await using var bi = await BiWarehouse.OpenAsAsync(engine, login, "pw-101");
        // 教育局's M01 at 1-3月, 1-6月, 1-12月: 3 rows; 交通局's M02 is absent
        Assert.Equal(3, await CountAsync(bi, "SELECT COUNT(*) FROM bi.fct_project_deviation"));
        foreach (var view in new[] { "fct_project_deviation", "fct_trend", "fct_department_heatmap", "fct_indicator_progress", "dim_department", "dim_project" })
            Assert.True(await CountAsync(bi, $"SELECT COUNT(*) FROM bi.{view} WHERE department_code <> '101'") == 0, view);
        Assert.Equal(["101"], (await bi.QueryAsync<string>("SELECT department_code FROM bi.dim_department")).ToArray());
        Assert.Equal(["M01"], (await bi.QueryAsync<string>("SELECT project_code FROM bi.dim_project")).ToArray());
        // a condition that would leak hidden rows through an error or a side channel is applied after the filter
        // (security_barrier): dividing by zero on 交通局's rows never happens
        Assert.Equal(3, await CountAsync(bi, "SELECT COUNT(*) FROM bi.fct_project_deviation WHERE 1 / CASE WHEN department_code = '102' THEN 0 ELSE 1 END = 1"));
        // the year-end 执行率 of M01: 90 / 100 = 0.9
        Assert.Equal(0.9m, await bi.ExecuteScalarAsync<decimal>("SELECT execution_rate FROM bi.fct_trend WHERE period = '1-12月'"));
    }

    [SkippableFact]
    public async Task A_login_in_the_bi_group_without_a_bi_access_row_sees_no_rows()
    {
        var engine = await BiWarehouse.BuildAsync("postgres", _dir, postgres);
        var stranger = BiWarehouse.UniqueLogin("bi_x");
        await using (var admin = (NpgsqlConnection)await engine.OpenAsync())
            await admin.ExecuteAsync($"CREATE ROLE {stranger} LOGIN PASSWORD 'pw' IN ROLE {BiLogins.GroupRole}");
        await using var bi = await BiWarehouse.OpenAsAsync(engine, stranger, "pw");
        Assert.Equal(0, await CountAsync(bi, "SELECT COUNT(*) FROM bi.fct_project_deviation"));
        Assert.Equal(0, await CountAsync(bi, "SELECT COUNT(*) FROM bi.dim_period"));
    }

    [SkippableFact]
    public async Task Add_bi_refuses_an_unknown_department_a_bad_name_and_an_existing_role()
    {
        var engine = await BiWarehouse.BuildAsync("postgres", _dir, postgres);
        var logins = new BiLogins(engine);
        Assert.Equal("没有部门 999", await logins.AddAsync(BiWarehouse.UniqueLogin("bi_q"), ["999"], "pw", "test"));
        Assert.Contains("不合用", await logins.AddAsync("Robert'); DROP TABLE app_user;--", [], "pw", "test"));
        Assert.Equal("数据库角色 postgres 已存在", await logins.AddAsync("postgres", [], "pw", "test"));
    }

    [SkippableFact]
    public async Task User_add_bi_command_creates_a_login_once_and_exits_2_on_a_bad_name()
    {
        var engine = await BiWarehouse.BuildAsync("postgres", _dir, postgres);
        var login = BiWarehouse.UniqueLogin("bi_cli");
        Assert.Equal(0, await BudgetPerf.Dashboard.Cli.BiUserCommand.AddAsync(engine, login, ["102"], "cli-pw", CancellationToken.None));
        Assert.Equal(1, await BudgetPerf.Dashboard.Cli.BiUserCommand.AddAsync(engine, login, [], "cli-pw", CancellationToken.None));
        Assert.Equal(2, await BudgetPerf.Dashboard.Cli.BiUserCommand.AddAsync(engine, "Bad-Name", [], null, CancellationToken.None));
        await using var bi = await BiWarehouse.OpenAsAsync(engine, login, "cli-pw");
        // 交通局's M02 at 1-6月 only
        Assert.Equal(["M02"], (await bi.QueryAsync<string>("SELECT project_code FROM fct_project_deviation")).ToArray());
        await using var admin = await engine.OpenAsync();
        Assert.Equal(1, await admin.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'bi.add' AND detail LIKE @d", new { d = login + "%102" }));
    }

    [Fact]
    public async Task Add_bi_on_a_duckdb_file_says_the_file_has_no_logins()
    {
        var engine = new BudgetPerf.Warehouse.Engines.DuckDb.DuckDbEngine(_dir.File("w.duckdb"));
        Assert.Contains("只用于 PostgreSQL", await new BiLogins(engine).AddAsync("bi_x", [], "pw", "test"));
    }
}
