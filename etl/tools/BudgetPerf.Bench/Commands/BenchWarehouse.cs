using System.CommandLine;
using BudgetPerf.Etl.Demo;
using BudgetPerf.Warehouse.Engines;
using Spectre.Console;

namespace BudgetPerf.Bench.Commands;

/// <summary>
/// The warehouse a bench runs on (<c>bench queries</c>, <c>bench overlap</c>, <c>bench forecast</c>): the one <c>--db</c>
/// or <c>BUDGETPERF_DB</c> names, else a demo warehouse <c>DIR/{scale}-{years}y[-s{seed}].duckdb</c> built on first use
/// (and rebuilt when an earlier build was interrupted before its marts) and reused after.
/// </summary>
internal static class BenchWarehouse
{
    /// <summary>The engine, or null when the demo warehouse could not be built (the demo command said why).</summary>
    public static async Task<WarehouseEngine?> OpenAsync(BenchHost host, ParseResult parse, DemoOptions demo, string folder, CancellationToken ct)
    {
        var (db, source) = host.Resolve(parse);
        if (source != "默认") return EngineFactory.Create(db);
        Directory.CreateDirectory(folder);
        var name = $"{demo.Scale.ToString().ToLowerInvariant()}-{demo.Years}y{(demo.Seed == 42 ? "" : $"-s{demo.Seed}")}.duckdb";
        var file = Path.Combine(folder, name);
        var engine = EngineFactory.Create(file);
        if (File.Exists(file) && await HasMartsAsync(engine, ct)) return engine;
        if (File.Exists(file)) File.Delete(file); // an interrupted earlier build
        AnsiConsole.MarkupLineInterpolated($"构建演示数仓 {file}（首次运行；之后复用）");
        return await host.DemoAsync(engine, demo, Path.Combine(folder, "inbox"), ct) == 0 ? engine : null;
    }

    private static async Task<bool> HasMartsAsync(WarehouseEngine engine, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        return await engine.RelationTypeAsync(connection, "mart_project_deviation", ct) is not null;
    }
}
