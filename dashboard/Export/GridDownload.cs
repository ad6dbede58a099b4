using BudgetPerf.Dashboard.Security;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;
using Microsoft.AspNetCore.Mvc;

namespace BudgetPerf.Dashboard.Export;

/// <summary>
/// What every <c>/export</c> grid shares, bound from the request (<c>[AsParameters]</c>): the format, the header style,
/// the year, period and 区划 filters, the caller. <see cref="SendAsync"/> streams the grid's whole query into the file,
/// audits it (as <c>{grid}.{format}</c> with the filters and the row count) and names it <c>{title}_{year}_{period}.{format}</c>.
/// </summary>
public sealed record GridDownload(
    HttpContext Http,
    WarehouseEngine Engine,
    UserAccounts Accounts,
    [FromQuery(Name = "format")] string? Format,
    [FromQuery(Name = "headers")] string? Headers,
    [FromQuery(Name = "year")] string? Year,
    [FromQuery(Name = "period")] string? Period,
    [FromQuery(Name = "region")] string? Region,
    CancellationToken Ct)
{
    /// <summary>A filter's value, or null when it is absent or empty.</summary>
    public static string? Given(string? value) => value is { Length: > 0 } ? value : null;

    /// <summary>The grouping's name as 趋势 shows it.</summary>
    public static string GroupName(string by) => by switch { "fund" => "资金性质", "category" => "指标类别", _ => "部门" };

    /// <summary>
    /// The grid's file: 404 for an unknown format, 403 when the role may not see the grid, 404 (a sentence) while the mart is
    /// not built. <paramref name="query"/> gets the caller's scope (the page's 区划 narrows it, never widens it) and the year.
    /// </summary>
    public async Task<IResult> SendAsync(MartQueries reader, string grid, string title, Func<DataScope, int?, CancellationToken, Task<GridQuery>> query,
        IReadOnlyDictionary<string, string>? headerOverrides = null, bool allowed = true)
    {
        var format = Given(Format) ?? "csv";
        if (!GridExport.Formats.Contains(format)) return Results.NotFound();
        if (!allowed) return Results.StatusCode(403);
        var q = Http.Request.Query;
        int? year = int.TryParse(Year, out var y) ? y : null;
        var whole = await query(Http.User.ScopeOf().Within(Given(Region)), year, Ct);
        var opened = await reader.OpenReaderAsync(whole, Ct);
        if (opened is not { } o) return Results.Text("暂无数据：该数据集尚未构建。", "text/plain; charset=utf-8", statusCode: 404);
        var path = Path.Combine(Path.GetTempPath(), $"budgetperf-export-{Guid.NewGuid():N}.{format}");
        var options = new ExportOptions
        {
            UseFieldNames = Headers == ExportOptions.FieldHeaders, Title = title, User = CallerClaims.NameOf(Http.User),
            Filters = FiltersOf(q), HeaderOverrides = headerOverrides ?? new Dictionary<string, string>(),
            BuiltAt = await MartExport.BuiltAtAsync(Engine, Ct),
        };
        long rows;
        await using (o.Connection)
        await using (o.Reader)
            rows = await GridExport.WriteAsync(o.Reader, format, path, options, Ct);
        var filters = string.Join("&", q.Where(kv => kv.Key is not "format" and not "headers").Select(kv => $"{kv.Key}={kv.Value}"));
        await Accounts.Store.AuditAsync(CallerClaims.NameOf(Http.User), "export", $"{grid}.{format} {filters} 行数 {rows}", "ok", Ct);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var suffix = string.Join("_", new[] { Year ?? "", Period ?? "" }.Where(s => s.Length > 0));
        return Results.File(stream, GridExport.ContentType(format), $"{title}{(suffix.Length > 0 ? "_" + suffix : "")}.{format}");
    }

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
}
