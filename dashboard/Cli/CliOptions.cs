using System.CommandLine;
using BudgetPerf.Warehouse.Engines;
using Spectre.Console;

namespace BudgetPerf.Dashboard.Cli;

/// <summary>Options every command shares, and where the command line keeps its files by default.</summary>
public static class CliOptions
{
    public const string DbVariable = "BUDGETPERF_DB";

    public static readonly Option<string?> Db = new("--db")
    {
        Description = $"DuckDB 文件路径或 PostgreSQL 连接串（默认环境变量 {DbVariable}，否则仓库的 data/budgetperf.duckdb）",
        Recursive = true,
    };

    /// <summary>
    /// The data folder (数据目录), whatever the working directory: <c>data/</c> at the top of the BudgetPerf checkout
    /// the program was built in (the nearest folder above <c>budgetperf.dll</c> that holds <c>BudgetPerf.sln</c>), or
    /// <c>data/</c> beside <c>budgetperf.dll</c> when it runs outside a checkout. The default database, the demo's
    /// inbox, the bench warehouses and the default outputs of <c>report</c> and <c>export</c> (<c>data/out/</c>) live here.
    /// </summary>
    public static string DataDir { get; } = FindDataDir();

    /// <summary>The default DuckDB file: <c>DataDir/budgetperf.duckdb</c>.</summary>
    public static string DefaultDb => Path.Combine(DataDir, "budgetperf.duckdb");

    /// <summary>Where <c>report</c> and <c>export</c> write when no <c>--out</c> is given (ignored by git with data/).</summary>
    public static string OutDir => Path.Combine(DataDir, "out");

    /// <summary>The database of this command: <c>--db</c>, else <c>BUDGETPERF_DB</c>, else <see cref="DefaultDb"/>.</summary>
    public static (string Target, string Source) Resolve(ParseResult parse)
    {
        if (parse.GetValue(Db) is { Length: > 0 } db && !string.IsNullOrWhiteSpace(db)) return (db, "--db");
        if (Environment.GetEnvironmentVariable(DbVariable) is { } env && !string.IsNullOrWhiteSpace(env)) return (env, DbVariable);
        return (DefaultDb, "默认");
    }

    /// <summary>The engine of the resolved database, after one line saying which database it is and why.</summary>
    public static WarehouseEngine Engine(ParseResult parse)
    {
        var (target, source) = Resolve(parse);
        var engine = EngineFactory.Create(target);
        Announce(engine, source);
        return engine;
    }

    public static void Announce(WarehouseEngine engine, string source) =>
        AnsiConsole.MarkupLineInterpolated($"[grey]数据库 {engine.Describe()}（{source}）[/]");

    private static string FindDataDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BudgetPerf.sln"))) return Path.Combine(dir.FullName, "data");
        return Path.Combine(AppContext.BaseDirectory, "data");
    }
}
