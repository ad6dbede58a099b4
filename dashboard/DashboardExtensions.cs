using BudgetPerf.Dashboard.Annotations;
using BudgetPerf.Dashboard.Charts;
using BudgetPerf.Dashboard.Components;
using BudgetPerf.Dashboard.Export;
using BudgetPerf.Dashboard.Reports;
using BudgetPerf.Dashboard.Security;
using BudgetPerf.Dashboard.Upload;
using BudgetPerf.Warehouse.Annotations;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using Microsoft.AspNetCore.Authorization;
using MudBlazor.Services;

namespace BudgetPerf.Dashboard;

/// <summary>The dashboard's registrations and endpoints (one place, eShop style).</summary>
public static class DashboardExtensions
{
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder, WarehouseEngine engine)
    {
        builder.Services.AddSingleton(engine);
        // the readers' result cache (issue 15): charts, exports and page queries kept per warehouse version
        var readCache = new Caching.ReadCache(engine, Caching.ReadCacheOptions.From(builder.Configuration));
        builder.Services.AddSingleton(readCache);
        builder.Services.AddSingleton(new Readers.ReaderGate(Readers.ReaderGateOptions.From(builder.Configuration)));
        if (readCache.Enabled) BudgetPerf.Warehouse.Caching.ResultCaches.Attach(engine, readCache);
        builder.Services.AddWarehouseQueries();
        builder.Services.AddSingleton<WarehouseRebuild>().AddSingleton<UploadService>().AddSingleton<PolicyService>()
            .AddSingleton<Regulations.RegulationService>();
        // the submission queue's worker (issue 15 item 2): loads and builds what uploads queued, in the background
        builder.Services.AddSingleton(sp => new BudgetPerf.Etl.Queue.SubmissionWorker(engine, new BudgetPerf.Etl.Queue.SubmissionWorkerOptions
        {
            ReplayTimeout = TimeSpan.FromSeconds(sp.GetRequiredService<IConfiguration>().GetValue<int?>("BudgetPerf:Queue:ReplayTimeoutSeconds") ?? 30),
            // how long deferred data tests keep giving way to uploads before they run alongside the passes (README)
            TestsMaxDelay = TimeSpan.FromSeconds(sp.GetRequiredService<IConfiguration>().GetValue<int?>("BudgetPerf:Queue:TestsMaxDelaySeconds") ?? 300),
            Log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("BudgetPerf.SubmissionQueue") is var log
                ? line => log.LogInformation("{Pass}", line) : Console.WriteLine,
        }));
        builder.Services.AddHostedService<SubmissionWorkerService>();
        builder.Services.AddSingleton<FlagAnnotationStore>().AddSingleton<FlagAnnotationService>();
        builder.Services.AddSingleton<BudgetPerf.Warehouse.Scenarios.ScenarioStore>().AddSingleton<BudgetPerf.Warehouse.Scenarios.WhatIfQueries>();
        builder.AddSecurity();
        builder.Services.AddMudServices();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        return builder;
    }

    /// <summary>The page query classes (all stateless over the engine).</summary>
    public static IServiceCollection AddWarehouseQueries(this IServiceCollection services) => services
        .AddSingleton<RankingQueries>().AddSingleton<OverviewQueries>().AddSingleton<ProjectDrillQueries>()
        .AddSingleton<TrendQueries>().AddSingleton<CutQueries>().AddSingleton<OverlapQueries>().AddSingleton<RegionQueries>().AddSingleton<GradeQueries>().AddSingleton<UploadQueries>()
        .AddSingleton<ForecastQueries>();

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseSecurity();
        app.UseAntiforgery();
        app.Use(app.Services.GetRequiredService<Readers.ReaderGate>().InvokeAsync); // reads leave the queue's worker a core
        app.MapStaticAssets().AllowAnonymous();
        app.MapGet("/health", () => Results.Text("ok")).AllowAnonymous();
        app.MapExportEndpoints().RequireAuthorization(ExportPermission.Policy);
        app.MapChartEndpoints();
        app.MapUploadEndpoints();
        app.MapReportEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
