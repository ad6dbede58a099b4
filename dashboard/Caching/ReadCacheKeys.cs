using BudgetPerf.Warehouse.Caching;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Dashboard.Caching;

/// <summary>The result cache's key of an HTTP read (a chart, an export) and the header that says where its answer came from.</summary>
public static class ReadCacheKeys
{
    /// <summary><c>hit</c>, <c>miss</c>, <c>wait</c>, <c>bypass</c> or <c>stale</c> (<see cref="CacheOutcome"/>); <c>bench submissions</c> counts them.</summary>
    public const string Header = "X-BudgetPerf-Cache";

    /// <summary>On an answer this request computed: the computation's milliseconds (<c>bench submissions</c> sums them per read).</summary>
    public const string ComputeHeader = "X-BudgetPerf-Compute-Ms";

    /// <summary>The request (path and query string as sent) and the caller's data scope: never one department's answer for another.</summary>
    public static string Of(HttpContext http, DataScope scope) =>
        $"{http.Request.Path}{http.Request.QueryString}\u001f{scope.CacheKey}";

    public static void Mark(HttpContext http, CacheOutcome outcome, double computeMs = 0)
    {
        http.Response.Headers[Header] = outcome.ToString().ToLowerInvariant();
        if (outcome is CacheOutcome.Miss or CacheOutcome.Bypass)
            http.Response.Headers[ComputeHeader] = computeMs.ToString("F0", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The request's answer from the process's <see cref="ReadCache"/> (computed when missing, under the key of the request and
    /// <paramref name="scope"/>), its outcome marked on the response (<see cref="Header"/>): the one lookup the charts and the
    /// grid downloads share. <paramref name="compute"/> gets the cache (e.g. for <see cref="ReadCache.MaxEntryBytes"/>);
    /// <paramref name="upToYear"/>, the last 年度 the answer reads, when the endpoint reads no later one (null: any year).
    /// A request that waits for another's computation of the answer leaves its reader slot for the wait
    /// (<see cref="Readers.ReaderTurn.Leave"/>; holding it, it could keep the computation from its next slice) and takes one
    /// again to answer. A miss computes in its turn as a computation (<see cref="Readers.ReaderTurn.ComputingAsync"/>). A
    /// chart or export naming no department (<see cref="NamesNoDepartment"/>) of a caller who reads every department or a
    /// 区划's may be answered stale (<see cref="ReadCacheOptions.StaleFor"/>), and from <see cref="ReadCacheOptions.RefreshFrom"/> old on
    /// the request computes the new answer after its own is sent (<see cref="Readers.ReaderTurn.After"/>); an answer so computed
    /// and too large to keep is given to <paramref name="unkept"/>.
    /// </summary>
    public static async Task<CacheLookup<T>> GetOrAddAsync<T>(HttpContext http, DataScope scope,
        Func<ReadCache, CancellationToken, Task<T>> compute, Func<T, long> size, CancellationToken ct, int? upToYear = null,
        Action<T>? unkept = null)
    {
        var cache = http.RequestServices.GetRequiredService<ReadCache>();
        var turn = Readers.ReaderTurn.Of(http);
        // a 部门 user's answer is its own departments' rows, and after its upload it must show it: never stale
        var staleFor = NamesNoDepartment(http.Request) && !scope.IsDepartments ? cache.StaleFor : TimeSpan.Zero;
        var key = Of(http, scope);
        Func<CancellationToken, Task<T>> computing = async c =>
        {
            await Readers.ReaderTurn.Of(http).ComputingAsync();   // the reads that answer go first (ReaderLane)
            return await compute(cache, c);
        };
        var found = await cache.GetOrAddAsync(key, computing, size, ct, upToYear, turn.Leave, staleFor);
        await turn.TakeAgainAsync(ct);   // its answer is sent in its turn, as a hit's is
        Mark(http, found.Outcome, found.ComputeMs);
        if (found.Outcome == CacheOutcome.Stale)   // how old the answer is (RFC 9111 Age): computed before the latest build
        {
            http.Response.Headers.Age = ((long)found.AgeSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (found.AgeSeconds >= cache.RefreshFrom.TotalSeconds) turn.After(() => cache.RefreshAsync(key, computing, size, upToYear, unkept));
        }
        return found;
    }

    /// <summary>
    /// A chart or an export over every department (or a 区划's, as far as the caller may see): no department (<c>dept</c>) and
    /// no project (<c>code</c>) named — the answers a burst's passes change for everyone, and what a leader or the finance
    /// office reads across the province.
    /// </summary>
    public static bool NamesNoDepartment(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        return (path.StartsWith("/export/", StringComparison.Ordinal) || path.StartsWith("/chart/", StringComparison.Ordinal))
               && string.IsNullOrEmpty(request.Query["dept"]) && string.IsNullOrEmpty(request.Query["code"]);
    }
}
