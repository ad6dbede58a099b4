using System.CommandLine;
using BudgetPerf.Dashboard.Security;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Migrations;
using BudgetPerf.Warehouse.Security;
using Spectre.Console;

namespace BudgetPerf.Dashboard.Cli;

/// <summary>
/// <c>budgetperf user add|list|disable|reset-password</c>: the users of the dashboard (app_user). Every change is
/// written to audit_log; a generated password is printed once and never stored.
/// </summary>
public static class UserCommand
{
    public static Command Create()
    {
        var command = new Command("user", "用户管理：新增、列出、停用、重置密码；add-bi 新增 BI 只读数据库登录");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Disable());
        command.Subcommands.Add(ResetPassword());
        command.Subcommands.Add(BiUserCommand.Create());
        return command;
    }

    /// <summary>Who made the change, for audit_log: the operating-system account behind the CLI.</summary>
    private static string Actor => $"cli:{Environment.UserName}";

    private static Command Add()
    {
        var name = new Argument<string>("name") { Description = "用户名（登录名）" };
        var roles = new Option<string[]>("--role")
        {
            Description = $"角色，可多个：{string.Join(" / ", Roles.AllNames)}", Required = true, AllowMultipleArgumentsPerToken = true,
        };
        var departments = new Option<string[]>("--department")
        {
            Description = "部门编码，可多个（部门用户必填）", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [],
        };
        var password = new Option<string?>("--password") { Description = "初始密码（默认生成一个，只显示一次）" };
        var display = new Option<string?>("--display-name") { Description = "显示名（默认同用户名）" };
        var region = new Option<string?>("--region") { Description = "区划代码（6 位；只看该省/市/县的部门，如县财政局 --region 660121）" };
        var command = new Command("add", "新增用户") { name, roles, departments, password, display, region };
        command.SetAction((parse, ct) => BudgetPerfCli.Guard(() => AddAsync(
            CliOptions.Engine(parse),
            new UserAccounts.NewUser(parse.GetValue(name)!, parse.GetValue(display), parse.GetValue(roles) ?? [], parse.GetValue(departments) ?? [],
                parse.GetValue(region)),
            parse.GetValue(password), ct)));
        return command;
    }

    public static async Task<int> AddAsync(WarehouseEngine engine, UserAccounts.NewUser user, string? password, CancellationToken ct)
    {
        if (UserAccounts.Validate(user) is { } error)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]用法错误:[/] {error}");
            return 2;
        }
        if (password is { Length: 0 })
        {
            AnsiConsole.MarkupLine("[red]用法错误:[/] --password 不能为空（省略它则生成一个）");
            return 2;
        }
        var accounts = await OpenAsync(engine, ct);
        var shown = await accounts.AddAsync(user, password, Actor, ct);
        if (shown is null)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]错误:[/] 用户 {user.UserName} 已存在");
            return 1;
        }
        var added = (await accounts.Store.FindAsync(user.UserName.Trim(), ct))!;
        AnsiConsole.MarkupLineInterpolated($"已新增用户 [bold]{added.UserName}[/]（{added.Roles}{(added.Departments.Length > 0 ? "；部门 " + added.Departments : "")}{(added.RegionCode is null ? "" : "；区划 " + added.RegionCode)}）");
        if (password is null) PrintOnce(shown);
        return 0;
    }

    private static Command List()
    {
        var command = new Command("list", "列出用户及其角色、部门和状态");
        command.SetAction((parse, ct) => BudgetPerfCli.Guard(() => ListAsync(CliOptions.Engine(parse), ct)));
        return command;
    }

    public static async Task<int> ListAsync(WarehouseEngine engine, CancellationToken ct)
    {
        var users = await (await OpenAsync(engine, ct)).Store.ListAsync(ct);
        if (users.Count == 0)
        {
            AnsiConsole.MarkupLine("还没有用户（用 [bold]budgetperf user add NAME --role 角色[/] 新增）");
            return 0;
        }
        var table = new Table().AddColumns("用户名", "显示名", "角色", "部门", "区划", "状态", "创建时间");
        foreach (var u in users)
        {
            var state = u.IsDisabled ? "停用" : u.LockedUntil > DateTime.Now ? $"锁定至 {u.LockedUntil:yyyy-MM-dd HH:mm}" : "正常";
            table.AddRow(Markup.Escape(u.UserName), Markup.Escape(u.DisplayName), Markup.Escape(u.Roles), Markup.Escape(u.Departments),
                Markup.Escape(u.RegionCode ?? ""), state, u.CreatedAt.ToString("yyyy-MM-dd HH:mm"));
        }
        AnsiConsole.Write(table);
        return 0;
    }

    private static Command Disable()
    {
        var name = new Argument<string>("name") { Description = "用户名" };
        var command = new Command("disable", "停用用户（此后不能登录）") { name };
        command.SetAction((parse, ct) => BudgetPerfCli.Guard(() => DisableAsync(
            CliOptions.Engine(parse), parse.GetValue(name)!, ct)));
        return command;
    }

    public static async Task<int> DisableAsync(WarehouseEngine engine, string name, CancellationToken ct)
    {
        if (!await (await OpenAsync(engine, ct)).DisableAsync(name, Actor, ct)) return NoSuchUser(name);
        AnsiConsole.MarkupLineInterpolated($"已停用用户 [bold]{name}[/]");
        return 0;
    }

    private static Command ResetPassword()
    {
        var name = new Argument<string>("name") { Description = "用户名" };
        var password = new Option<string?>("--password") { Description = "新密码（默认生成一个，只显示一次）" };
        var command = new Command("reset-password", "重置密码（同时清除失败次数和锁定）") { name, password };
        command.SetAction((parse, ct) => BudgetPerfCli.Guard(() => ResetPasswordAsync(
            CliOptions.Engine(parse), parse.GetValue(name)!, parse.GetValue(password), ct)));
        return command;
    }

    public static async Task<int> ResetPasswordAsync(WarehouseEngine engine, string name, string? password, CancellationToken ct)
    {
        if (password is { Length: 0 })
        {
            AnsiConsole.MarkupLine("[red]用法错误:[/] --password 不能为空（省略它则生成一个）");
            return 2;
        }
        var shown = await (await OpenAsync(engine, ct)).ResetPasswordAsync(name, password, Actor, ct);
        if (shown is null) return NoSuchUser(name);
        AnsiConsole.MarkupLineInterpolated($"已重置用户 [bold]{name}[/] 的密码");
        if (password is null) PrintOnce(shown);
        return 0;
    }

    /// <summary>The warehouse with its migrations applied (app_user and audit_log come with 0015).</summary>
    private static async Task<UserAccounts> OpenAsync(WarehouseEngine engine, CancellationToken ct)
    {
        // open once through the engine first: a locked DuckDB file is reported plainly, not as a DbUp failure
        await using (await engine.OpenAsync(ct)) { }
        WarehouseMigrator.Migrate(engine);
        return new UserAccounts(engine);
    }

    private static void PrintOnce(string password) =>
        AnsiConsole.MarkupLineInterpolated($"密码（只显示这一次，请妥善转交）：[bold]{password}[/]");

    private static int NoSuchUser(string name)
    {
        AnsiConsole.MarkupLineInterpolated($"[red]错误:[/] 没有用户 {name}");
        return 1;
    }
}
