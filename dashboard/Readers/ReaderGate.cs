namespace BudgetPerf.Dashboard.Readers;

/// <summary>
/// The readers' share of the machine (<c>BudgetPerf:Readers:Concurrency</c>, 0 leaves every read ungated;
/// <c>BudgetPerf:Readers:BulkConcurrency</c> for the whole-province exports' own lane).
/// </summary>
public sealed record ReaderGateOptions
{
    /// <summary>At most this many reads are answered at once; the rest wait their turn (first come, first served).</summary>
    public int Concurrency { get; init; } = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>
    /// At most this many exports not narrowed to one department (<see cref="ReaderGate.IsBulk"/>) at once, in a lane of their
    /// own; 0 (the default): they share the reads' slots. A lane takes a core beside the reads' slots, which on a 2-core
    /// machine is the one a pass needs (<see cref="ReaderGate"/> says what it gave and cost).
    /// </summary>
    public int BulkConcurrency { get; init; }

    /// <summary>
    /// How long a read computing an export holds its slot before it gives it to the reads waiting behind it and queues
    /// again (<see cref="ReaderTurn.YieldAsync"/>); <c>BudgetPerf:Readers:SliceMs</c>, 0: never.
    /// </summary>
    public TimeSpan Slice { get; init; } = TimeSpan.FromMilliseconds(100);

    public static ReaderGateOptions From(IConfiguration configuration)
    {
        var options = new ReaderGateOptions();
        if (configuration.GetValue<int?>("BudgetPerf:Readers:Concurrency") is { } n) options = options with { Concurrency = n };
        if (configuration.GetValue<int?>("BudgetPerf:Readers:BulkConcurrency") is { } bulk) options = options with { BulkConcurrency = bulk };
        if (configuration.GetValue<int?>("BudgetPerf:Readers:SliceMs") is { } ms)
            options = options with { Slice = ms > 0 ? TimeSpan.FromMilliseconds(ms) : TimeSpan.MaxValue };
        return options;
    }
}

/// <summary>
/// 读取闸门 (issue 15, the deadline week): the dashboard's reads — page shells, charts, exports, reports — answered at most
/// <see cref="ReaderGateOptions.Concurrency"/> at a time, one core fewer than the machine has, so the submission worker's
/// passes always keep a core. Without it, readers that ask again as soon as they are answered (20 of them in
/// <c>bench submissions</c>) took every core a faster cache gave them, and each pass's load and build ran on what was left:
/// upload-to-visible p95 6.2–8.2 s at 200 uploads (DuckDB, province) with the readers' p95 at 1.4–2.0× idle. Uploads,
/// their status, sign-in, the circuits and static files pass ungated.
/// <para>
/// With <see cref="ReaderGateOptions.BulkConcurrency"/> set, an export of the whole province (no department named: a year's
/// 偏差排名 is 200,000 rows, about 1 s to write on DuckDB when the year changed) waits in a lane of its own, so a page, a
/// chart or one department's export never queues behind one. Measured (issue 15, province, DuckDB, 2 cores, one run
/// each): pages and charts 76–90 → 13–25 ms idle and 160–210 → 41–72 ms during 30 uploads; with a full year being uploaded
/// (200 uploads), 77 ms idle / 1.2–1.8 s during → 11–17 ms / 133–252 ms; but the exports without a department 83–90 →
/// 275–289 ms idle (three kinds now queue in one slot) and 176–199 → 450–728 ms, and the readers, using both cores when
/// no pass runs, lose one to each pass: during the burst their p95 is 3–4× the faster idle one at 30 uploads, up to 18×
/// with the full year. Off by default.
/// </para>
/// <para>
/// A read holds its slot as a <see cref="ReaderTurn"/> (a feature of its request): an export being written gives the slot
/// to the waiting reads every <see cref="ReaderGateOptions.Slice"/>, and a read waiting for another's computation of the
/// same answer leaves it for the wait. A read's work after its answer (a stale answer computed again,
/// <see cref="ReaderTurn.After"/>) runs once its response is complete, one such work at a time in a lane of its own: in the
/// reads' slot, a province year's 偏差排名 computed again held it through its query (1.3–2 s, no row to yield at) and the
/// reads queued behind it (issue 15, DuckDB, province, readers pausing a second, 200 uploads: readers' p95 in the burst
/// 564 ms with the work in the reads' slot, 154 ms in a lane of its own, both before the pool's threads of
/// <see cref="DashboardApp"/>).
/// </para>
/// </summary>
public sealed class ReaderGate(ReaderGateOptions options)
{
    private readonly ReaderLane _slots = new(options.Concurrency, options.Slice);
    private readonly ReaderLane _bulk = new(options.BulkConcurrency, options.Slice);
    private readonly ReaderLane _after = new(1, options.Slice);

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (options.Concurrency <= 0 || !IsRead(context.Request))
        {
            await next();
            return;
        }
        var lane = options.BulkConcurrency > 0 && IsBulk(context.Request) ? _bulk : _slots;
        await lane.EnterAsync(context.RequestAborted);
        var turn = new ReaderTurn(lane, options.Slice);
        context.Features.Set(turn);
        try
        {
            await next();
            if (turn.TakeAfter() is { } after)
            {
                turn.Leave();
                await AfterAnswerAsync(context, after);
            }
        }
        finally
        {
            turn.Leave();
        }
    }

    /// <summary>
    /// A read's work after its answer (<see cref="ReaderTurn.After"/>): the response completed first — the client has its
    /// whole answer — then the work, in a turn of the after-answer lane; a failure is logged, the answer already given.
    /// </summary>
    private async Task AfterAnswerAsync(HttpContext context, Func<Task> after)
    {
        await context.Response.CompleteAsync();
        await _after.EnterAsync(CancellationToken.None, computation: true);
        var turn = new ReaderTurn(_after, options.Slice);
        context.Features.Set(turn);
        try
        {
            await after();
        }
        catch (Exception ex)
        {
            context.RequestServices.GetRequiredService<ILogger<ReaderGate>>()
                .LogWarning(ex, "读取 {Path} 之后的缓存刷新失败（已答复的结果不受影响）", context.Request.Path);
        }
        finally
        {
            turn.Leave();
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

    /// <summary>A GET of an export that names no department (<c>dept</c>): the whole province, as far as the caller may see.</summary>
    public static bool IsBulk(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && (request.Path.Value ?? "").StartsWith("/export/", StringComparison.Ordinal)
        && string.IsNullOrEmpty(request.Query["dept"]);
}
