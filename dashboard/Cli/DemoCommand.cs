using System.CommandLine;
using BudgetPerf.Etl.Demo;
using BudgetPerf.Dashboard.Security;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using Spectre.Console;

namespace BudgetPerf.Dashboard.Cli;

/// <summary>
/// <c>budgetperf demo</c>: generate deterministic demo submissions into <c>data/inbox/</c>, load them through the
/// same path as <c>load</c>, and build the warehouse.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var scale = new Option<DemoScale>("--scale") { Description = "county（≈80 个部门、≈1,500 个项目）或 province（≈20 万项目/年）" };
        var years = new Option<int>("--years") { Description = "年度数", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "随机种子（同一种子生成同样的数据）", DefaultValueFactory = _ => 42 };
        var inbox = new Option<string>("--inbox") { Description = "演示文件目录（默认 数据目录/inbox）", DefaultValueFactory = _ => Path.Combine(CliOptions.DataDir, "inbox") };
        var command = new Command("demo", "生成演示数据，加载并构建数仓（确定性，可复现）") { scale, years, seed, inbox };
        command.SetAction((parse, ct) => BudgetPerfCli.Guard(async () =>
        {
            var engine = CliOptions.Engine(parse);
            var options = new DemoOptions { Scale = parse.GetValue(scale), Years = parse.GetValue(years), Seed = parse.GetValue(seed) };
            return await RunAsync(engine, options, parse.GetValue(inbox)!, ct);
        }));
        return command;
    }

    public static async Task<int> RunAsync(WarehouseEngine engine, DemoOptions options, string inbox, CancellationToken ct)
    {
        AnsiConsole.MarkupLineInterpolated($"生成演示数据：{options.Scale}，{options.FirstYear}–{options.LastYear} 年，种子 {options.Seed} → {inbox}");
        var files = new DemoGenerator(options).Generate(inbox, new Progress<string>(line => Console.WriteLine($"  {line}")), ct);

        InitCommand.Report(engine, await WarehouseSetup.InitAsync(engine, ct: ct));
        var loaded = await LoadCommand.LoadAllAsync(engine, files, new LoadOptions(), ct);
        if (loaded.Files.Any(f => f.Result.Status == LoadStatus.Rejected)) return 1;

        var build = await BuildCommand.RunAsync(engine, select: null, fullRefresh: false, ct);
        if (!build.Success) return 1;
        PrintUsers(await DemoUsers.EnsureAsync(engine, ct));
        return 0;
    }

    /// <summary>The demo users and, for those created now, their passwords (shown this once).</summary>
    private static void PrintUsers(IReadOnlyList<DemoUsers.Created> users)
    {
        var table = new Table().Title("演示账户（登录看板用；密码只显示这一次）").AddColumns("用户名", "角色", "部门", "密码");
        foreach (var u in users)
            table.AddRow(Markup.Escape(u.UserName), Markup.Escape(u.Roles), Markup.Escape(u.Departments),
                u.Password is { } p ? Markup.Escape(p) : "[grey]（已存在，密码未改；忘记可用 budgetperf user reset-password）[/]");
        AnsiConsole.Write(table);
    }
}
