using BudgetPerf.Warehouse.Engines;

namespace BudgetPerf.Dashboard;

/// <summary>Composition of the web app: services, then endpoints.</summary>
public static class DashboardApp
{
    public static WebApplication Create(WarehouseEngine engine, string urls)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "budgetperf",
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.WebHost.UseUrls(urls);
        builder.WebHost.UseStaticWebAssets();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.AddDashboard(engine);
        var app = builder.Build();
        app.MapDashboard();
        return app;
    }
}
