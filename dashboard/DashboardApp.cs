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
        builder.AddDashboard(engine);
        return builder;
    }
}
