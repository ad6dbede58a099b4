using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Etl.Bench;

/// <summary>One one-department upload of the burst: the file, its year and the projects it names.</summary>
public sealed record BurstFile(string Path, int Year, string Department, IReadOnlyList<string> Projects);

/// <summary>What <c>bench submissions</c> measured.</summary>
public sealed record SubmissionBenchResult(
    int Uploads, int Accepted, int Visible, int Failed, double P50, double P95, double Max,
    double IdleReaderP95, double BurstReaderP95, int ReaderRequests, int ReaderErrors, int InMarts, int LoadedOnce,
    IReadOnlyList<string> Problems)
{
    public double ReaderRatio => IdleReaderP95 <= 0 ? double.NaN : BurstReaderP95 / IdleReaderP95;

    /// <summary>The whole-province bulk exports' p95 idle and during the burst (not held to the 1 s of a reader's view).</summary>
    public double IdleBulkP95 { get; init; }
    public double BurstBulkP95 { get; init; }

    /// <summary>Where the server's answers came from (its <c>X-BudgetPerf-Cache</c> header), idle and during the burst.</summary>
    public CacheCounts IdleCache { get; init; } = new(0, 0, 0, 0);
    public CacheCounts BurstCache { get; init; } = new(0, 0, 0, 0);

    /// <summary>The uploading departments whose one-department exports the readers spread over.</summary>
    public IReadOnlyList<string> ReaderDepartments { get; init; } = [];

    /// <summary>How the uploads arrived (closed loop of N uploaders, or open loop at a rate), and the burst's length in seconds.</summary>
    public string Arrivals { get; init; } = "";
    public double BurstSeconds { get; init; }

    /// <summary>The cores the server and this client kept busy on average while the readers read idle and during the burst.</summary>
    public CpuUse IdleCpu { get; init; } = new(0, 0);
    public CpuUse BurstCpu { get; init; } = new(0, 0);

    /// <summary>Each reader's wait between its reads (<see cref="SubmissionBenchmark.ReaderPause"/>).</summary>
    public TimeSpan ReaderPause { get; init; }

    /// <summary>The 年度 the readers read, and whether it is the year the burst uploads (else the base year, one before).</summary>
    public int ReadYear { get; init; }
    public bool ReadsBurstYear { get; init; }

    /// <summary>The chart reads answered 404 (nothing to draw), by read, idle and in the burst: timed as answers, not errors.</summary>
    public IReadOnlyList<(string Read, int Count)> NothingToDraw { get; init; } = [];

    /// <summary>Each read's p95 idle and during the burst, and its count in the burst (the path with the department left out).</summary>
    public IReadOnlyList<(string Read, double IdleP95, double BurstP95, int BurstCount)> ByRead { get; init; } = [];

    /// <summary>
    /// Each read's computations during the burst (the server's <c>X-BudgetPerf-Compute-Ms</c> on the answers a request
    /// computed): how often and for how long in all — where the burst's reads spend the CPU a build leaves them.
    /// </summary>
    public IReadOnlyList<(string Read, int Computed, double TotalMs)> BurstComputed { get; init; } = [];
}

/// <summary>
/// The reads the result cache answered (issue 15): from the cache, after waiting for another request's computation,
/// computed, and not cacheable (a page shell, a server without the cache).
/// </summary>
public sealed record CacheCounts(int Hits, int Waits, int Misses, int Uncached)
{
    /// <summary>Answers computed before the latest build, served within the staleness their read allows (whole-province exports).</summary>
    public int Stale { get; init; }

    public int Cached => Hits + Waits + Misses + Stale;

    /// <summary>Hits over every cacheable read (a wait counts as no hit: it took as long as the computation it waited for).</summary>
    public double HitRatio => Cached == 0 ? double.NaN : (double)Hits / Cached;
}

/// <summary>
/// The cores kept busy on average over a phase (CPU seconds / wall seconds): by the server under test and by the benchmark's
/// own process (its readers and uploaders), which share the machine.
/// </summary>
public sealed record CpuUse(double Server, double Client);

/// <summary>The server's and this process's CPU time from <see cref="Start"/> to <see cref="Stop"/>, against the wall clock.</summary>
internal sealed class CpuClock
{
    private readonly Process _server;
    private readonly TimeSpan _server0, _client0;
    private readonly long _wall0 = Stopwatch.GetTimestamp();

    private CpuClock(Process server)
    {
        _server = server;
        _server0 = ServerTime(server);
        _client0 = Process.GetCurrentProcess().TotalProcessorTime;
    }

    public static CpuClock Start(Process server) => new(server);

    public CpuUse Stop()
    {
        var wall = Stopwatch.GetElapsedTime(_wall0).TotalSeconds;
        return new((ServerTime(_server) - _server0).TotalSeconds / wall,
            (Process.GetCurrentProcess().TotalProcessorTime - _client0).TotalSeconds / wall);
    }

    private static TimeSpan ServerTime(Process server)
    {
        server.Refresh();
        return server.HasExited ? TimeSpan.Zero : server.TotalProcessorTime;
    }
}

/// <summary>What a reader's request is: a view (a page, a chart, one department's export) or a bulk export of a whole year.</summary>
public enum ReadKind { View, BulkExport }

/// <summary>
/// 上报高峰 (issue 15 item 5): a real <c>budgetperf serve</c> on loopback; readers hit page queries and exports while
/// one-department files are uploaded concurrently over HTTP; each upload's time from POST to 已生效 (the server's
/// <c>visibleAt</c> against the client's clock before the POST: one machine, one clock), the readers' p95 idle and during
/// the burst, and afterwards a check that every accepted file's projects are in <c>mart_project_deviation</c> and its
/// file loaded exactly once.
/// </summary>
public sealed partial class SubmissionBenchmark(WarehouseEngine engine, string user, string password)
{
    /// <summary>Starts the server on a port (a process the benchmark stops at the end).</summary>
    public required Func<int, Process> StartServer { get; init; }

    public int Readers { get; init; } = 20;

    /// <summary>
    /// Over how many uploading departments the readers' one-department export is spread (1: every reader asks for the same
    /// department's, the result cache's best case).
    /// </summary>
    public int ReaderDepartments { get; init; } = 1;

    /// <summary>
    /// Whether the readers read the year the burst uploads (a department checking its own figures in the deadline week:
    /// every pass changes what they read) instead of the base year (the year before: what a pass of a later year leaves
    /// as it was, the by-年度 cache's best case).
    /// </summary>
    public bool ReadBurstYear { get; init; }
    public int UploadConcurrency { get; init; } = 20;

    /// <summary>
    /// Uploads per second of an open loop (file k posted k / rate seconds into the burst, whatever the ones before it
    /// became: departments that do not wait for each other), or 0: the closed loop of <see cref="UploadConcurrency"/>
    /// uploaders, each posting its next file once its last one is finished (seen by polling its status once a second, as
    /// the upload page does).
    /// </summary>
    public double ArrivalRate { get; init; }
    public TimeSpan IdlePhase { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long each reader waits after an answer before its next read (a person looking at the page before the next
    /// click); zero (the default): readers that ask again at once, a closed loop that keeps the server's reader slots full,
    /// so its p95 is mostly the queue behind them.
    /// </summary>
    public TimeSpan ReaderPause { get; init; }

    /// <summary>How long one upload may take from POST to finished before it counts as not visible (超时未生效).</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The reads the readers cycle through (<c>{year}</c> the year they read, <paramref name="department"/> one uploading
    /// department). A page's GET is its shell (the page's queries run over its circuit), so the views that run queries are
    /// the charts the pages draw (heatmap, grades, trends) and one department's ranking and cuts as its finance office
    /// downloads them; the bulk exports (a province year's 偏差排名, 200k rows, ~48 MB of CSV; every department's trends)
    /// are timed apart.
    /// </summary>
    public static IReadOnlyList<(string Path, ReadKind Kind)> ReaderPaths(int year, string period, string department) =>
    [
        ($"/?year={year}", ReadKind.View), ($"/chart/heatmap.png?year={year}&period={Uri.EscapeDataString(period)}", ReadKind.View),
        ($"/ranking?year={year}", ReadKind.View), ($"/export/ranking?format=csv&year={year}&dept={department}", ReadKind.View),
        ("/chart/trend.png", ReadKind.View), ($"/chart/trends.png?by=fund", ReadKind.View),
        ($"/export/cuts?format=csv&year={year}", ReadKind.View),
        ($"/export/ranking?format=csv&year={year}", ReadKind.BulkExport), ("/export/trends?format=csv&by=fund", ReadKind.BulkExport),
    ];

    public async Task<SubmissionBenchResult> RunAsync(IReadOnlyList<BurstFile> files, int baseYear, IProgress<string>? progress = null,
        CancellationToken ct = default)
    {
        var readYear = ReadBurstYear && files.Count > 0 ? files[0].Year : baseYear;
        // the burst's year has no 期间 in the heatmap until its first pass: the base year's latest (the burst uploads 1-6月)
        var period = await LatestPeriodAsync(readYear, ct) is { Length: > 0 } latest ? latest : await LatestPeriodAsync(baseYear, ct);
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        using var server = StartServer(port);
        var problems = new List<string>();
        try
        {
            await WaitUpAsync(baseUrl, server, ct);
            using var uploader = await SignInAsync(baseUrl, ct);
            using var reader = await SignInAsync(baseUrl, ct);
            // as a browser asks (a kept CSV export then comes gzip-compressed); the readers drop the bytes they receive without
            // inflating them: that is the browser's work, on its own machine, not the server's
            reader.DefaultRequestHeaders.AcceptEncoding.ParseAdd("gzip");
            var departments = files.Select(f => f.Department).Distinct().Take(Math.Max(1, ReaderDepartments)).DefaultIfEmpty("").ToList();
            var paths = departments.Select(d => ReaderPaths(readYear, period, d)).ToList();

            // the idle phase measures a dashboard that has been up: each read once first, untimed (a cold result cache's
            // first computations are not what a reader sees between builds)
            progress?.Report("预热：每个读取一次（不计时）");
            foreach (var (path, _) in paths.SelectMany(p => p).DistinctBy(p => p.Path))
                using (var response = await reader.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct)) await DiscardBodyAsync(response, ct);
            progress?.Report($"空闲读取 {IdlePhase.TotalSeconds:0} 秒（{Readers} 个读者）");
            var idleCpu = CpuClock.Start(server);
            var idle = await ReadAsync(reader, paths, () => false, IdlePhase, ct);
            var idleUse = idleCpu.Stop();

            progress?.Report($"上报高峰：{files.Count} 个单部门文件，" + (ArrivalRate > 0 ? $"开环 每秒 {ArrivalRate:0.##} 个" : $"并发 {UploadConcurrency}") +
                             $"；{Readers} 个读者同时读取");
            var finished = 0;
            var burstClock = Stopwatch.StartNew();
            var burstCpu = CpuClock.Start(server);
            var burstReads = ReadAsync(reader, paths, () => Volatile.Read(ref finished) == 1, Deadline, ct);
            var outcomes = await UploadAllAsync(uploader, files, progress, ct);
            Volatile.Write(ref finished, 1);
            var burstSeconds = burstClock.Elapsed.TotalSeconds;
            var burst = await burstReads;
            var burstUse = burstCpu.Stop();

            server.Kill(entireProcessTree: true);   // DuckDB: the server owns the file until it exits
            await server.WaitForExitAsync(ct);
            var (inMarts, loadedOnce) = await CheckAsync(files, outcomes, problems, ct);

            var accepted = outcomes.Where(o => o.Accepted).ToList();
            var visible = accepted.Where(o => o.VisibleSeconds is not null).Select(o => o.VisibleSeconds!.Value).Order().ToArray();
            problems.AddRange(outcomes.Where(o => o.Problem is not null).Select(o => o.Problem!).Take(10));
            problems.AddRange(idle.Refused.Concat(burst.Refused).GroupBy(r => r.Key)
                .Select(g => $"reader: {g.Key} ×{g.Sum(r => r.Value)}"));
            return new SubmissionBenchResult(files.Count, accepted.Count, visible.Length, accepted.Count - visible.Length,
                Pct(visible, 0.5), Pct(visible, 0.95), visible.LastOrDefault(),
                Pct(idle.Views, 0.95), Pct(burst.Views, 0.95), idle.Count + burst.Count, idle.Errors + burst.Errors,
                inMarts, loadedOnce, problems)
            {
                IdleBulkP95 = Pct(idle.Bulk, 0.95), BurstBulkP95 = Pct(burst.Bulk, 0.95),
                IdleCache = idle.Cache, BurstCache = burst.Cache, ReaderDepartments = departments, ByRead = ByRead(idle, burst),
                IdleCpu = idleUse, BurstCpu = burstUse, ReaderPause = ReaderPause,
                ReadYear = readYear, ReadsBurstYear = readYear != baseYear, BurstSeconds = burstSeconds,
                Arrivals = ArrivalRate > 0
                    ? $"open loop: {ArrivalRate:0.##} uploads/s (file k posted k/{ArrivalRate:0.##} s into the burst, whatever became of the ones before)"
                    : $"closed loop: {UploadConcurrency} uploaders, each posting its next file once its last one is finished (its status polled once a second)",
                NothingToDraw = [.. idle.Empty.Concat(burst.Empty).GroupBy(e => e.Key).Select(g => (g.Key, g.Sum(e => e.Value)))],
                BurstComputed = [.. burst.Computed.Select(c => (c.Key, c.Value.Length, c.Value.Sum())).OrderByDescending(c => c.Item3)],
            };
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
        }
    }

    private sealed record Outcome(BurstFile File, bool Accepted, double? VisibleSeconds, string? Problem);

    private async Task<List<Outcome>> UploadAllAsync(HttpClient client, IReadOnlyList<BurstFile> files, IProgress<string>? progress, CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(UploadConcurrency);
        int done = 0, visible = 0, posted = 0;
        var clock = Stopwatch.StartNew();
        string Status() => $"  {clock.Elapsed.TotalSeconds:0} 秒：已上报 {Volatile.Read(ref posted)}/{files.Count}，结束 {Volatile.Read(ref done)}" +
                            $"（已生效 {Volatile.Read(ref visible)}）";
        var tasks = files.Select(async (f, k) =>
        {
            if (ArrivalRate > 0) await Task.Delay(TimeSpan.FromSeconds(k / ArrivalRate) - clock.Elapsed is { Ticks: > 0 } wait ? wait : TimeSpan.Zero, ct);
            else await gate.WaitAsync(ct);
            Outcome outcome;
            try
            {
                Interlocked.Increment(ref posted);
                outcome = await UploadAsync(client, f, ct);
            }
            finally
            {
                if (ArrivalRate <= 0) gate.Release();
            }
            if (outcome.VisibleSeconds is not null) Interlocked.Increment(ref visible);
            if (Interlocked.Increment(ref done) % 10 == 0) progress?.Report(Status());
            return outcome;
        }).ToList();
        // a line every 30 s while uploads wait, so a long burst shows it is moving (no cap but Deadline per upload)
        using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var beats = Task.Run(async () =>
        {
            while (!heartbeat.IsCancellationRequested)
            {
                try { await Task.Delay(TimeSpan.FromSeconds(30), heartbeat.Token); } catch (OperationCanceledException) { return; }
                progress?.Report(Status());
            }
        }, CancellationToken.None);
        try
        {
            return [.. await Task.WhenAll(tasks)];
        }
        finally
        {
            await heartbeat.CancelAsync();
            await beats;
        }
    }

    /// <summary>POST, then the status URL once a second until the submission is finished.</summary>
    private async Task<Outcome> UploadAsync(HttpClient client, BurstFile file, CancellationToken ct)
    {
        var posted = DateTime.Now;
        using var answer = await client.PostAsync("/upload?name=" + Uri.EscapeDataString(System.IO.Path.GetFileName(file.Path)),
            new ByteArrayContent(await File.ReadAllBytesAsync(file.Path, ct)), ct);
        var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(ct)).RootElement;
        if (answer.StatusCode != HttpStatusCode.Accepted)
            return new Outcome(file, false, null, $"{System.IO.Path.GetFileName(file.Path)}: HTTP {(int)answer.StatusCode} {body}");
        var url = body.GetProperty("statusUrl").GetString()!;
        for (var until = DateTime.UtcNow + Deadline; DateTime.UtcNow < until; await Task.Delay(1000, ct))
        {
            var status = JsonDocument.Parse(await client.GetStringAsync(url, ct)).RootElement;
            if (!status.GetProperty("finished").GetBoolean()) continue;
            return status.GetProperty("state").GetString() == "visible"
                ? new Outcome(file, true, (status.GetProperty("visibleAt").GetDateTime() - posted).TotalSeconds, null)
                : new Outcome(file, true, null, $"{System.IO.Path.GetFileName(file.Path)}: {status.GetProperty("stateText")} {status.GetProperty("error")}");
        }
        return new Outcome(file, true, null, $"{System.IO.Path.GetFileName(file.Path)}: 超时未生效");
    }

    /// <summary>A year's latest 期间 in the heatmap (the period the 总览 page opens on; "" when none), before the server owns the file.</summary>
    private async Task<string> LatestPeriodAsync(int year, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(engine.Sql(
            "SELECT MAX(period) FROM mart_department_heatmap WHERE fiscal_year = @year"), new { year }, cancellationToken: ct)) ?? "";
    }

    private sealed record Reads(double[] Views, double[] Bulk, int Errors, IReadOnlyDictionary<string, int> Refused, CacheCounts Cache,
        IReadOnlyDictionary<string, double[]> ByRead, IReadOnlyDictionary<string, double[]> Computed)
    {
        public int Count => Views.Length + Bulk.Length;

        /// <summary>Charts answered 404, nothing to draw (timed as answers), by read.</summary>
        public IReadOnlyDictionary<string, int> Empty { get; init; } = new Dictionary<string, int>();
    }

    private static bool NothingToDraw(string path, HttpStatusCode status) =>
        status == HttpStatusCode.NotFound && path.StartsWith("/chart/", StringComparison.Ordinal);

    /// <summary>A read's name in the per-read figures: its path with the department's code left out (the readers spread over several).</summary>
    private static string ReadName(string path) => DeptParameter().Replace(path, "dept=…");

    /// <summary>
    /// Reads a response's body to its last byte and drops it, as a browser saving a download streams it to disk. Buffering
    /// it (<see cref="HttpCompletionOption.ResponseContentRead"/>) grew a memory stream to the body's size on every read:
    /// the whole year's 偏差排名 export is 48 MB at province scale, read ~140 times in a 30-upload burst, and that copying
    /// and collecting ran on the two cores the server under test runs on.
    /// </summary>
    private static async Task DiscardBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await body.CopyToAsync(Stream.Null, 81920, ct);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"dept=[^&]*")]
    private static partial System.Text.RegularExpressions.Regex DeptParameter();

    /// <summary>Each read's p95 idle and in the burst: which reads a burst slows (the result cache empties at every build).</summary>
    private static IReadOnlyList<(string Read, double IdleP95, double BurstP95, int BurstCount)> ByRead(Reads idle, Reads burst) =>
        [.. burst.ByRead.Select(b => (b.Key, Pct(idle.ByRead.GetValueOrDefault(b.Key) ?? [], 0.95), Pct(b.Value, 0.95), b.Value.Length))
            .OrderByDescending(b => b.Item3)];

    /// <summary>
    /// <see cref="Readers"/> loops over the paths until <paramref name="stop"/> or the duration; milliseconds per request.
    /// <paramref name="sets"/> holds the paths of each department the readers spread over: reader r's k-th round of the
    /// paths reads department (r + k) mod N's.
    /// </summary>
    private async Task<Reads> ReadAsync(HttpClient client, IReadOnlyList<IReadOnlyList<(string Path, ReadKind Kind)>> sets, Func<bool> stop,
        TimeSpan duration, CancellationToken ct)
    {
        var times = new ConcurrentBag<(ReadKind, double, string)>();
        var computed = new ConcurrentBag<(string, double)>();
        var refused = new ConcurrentDictionary<string, int>();
        var empty = new ConcurrentDictionary<string, int>();
        int errors = 0, hits = 0, waits = 0, misses = 0, uncached = 0, stale = 0;
        var until = DateTime.UtcNow + duration;
        await Task.WhenAll(Enumerable.Range(0, Readers).Select(async r =>
        {
            for (var i = r; !stop() && DateTime.UtcNow < until && !ct.IsCancellationRequested; i++)
            {
                var clock = Stopwatch.StartNew();
                var paths = sets[(r + i / sets[0].Count) % sets.Count];
                try
                {
                    var (path, kind) = paths[i % paths.Count];
                    using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
                    await DiscardBodyAsync(response, ct);
                    var cache = response.Headers.TryGetValues("X-BudgetPerf-Cache", out var values) ? values.FirstOrDefault() : null;
                    if (response.Headers.TryGetValues("X-BudgetPerf-Compute-Ms", out var ms)
                        && double.TryParse(ms.FirstOrDefault(), System.Globalization.CultureInfo.InvariantCulture, out var computeMs))
                        computed.Add((ReadName(path), computeMs));
                    switch (cache)
                    {
                        case "hit": Interlocked.Increment(ref hits); break;
                        case "wait": Interlocked.Increment(ref waits); break;
                        case "miss": Interlocked.Increment(ref misses); break;
                        case "stale": Interlocked.Increment(ref stale); break;
                        default: Interlocked.Increment(ref uncached); break;
                    }
                    // a chart with nothing to draw is 404 (the year being uploaded before its first indicator file): an answer
                    if (response.StatusCode == HttpStatusCode.OK || NothingToDraw(path, response.StatusCode))
                    {
                        times.Add((kind, clock.Elapsed.TotalMilliseconds, ReadName(path)));
                        if (response.StatusCode != HttpStatusCode.OK) empty.AddOrUpdate(ReadName(path), 1, (_, n) => n + 1);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                        refused.AddOrUpdate($"{path} → {(int)response.StatusCode}", 1, (_, n) => n + 1);
                    }
                }
                catch (HttpRequestException ex)
                {
                    Interlocked.Increment(ref errors);
                    refused.AddOrUpdate($"{paths[i % paths.Count].Path} → {ex.Message}", 1, (_, n) => n + 1);
                }
                if (ReaderPause > TimeSpan.Zero) await Task.Delay(ReaderPause, ct);
            }
        }));
        return new Reads([.. times.Where(t => t.Item1 == ReadKind.View).Select(t => t.Item2).Order()],
            [.. times.Where(t => t.Item1 == ReadKind.BulkExport).Select(t => t.Item2).Order()], errors, refused,
            new CacheCounts(hits, waits, misses, uncached) { Stale = stale },
            times.GroupBy(t => t.Item3).ToDictionary(g => g.Key, g => g.Select(t => t.Item2).Order().ToArray()),
            computed.GroupBy(c => c.Item1).ToDictionary(g => g.Key, g => g.Select(c => c.Item2).ToArray()))
        {
            Empty = empty,
        };
    }

    /// <summary>Every accepted file: each of its projects in the marts for its year, and its file loaded exactly once.</summary>
    private async Task<(int InMarts, int LoadedOnce)> CheckAsync(IReadOnlyList<BurstFile> files, List<Outcome> outcomes, List<string> problems,
        CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        var marts = (await connection.QueryAsync<(int, string)>(
            "SELECT DISTINCT CAST(fiscal_year AS INTEGER), project_code FROM mart_project_deviation")).ToHashSet();
        var batches = (await connection.QueryAsync<(string, long)>(
            "SELECT sha256, CAST(COUNT(*) AS BIGINT) FROM etl_batch WHERE status = 'loaded' GROUP BY sha256")).ToDictionary(b => b.Item1, b => b.Item2);
        int inMarts = 0, once = 0;
        foreach (var o in outcomes.Where(o => o.Accepted))
        {
            var missing = o.File.Projects.Where(p => !marts.Contains((o.File.Year, p))).ToList();
            if (missing.Count == 0) inMarts++;
            else problems.Add($"{System.IO.Path.GetFileName(o.File.Path)}: {missing.Count} 个项目不在 mart_project_deviation（如 {missing[0]}）");
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(o.File.Path, ct)));
            if (batches.GetValueOrDefault(sha) == 1) once++;
            else problems.Add($"{System.IO.Path.GetFileName(o.File.Path)}: 入库批次 {batches.GetValueOrDefault(sha)} 个（应为 1）");
        }
        return (inMarts, once);
    }

    private async Task<HttpClient> SignInAsync(string baseUrl, CancellationToken ct)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(10),
        };
        var form = await client.GetStringAsync("/login", ct);
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var answer = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = token, ["Input.UserName"] = user, ["Input.Password"] = password,
        }), ct);
        using var check = await client.GetAsync("/upload", ct);
        if (check.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"登录 {user} 失败（/upload 返回 {(int)check.StatusCode}）");
        return client;
    }

    private static async Task WaitUpAsync(string baseUrl, Process server, CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(5) };
        for (var until = DateTime.UtcNow.AddMinutes(3); DateTime.UtcNow < until; await Task.Delay(250, ct))
        {
            if (server.HasExited) throw new InvalidOperationException($"看板进程已退出（{server.ExitCode}）");
            try
            {
                if ((await client.GetAsync("/health", ct)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
        }
        throw new TimeoutException($"看板 {baseUrl} 3 分钟内未启动");
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static double Pct(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>
    /// The rows of <paramref name="fundFile"/> (a demo 监控资金 file) of every department not in <paramref name="burst"/>,
    /// written to <paramref name="path"/> with its header: what the other departments of the year submitted before the burst.
    /// </summary>
    public static string RestOf(string fundFile, IReadOnlySet<string> burst, string path)
    {
        var lines = File.ReadAllLines(fundFile, Encoding.UTF8);
        var dept = Array.IndexOf(lines[0].TrimStart('\uFEFF').Split(','), "主管部门编码");
        if (dept < 0) throw new InvalidDataException($"{fundFile}: 无列“主管部门编码”");
        File.WriteAllLines(path, lines.Take(1).Concat(lines.Skip(1).Where(l => l.Length > 0 && !burst.Contains(l.Split(',')[dept]))),
            new UTF8Encoding(true));
        return path;
    }

    /// <summary>
    /// Splits the demo's <c>{year}_1-6月_监控资金.csv</c> of each year into one file per department (its header and that
    /// department's rows), in year then department order, until <paramref name="count"/> files.
    /// </summary>
    public static IReadOnlyList<BurstFile> SplitByDepartment(IEnumerable<string> fundFiles, string outDir, int count)
    {
        Directory.CreateDirectory(outDir);
        var result = new List<BurstFile>();
        foreach (var source in fundFiles)
        {
            var lines = File.ReadAllLines(source, Encoding.UTF8);
            var header = lines[0].TrimStart('\uFEFF').Split(',');
            int Col(string name) => Array.IndexOf(header, name) is >= 0 and var i ? i : throw new InvalidDataException($"{source}: 无列“{name}”");
            int year = Col("年度"), dept = Col("主管部门编码"), project = Col("项目编码");
            foreach (var group in lines.Skip(1).Where(l => l.Length > 0).Select(l => (Line: l, Cells: l.Split(','))).GroupBy(l => l.Cells[dept]))
            {
                if (result.Count >= count) return result;
                var y = int.Parse(group.First().Cells[year], System.Globalization.CultureInfo.InvariantCulture);
                var path = System.IO.Path.Combine(outDir, $"{y}_1-6月_监控资金_{group.Key}.csv");
                File.WriteAllText(path, lines[0] + "\n" + string.Join("\n", group.Select(g => g.Line)) + "\n", new UTF8Encoding(true));
                result.Add(new BurstFile(path, y, group.Key, group.Select(g => g.Cells[project]).Distinct().ToList()));
            }
        }
        return result;
    }
}
