namespace BudgetPerf.Warehouse;

/// <summary>Locates the <c>sql/</c> folder (migrations, seeds, models, tests) copied beside the binaries.</summary>
public static class SqlAssets
{
    /// <summary>The sql folder: <c>BUDGETPERF_SQL</c> when set, else <c>sql/</c> beside the running assembly.</summary>
    public static string Root =>
        Environment.GetEnvironmentVariable("BUDGETPERF_SQL") is { Length: > 0 } overridden
            ? overridden
            : Path.Combine(AppContext.BaseDirectory, "sql");

    public static string Migrations => Path.Combine(Root, "migrations");
    public static string Seeds => Path.Combine(Root, "seeds");
    public static string Models => Path.Combine(Root, "models");
    public static string Tests => Path.Combine(Root, "tests");
}
