using BudgetPerf.Warehouse.Engines;

namespace BudgetPerf.Dashboard;

/// <summary>Composition of the web app: services, then endpoints.</summary>
public static class DashboardApp
{
    /// <param name="settings">Configuration set on the command line (e.g. <c>BudgetPerf:UploadLimitMB</c>), over appsettings and the environment.</param>
    public static WebApplication Create(WarehouseEngine engine, string urls, IDictionary<string, string?>? settings = null)
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
        var app = builder.Build();
        app.MapDashboard();
        return app;
    }
}
