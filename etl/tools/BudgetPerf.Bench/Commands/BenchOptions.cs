using System.CommandLine;
using BudgetPerf.Etl.Demo;

namespace BudgetPerf.Bench.Commands;

/// <summary>
/// The options the bench commands share, each declared once here (a command gives its own default where it needs
/// one): the demo's scale, years and seed, and the folder of the demo warehouse a bench runs on without <c>--db</c>.
/// </summary>
public static class BenchOptions
{
    public static Option<DemoScale> Scale(DemoScale byDefault) =>
        new("--scale") { Description = $"无 --db 时的演示规模（默认 {byDefault.ToString().ToLowerInvariant()}）", DefaultValueFactory = _ => byDefault };

    public static Option<int> Years(int byDefault, string note = "") =>
        new("--years") { Description = $"无 --db 时的演示年度数{note}", DefaultValueFactory = _ => byDefault };

    public static Option<int> Seed() =>
        new("--seed") { Description = "演示随机种子（有 --db 时须与生成数仓时相同）", DefaultValueFactory = _ => new DemoOptions().Seed };

    public static Option<string> Dir(string byDefault, string description) =>
        new("--dir") { Description = description, DefaultValueFactory = _ => byDefault };
}

/// <summary>
/// The demo warehouse a bench runs on (<c>--scale</c>, <c>--years</c>, <c>--seed</c>, <c>--dir</c>, see
/// <see cref="BenchWarehouse"/>): add them to a command with <see cref="AddTo"/>, read them with <see cref="Demo"/>.
/// </summary>
public sealed class DemoWarehouseOptions(BenchHost host, DemoScale scale, int years, string yearsNote = "")
{
    public Option<DemoScale> Scale { get; } = BenchOptions.Scale(scale);
    public Option<int> Years { get; } = BenchOptions.Years(years, yearsNote);
    public Option<int> Seed { get; } = BenchOptions.Seed();
    public Option<string> Dir { get; } = BenchOptions.Dir(Path.Combine(host.DataDir, "bench"), "无 --db 时演示数仓的目录（默认 数据目录/bench）");

    public Command AddTo(Command command)
    {
        foreach (var option in new Option[] { Scale, Years, Seed, Dir }) command.Options.Add(option);
        return command;
    }

    public DemoOptions Demo(ParseResult parse) =>
        new() { Scale = parse.GetValue(Scale), Years = parse.GetValue(Years), Seed = parse.GetValue(Seed) };

    /// <summary>The engine: <c>--db</c>'s, else the demo warehouse in <c>--dir</c> (built on first use); null when that failed.</summary>
    public Task<Warehouse.Engines.WarehouseEngine?> OpenAsync(ParseResult parse, CancellationToken ct) =>
        BenchWarehouse.OpenAsync(host, parse, Demo(parse), parse.GetValue(Dir)!, ct);
}
