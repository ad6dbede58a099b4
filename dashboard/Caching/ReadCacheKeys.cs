using BudgetPerf.Warehouse.Caching;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Dashboard.Caching;

/// <summary>The result cache's key of an HTTP read (a chart, an export) and the header that says where its answer came from.</summary>
public static class ReadCacheKeys
{
    /// <summary><c>hit</c>, <c>miss</c>, <c>wait</c> or <c>bypass</c> (<see cref="CacheOutcome"/>); <c>bench submissions</c> counts them.</summary>
    public const string Header = "X-BudgetPerf-Cache";

    /// <summary>The request (path and query string as sent) and the caller's data scope: never one department's answer for another.</summary>
    public static string Of(HttpContext http, DataScope scope) =>
        $"{http.Request.Path}{http.Request.QueryString}\u001f{scope.CacheKey}";

    public static void Mark(HttpContext http, CacheOutcome outcome) =>
        http.Response.Headers[Header] = outcome.ToString().ToLowerInvariant();
}
