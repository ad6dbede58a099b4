using System.CommandLine;
using BudgetPerf.Dashboard.Security;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Migrations;
using BudgetPerf.Warehouse.Security;
using Spectre.Console;

namespace BudgetPerf.Dashboard.Cli;

/// <summary>
/// <c>budgetperf user add-bi NAME [--department CODE ...] [--password P]</c>: a read-only PostgreSQL login for Power BI,
/// Excel or FineBI that sees only the bi schema (and, with departments, only their rows). Audited; a generated
/// password is printed once.
/// </summary>
public static class BiUserCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "数据库登录名（小写字母开头，字母、数字、下划线）" };
        var departments = new Option<string[]>("--department")
        {
            Description = "只看这些部门的数据（部门编码，可多个；省略则全部部门）", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [],
        };
        var password = new Option<string?>("--password") { Description = "密码（默认生成一个，只显示一次）" };
        var command = new Command("add-bi", "新增 BI 只读数据库登录（PostgreSQL）：只能读 bi 模式的视图，可限定部门") { name, departments, password };
        command.SetAction((parse, ct) => BudgetPerfCli.Guard(() => AddAsync(EngineFactory.Create(parse.GetValue(CliOptions.Db)),
            parse.GetValue(name)!, parse.GetValue(departments) ?? [], parse.GetValue(password), ct)));
        return command;
    }

    public static async Task<int> AddAsync(WarehouseEngine engine, string name, IReadOnlyList<string> departments, string? password,
        CancellationToken ct)
    {
        var usage = BiLogins.NameProblem(name) ?? (password is { Length: 0 } ? "--password 不能为空（省略它则生成一个）" : null);
        if (usage is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]用法错误:[/] {usage}");
            return 2;
        }
        await using (await engine.OpenAsync(ct)) { }
        WarehouseMigrator.Migrate(engine);
        var secret = password ?? UserAccounts.GeneratePassword();
        if (await new BiLogins(engine).AddAsync(name, departments, secret, $"cli:{Environment.UserName}", ct) is { } problem)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]错误:[/] {problem}");
            return 1;
        }
        AnsiConsole.MarkupLineInterpolated($"已新增 BI 只读登录 [bold]{name}[/]（{(departments.Count == 0 ? "全部部门" : "部门 " + string.Join(",", departments))}；只能读 bi 模式）");
        if (password is null) AnsiConsole.MarkupLineInterpolated($"密码（只显示这一次，请妥善转交）：[bold]{secret}[/]");
        return 0;
    }
}
