using System.CommandLine;

namespace BudgetPerf.Dashboard.Cli;

/// <summary>Options every command shares.</summary>
public static class CliOptions
{
    public static readonly Option<string?> Db = new("--db")
    {
        Description = "DuckDB 文件路径或 PostgreSQL 连接串 (默认 data/budgetperf.duckdb，或环境变量 BUDGETPERF_DB)",
        Recursive = true,
    };
}
