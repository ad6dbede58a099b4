using BudgetPerf.Dashboard.Pages;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;

namespace BudgetPerf.Dashboard;

/// <summary>Composition of the web app: services, then endpoints.</summary>
public static class DashboardApp
{
    public static WebApplication Create(WarehouseEngine engine, string urls)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton(engine);
        builder.Services.AddSingleton<OverviewQueries>();
        var app = builder.Build();
        app.MapOverviewPage();
        return app;
    }
}
