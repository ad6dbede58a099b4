using BudgetPerf.Dashboard.Security;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;
using Microsoft.AspNetCore.Http;

namespace BudgetPerf.Dashboard.Export;

/// <summary>
/// <c>/export/{grid}?format=csv|xlsx|parquet[&amp;headers=field]&amp;…filters</c>: the whole filtered grid, as the page shows
/// it (its Chinese headers; <c>headers=field</c> for the machine names), for the roles of the 政策参数 export_roles.
/// </summary>
public static class ExportEndpoints
{
    private static readonly Dictionary<string, string> FileTitles = new()
    {
        ["ranking"] = "偏差排名", ["trends"] = "趋势", ["cuts"] = "削减与收回", ["grades"] = "等级", ["allocation"] = "预算安排建议", ["batches"] = "上报批次",
        ["whatif"] = "预算安排模拟",
    };

    public static RouteHandlerBuilder MapExportEndpoints(this WebApplication app) =>
        app.MapGet("/export/{grid}", async (string grid, HttpRequest request, IServiceProvider services, CancellationToken ct) =>
        {
            var q = request.Query;
            var format = q["format"].ToString() is { Length: > 0 } f ? f : "csv";
            if (!GridExport.Formats.Contains(format) || !FileTitles.TryGetValue(grid, out var title)) return Results.NotFound();
            if (grid == "whatif" && !(request.HttpContext.User.Has(Role.Leader) || request.HttpContext.User.Has(Role.Finance))) return Results.StatusCode(403);
            var query = await QueryOf(grid, q, request.HttpContext.User, services, ct);
            var opened = await services.GetRequiredService<RankingQueries>().OpenReaderAsync(query, ct);
            if (opened is not { } o) return Results.Text("暂无数据：该数据集尚未构建。", "text/plain; charset=utf-8", statusCode: 404);
            var path = Path.Combine(Path.GetTempPath(), $"budgetperf-export-{Guid.NewGuid():N}.{format}");
            var options = new ExportOptions
            {
                UseFieldNames = q["headers"] == ExportOptions.FieldHeaders, Title = title, User = CallerClaims.NameOf(request.HttpContext.User),
                Filters = FiltersOf(q), HeaderOverrides = HeadersOf(grid, q["by"].ToString()),
                BuiltAt = await MartExport.BuiltAtAsync(services.GetRequiredService<WarehouseEngine>(), ct),
            };
            long rows;
            await using (o.Connection)
            await using (o.Reader)
                rows = await GridExport.WriteAsync(o.Reader, format, path, options, ct);
            var filters = string.Join("&", q.Where(kv => kv.Key is not "format" and not "headers").Select(kv => $"{kv.Key}={kv.Value}"));
            await services.GetRequiredService<UserAccounts>().Store.AuditAsync(CallerClaims.NameOf(request.HttpContext.User), "export",
                $"{grid}.{format} {filters} 行数 {rows}", "ok", ct);
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16,
                FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            var suffix = string.Join("_", new[] { q["year"].ToString(), q["period"].ToString() }.Where(s => s.Length > 0));
            return Results.File(stream, GridExport.ContentType(format), $"{title}{(suffix.Length > 0 ? "_" + suffix : "")}.{format}");
        });

    /// <summary>The page's filter names (the 说明 sheet lists the filters as the page shows them).</summary>
    private static readonly Dictionary<string, string> FilterLabels = new()
    {
        ["year"] = "年度", ["period"] = "期间", ["dept"] = "部门", ["light"] = "预警", ["fund"] = "资金性质", ["cat"] = "指标类别",
        ["key"] = "重点项目", ["q"] = "搜索", ["by"] = "分组", ["a"] = "方案", ["b"] = "对比方案",
    };

    private static IReadOnlyList<(string Label, string Value)> FiltersOf(IQueryCollection q) =>
        q.Where(kv => FilterLabels.ContainsKey(kv.Key) && kv.Value.ToString().Length > 0)
            .Select(kv => (FilterLabels[kv.Key], kv.Key switch
            {
                "key" => kv.Value == "1" ? "是" : "否",
                "light" => ExportColumns.LightName(kv.Value.ToString()),
                "by" => GroupName(kv.Value.ToString()),
                _ => kv.Value.ToString(),
            }))
            .ToArray();

    private static string GroupName(string by) => by switch { "fund" => "资金性质", "category" => "指标类别", _ => "部门" };

    /// <summary>趋势's group columns are named for the grouping the page shows (部门, 资金性质 or 指标类别).</summary>
    private static IReadOnlyDictionary<string, string> HeadersOf(string grid, string by) => grid == "trends"
        ? new Dictionary<string, string> { ["GroupCode"] = GroupName(by) + (by is "fund" or "category" ? "" : "编码"), ["GroupName"] = GroupName(by) }
        : new Dictionary<string, string>();

    private static async Task<GridQuery> QueryOf(string grid, IQueryCollection q, System.Security.Claims.ClaimsPrincipal user, IServiceProvider services, CancellationToken ct)
    {
        string? S(string key) => q[key].ToString() is { Length: > 0 } v ? v : null;
        // the page's 区划 (drill) narrows the user's own scope, never widens it
        var (scope, userName) = (user.ScopeOf().Within(S("region")), CallerClaims.NameOf(user));
        int? year = int.TryParse(q["year"], out var y) ? y : null;
        return grid switch
        {
            "ranking" => await services.GetRequiredService<RankingQueries>().WholeAsync(new DeviationFilter
            {
                Scope = scope, Year = year, Period = S("period"), Department = S("dept"), Light = S("light"), FundNature = S("fund"),
                Category = S("cat"), KeyOnly = S("key") == "1", Search = S("q"),
            }, ct: ct),
            "trends" => services.GetRequiredService<TrendQueries>().Whole(scope, S("by") ?? "dept", S("dept"), S("region")),
            "cuts" => services.GetRequiredService<CutQueries>().Whole(scope, year),
            "grades" => services.GetRequiredService<GradeQueries>().Whole(scope, year),
            "whatif" => services.GetRequiredService<BudgetPerf.Warehouse.Scenarios.WhatIfQueries>().Query(scope, year ?? 0,
                long.TryParse(q["a"], out var a) ? a : 0, long.TryParse(q["b"], out var b) ? b : 0),
            "allocation" => services.GetRequiredService<GradeQueries>().WholeAllocation(scope, year),
            _ => services.GetRequiredService<UploadQueries>().Whole(scope, userName),
        };
    }
}
