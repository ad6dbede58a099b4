using BudgetPerf.Warehouse.Engines;

namespace BudgetPerf.Dashboard;

/// <summary>Composition of the web app: services, then endpoints.</summary>
public static class DashboardApp
{
    /// <param name="settings">Configuration set on the command line (e.g. <c>BudgetPerf:UploadLimitMB</c>), over appsettings and the environment.</param>
    public static WebApplication Create(WarehouseEngine engine, string urls, IDictionary<string, string?>? settings = null)
    {
        var app = CreateBuilder(engine, urls, settings).Build();
        app.MapDashboard();
        return app;
    }

    /// <summary>The configured builder, before <c>Build</c>: tests swap the server for an in-memory one here.</summary>
    public static WebApplicationBuilder CreateBuilder(WarehouseEngine engine, string urls, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "budgetperf",
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls(urls);
        builder.WebHost.UseStaticWebAssets();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        ReservePoolThreads(builder.Configuration);
        builder.AddDashboard(engine);
        return builder;
    }

    /// <summary>
    /// The thread pool's threads made at once, up to <c>BudgetPerf:PoolThreads</c> (default 32; 0 leaves .NET's: one per
    /// core). A DuckDB query runs synchronously on the pool thread that asks it (DuckDB.NET has no asynchronous I/O), so a
    /// pass of the submission worker, a chart's query and an upload's parsing each hold a thread for their whole time, and
    /// past one per core the pool adds a thread about twice a second: every request, even one that would be answered from
    /// the cache, waited for a thread. Issue 15 (DuckDB, province, 200 uploads into a filled year, readers pausing a second
    /// between reads, 2 cores): the readers saw 604–718 ms at p95 in the burst while the server's pipeline took 88 ms (6
    /// threads, up to 11 work items queued); with 32 threads ready, 94 ms (up to 28 threads busy). Against the code before
    /// either change: 53 → 286 ms (5.38×) then, 56 → 126 ms (2.27×) with the threads alone.
    /// </summary>
    private static void ReservePoolThreads(IConfiguration configuration)
    {
        var threads = configuration.GetValue<int?>("BudgetPerf:PoolThreads") ?? 32;
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (threads > workers) ThreadPool.SetMinThreads(threads, io);
    }
}
