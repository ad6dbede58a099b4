using BudgetPerf.Dashboard.Cli;
using BudgetPerf.Dashboard.Security;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Migrations;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Tests.Integration.Security;

/// <summary>Users and their audit rows (migration 0015) on both engines.</summary>
[Collection(PostgresCollection.Name)]
public sealed class UserStoreTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private async Task<(WarehouseEngine Engine, UserAccounts Accounts)> MigratedAsync(string engineName)
    {
        var engine = await Engines.FreshAsync(engineName, _dir, postgres);
        WarehouseMigrator.Migrate(engine);
        return (engine, new UserAccounts(engine));
    }

    private static UserAccounts.NewUser DepartmentUser(string name, params string[] departments) =>
        new(name, "教育局填报员", ["部门"], departments);

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task An_added_user_verifies_with_its_password_and_not_with_another(string engineName)
    {
        var (_, accounts) = await MigratedAsync(engineName);

        var given = await accounts.AddAsync(DepartmentUser("jyj", "101"), "Right-Pass-1", "test");
        var generated = await accounts.AddAsync(new("boss", null, ["领导"], []), null, "test");

        Assert.Equal("Right-Pass-1", given);
        Assert.Equal(16, generated!.Length);
        Assert.True(await accounts.VerifyAsync("jyj", "Right-Pass-1"));
        Assert.False(await accounts.VerifyAsync("jyj", "Wrong-Pass-1"));
        Assert.True(await accounts.VerifyAsync("boss", generated));
        Assert.False(await accounts.VerifyAsync("nobody", "Right-Pass-1"));
        var stored = await accounts.Store.FindAsync("jyj");
        Assert.NotEqual("Right-Pass-1", stored!.PasswordHash);
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_disabled_user_no_longer_verifies(string engineName)
    {
        var (_, accounts) = await MigratedAsync(engineName);
        await accounts.AddAsync(DepartmentUser("jyj", "101"), "Right-Pass-1", "test");

        Assert.True(await accounts.DisableAsync("jyj", "test"));

        Assert.True((await accounts.Store.FindAsync("jyj"))!.IsDisabled);
        Assert.False(await accounts.VerifyAsync("jyj", "Right-Pass-1"));
        Assert.False(await accounts.DisableAsync("nobody", "test"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Resetting_the_password_changes_the_hash_and_retires_the_old_password(string engineName)
    {
        var (_, accounts) = await MigratedAsync(engineName);
        await accounts.AddAsync(DepartmentUser("jyj", "101"), "Old-Pass-1", "test");
        var before = (await accounts.Store.FindAsync("jyj"))!.PasswordHash;

        var fresh = await accounts.ResetPasswordAsync("jyj", null, "test");

        Assert.NotEqual(before, (await accounts.Store.FindAsync("jyj"))!.PasswordHash);
        Assert.False(await accounts.VerifyAsync("jyj", "Old-Pass-1"));
        Assert.True(await accounts.VerifyAsync("jyj", fresh!));
        Assert.Null(await accounts.ResetPasswordAsync("nobody", null, "test"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_list_shows_roles_and_departments(string engineName)
    {
        var (_, accounts) = await MigratedAsync(engineName);
        await accounts.AddAsync(new("multi", "多部门", ["部门", "分析"], ["101", "102 ", "101"]), "P-1", "test");
        await accounts.AddAsync(new("admin", null, ["管理员"], []), "P-2", "test");

        var users = await accounts.Store.ListAsync();

        Assert.Equal(["admin", "multi"], users.Select(u => u.UserName));
        var multi = users[1];
        Assert.Equal("部门,分析", multi.Roles);
        Assert.Equal([Role.Department, Role.Analyst], multi.RoleList);
        Assert.Equal(["101", "102"], multi.DepartmentList); // trimmed, duplicate dropped
        Assert.Equal("多部门", multi.DisplayName);
        Assert.Equal("", users[0].Departments);
        Assert.Equal("admin", users[0].DisplayName);
        Assert.False(multi.IsDisabled);
        Assert.Equal(0, multi.FailedAttempts);
        Assert.Null(multi.LockedUntil);
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Every_user_change_writes_an_audit_row(string engineName)
    {
        var (_, accounts) = await MigratedAsync(engineName);

        await accounts.AddAsync(DepartmentUser("jyj", "101"), "P-1", "admin1");
        await accounts.AddAsync(DepartmentUser("jyj", "102"), "P-1", "admin1"); // name taken
        await accounts.ResetPasswordAsync("jyj", null, "admin1");
        await accounts.DisableAsync("jyj", "admin1");
        await accounts.DisableAsync("ghost", "admin1");

        var rows = (await accounts.Store.RecentAuditAsync(100)).OrderBy(r => r.LoggedAt).ThenBy(r => r.Action).ToList();
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal("admin1", r.UserName));
        Assert.Equal(
            ["user.add ok", "user.add refused", "user.disable ok", "user.disable refused", "user.reset-password ok"],
            rows.Select(r => $"{r.Action} {r.Outcome}").Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.DoesNotContain("P-1", r.Detail));
        Assert.Contains(rows, r => r.Detail!.Contains("ghost"));
    }

    [Fact]
    public async Task The_cli_refuses_a_department_user_without_a_department_and_an_unknown_role_with_exit_2()
    {
        var (engine, accounts) = await MigratedAsync("duckdb");

        var noDepartment = await UserCommand.AddAsync(engine, new("jyj", null, ["部门"], []), null, CancellationToken.None);
        var unknownRole = await UserCommand.AddAsync(engine, new("boss", null, ["局长"], []), null, CancellationToken.None);
        var ok = await UserCommand.AddAsync(engine, new("jyj", null, ["部门"], ["101"]), "P-1", CancellationToken.None);
        var again = await UserCommand.AddAsync(engine, new("jyj", null, ["部门"], ["101"]), "P-1", CancellationToken.None);

        Assert.Equal(2, noDepartment);
        Assert.Equal(2, unknownRole);
        Assert.Equal(0, ok);
        Assert.Equal(1, again);
        Assert.Equal(["jyj"], (await accounts.Store.ListAsync()).Select(u => u.UserName));
        Assert.Equal(0, await UserCommand.ListAsync(engine, CancellationToken.None));
        Assert.Equal(0, await UserCommand.DisableAsync(engine, "jyj", CancellationToken.None));
        Assert.Equal(1, await UserCommand.DisableAsync(engine, "ghost", CancellationToken.None));
        Assert.Equal(0, await UserCommand.ResetPasswordAsync(engine, "jyj", null, CancellationToken.None));
    }

    public void Dispose() => _dir.Dispose();
}
