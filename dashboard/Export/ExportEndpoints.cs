using BudgetPerf.Dashboard.Security;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Scenarios;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Dashboard.Export;

/// <summary>
/// <c>/export/{grid}?format=csv|xlsx|parquet[&amp;headers=field]&amp;…filters</c>: the whole filtered grid, as the page shows
/// it (its Chinese headers; <c>headers=field</c> for the machine names), for the roles of the 政策参数 export_roles.
/// One typed handler per grid under <c>/export</c>; the download itself (format, audit, file name) is
/// <see cref="GridDownload"/>'s.
/// </summary>
public static class ExportEndpoints
{
    public static RouteGroupBuilder MapExportEndpoints(this WebApplication app)
    {
        var exports = app.MapGroup("/export");
        exports.MapGet("/ranking", ([AsParameters] GridDownload download, RankingQueries queries, string? dept, string? light,
            string? fund, string? cat, string? key, string? q) =>
            download.SendAsync(queries, "ranking", "偏差排名", async (scope, year, ct) => await queries.WholeAsync(new DeviationFilter
            {
                Scope = scope, Year = year, Period = GridDownload.Given(download.Period), Department = GridDownload.Given(dept),
                Light = GridDownload.Given(light), FundNature = GridDownload.Given(fund), Category = GridDownload.Given(cat),
                KeyOnly = key == "1", Search = GridDownload.Given(q),
            }, ct: ct), readsUpToYear: true));
        exports.MapGet("/trends", ([AsParameters] GridDownload download, TrendQueries queries, string? by, string? dept) =>
            download.SendAsync(queries, "trends", "趋势", (scope, _, _) =>
                Task.FromResult(queries.Whole(scope, GridDownload.Given(by) ?? "dept", GridDownload.Given(dept), GridDownload.Given(download.Region))),
                HeadersOfTrends(by ?? "")));
        exports.MapGet("/cuts", ([AsParameters] GridDownload download, CutQueries queries) =>
            download.SendAsync(queries, "cuts", "削减与收回", (scope, year, _) => Task.FromResult(queries.Whole(scope, year)), readsUpToYear: true));
        exports.MapGet("/grades", ([AsParameters] GridDownload download, GradeQueries queries) =>
            download.SendAsync(queries, "grades", "等级", (scope, year, _) => Task.FromResult(queries.Whole(scope, year)), readsUpToYear: true));
        exports.MapGet("/allocation", ([AsParameters] GridDownload download, GradeQueries queries) =>
            download.SendAsync(queries, "allocation", "预算安排建议", (scope, year, _) => Task.FromResult(queries.WholeAllocation(scope, year)), readsUpToYear: true));
        // 上报批次 is streamed through a page reader (a standby when one is up), as every grid; per user and live: never cached
        exports.MapGet("/batches", ([AsParameters] GridDownload download, RankingQueries reader, UploadQueries queries) =>
            download.SendAsync(reader, "batches", "上报批次", (scope, _, _) => Task.FromResult(queries.Whole(scope, CallerClaims.NameOf(download.Http.User))), cacheable: false));
        // 预算安排模拟 is the leaders' and finance's page: any other role is 403, whatever export_roles says
        exports.MapGet("/whatif", ([AsParameters] GridDownload download, WhatIfQueries queries, string? a, string? b) =>
            download.SendAsync(queries, "whatif", "预算安排模拟", (scope, year, _) => Task.FromResult(queries.Query(scope, year ?? 0,
                    long.TryParse(a, out var first) ? first : 0, long.TryParse(b, out var second) ? second : 0)),
                allowed: download.Http.User.Has(Role.Leader) || download.Http.User.Has(Role.Finance), readsUpToYear: true));
        return exports;
    }

    /// <summary>趋势's group columns are named for the grouping the page shows (部门, 资金性质 or 指标类别).</summary>
    private static IReadOnlyDictionary<string, string> HeadersOfTrends(string by) =>
        new Dictionary<string, string>
        {
            ["group_code"] = GridDownload.GroupName(by) + (by is "fund" or "category" ? "" : "编码"), ["group_name"] = GridDownload.GroupName(by),
        };
}
