namespace BudgetPerf.Dashboard.Readers;

/// <summary>The readers' share of the machine (<c>BudgetPerf:Readers:Concurrency</c>; 0 leaves every read ungated).</summary>
public sealed record ReaderGateOptions
{
    /// <summary>At most this many reads are answered at once; the rest wait their turn (first come, first served).</summary>
    public int Concurrency { get; init; } = Math.Max(1, Environment.ProcessorCount - 1);

    public static ReaderGateOptions From(IConfiguration configuration) =>
        configuration.GetValue<int?>("BudgetPerf:Readers:Concurrency") is { } n ? new ReaderGateOptions { Concurrency = n } : new ReaderGateOptions();
}

/// <summary>
/// 读取闸门 (issue 15, the deadline week): the dashboard's reads — page shells, charts, exports, reports — answered at most
/// <see cref="ReaderGateOptions.Concurrency"/> at a time, one core fewer than the machine has, so the submission worker's
/// passes always keep a core. Without it, readers that ask again as soon as they are answered (20 of them in
/// <c>bench submissions</c>) took every core a faster cache gave them, and each pass's load and build ran on what was left:
/// upload-to-visible p95 6.2–8.2 s at 200 uploads (DuckDB, province) with the readers' p95 at 1.4–2.0× idle. Uploads,
/// their status, sign-in, the circuits and static files pass ungated.
/// </summary>
public sealed class ReaderGate(ReaderGateOptions options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Concurrency));

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (options.Concurrency <= 0 || !IsRead(context.Request))
        {
            await next();
            return;
        }
        await _slots.WaitAsync(context.RequestAborted);
        try
        {
            await next();
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Paths never gated: the circuits and framework files, uploads and their status, sign-in and out, health.</summary>
    private static readonly string[] Ungated = ["/_", "/upload", "/login", "/logout", "/health"];

    /// <summary>A GET of a page, a chart, an export or a report; not an upload, sign-in, a circuit or a static file.</summary>
    public static bool IsRead(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method)) return false;
        var path = request.Path.Value ?? "/";
        if (path.StartsWith("/export/", StringComparison.Ordinal) || path.StartsWith("/chart/", StringComparison.Ordinal)
            || path.StartsWith("/report/", StringComparison.Ordinal)) return true;
        if (Ungated.Any(prefix => path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))) return false;
        return !path[(path.LastIndexOf('/') + 1)..].Contains('.'); // a static file (css, js, fonts, images)
    }

    public void Dispose() => _slots.Dispose();
}
