using System.CommandLine;
using System.Diagnostics;
using BudgetPerf.Etl.Bench;
using BudgetPerf.Warehouse.Security;
using BudgetPerf.Etl.Demo;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;
using Spectre.Console;

namespace BudgetPerf.Bench.Commands;

/// <summary>
/// <c>budgetperf bench submissions [--scale county|province] [--uploads 200] [--readers 20] [--engine duckdb|postgres]
/// [--db D] [--dir DIR]</c>: the deadline week (issue 15 item 5). A demo warehouse of one year (DuckDB: a fresh file in
/// DIR, or with <c>--db</c> a copy of that prepared warehouse, its latest 年度 the base year; PostgreSQL: the empty database of <c>--db</c>, else a throwaway server of its own, <see cref="ThrowawayPostgres"/>), the next years' 监控资金 split into one-department files, a real
/// <c>budgetperf serve</c> on loopback, then <see cref="SubmissionBenchmark"/>.
/// </summary>
public static class SubmissionBenchCommand
{
    private const string BenchUser = "bench-admin";

    public static Command Create(BenchHost host)
    {
        var scale = BenchOptions.Scale(DemoScale.County);
        var uploads = new Option<int>("--uploads") { Description = "上报文件数（每个一个部门）", DefaultValueFactory = _ => 200 };
        var readers = new Option<int>("--readers") { Description = "同时读取页面与导出的读者数", DefaultValueFactory = _ => 20 };
        var readerDepartments = new Option<int>("--reader-departments")
        {
            Description = "读者的单部门导出分散到几个上报部门（默认 1：都读同一部门，缓存的最好情形）", DefaultValueFactory = _ => 1,
        };
        var readYear = new Option<string>("--read-year")
        {
            Description = "读者读哪一年：base（默认，上报年度的上一年，高峰不改变它）；burst（正在上报的年度，高峰前只有项目信息）；" +
                          "filled（正在上报的年度，高峰前已载入其他部门的监控资金与全部监控指标、部门整体监控：上报周的后半段）",
            DefaultValueFactory = _ => "base",
        };
        readYear.AcceptOnlyFromAmong("base", "burst", "filled");
        var arrivalRate = new Option<double>("--arrival-rate")
        {
            Description = "开环上报：每秒上报几个文件（第 k 个在第 k/速率 秒提交，不等前面的生效）；默认 0：闭环，20 个上报者各等自己的文件生效后再报下一个",
            DefaultValueFactory = _ => 0,
        };
        var readerPause = new Option<int>("--reader-pause")
        {
            Description = "每个读者两次读取之间停顿的毫秒数（看页面的时间）；默认 0：读完立即再读（闭环，读者槽位总是满的）",
            DefaultValueFactory = _ => 0,
        };
        var engineName = new Option<string>("--engine") { Description = "duckdb（默认）或 postgres（--db 指向一个空库；无 --db 时自启一个临时服务器）", DefaultValueFactory = _ => "duckdb" };
        var deadline = new Option<int>("--deadline") { Description = "每个上报从提交到结束的最长等待（分钟，默认 60）", DefaultValueFactory = _ => 60 };
        var dir = new Option<string>("--dir") { Description = "工作目录（默认 数据目录/bench/submissions）", DefaultValueFactory = _ => Path.Combine(host.DataDir, "bench", "submissions") };
        var command = new Command("submissions", "上报高峰：并发上报单部门文件时的 上报→生效 p50/p95/max、读者 p95（高峰/空闲）与入库核对")
        {
            scale, uploads, readers, readerDepartments, readYear, arrivalRate, readerPause, engineName, deadline, dir,
        };
        command.SetAction((parse, ct) => host.Guard(async () =>
        {
            var folder = Path.GetFullPath(parse.GetValue(dir)!);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);   // the burst changes the warehouse: fresh each run
            Directory.CreateDirectory(folder);
            var (db, source) = host.Resolve(parse);
            var demoScale = parse.GetValue(scale);
            var readMode = parse.GetValue(readYear)!;
            string target;
            await using var throwaway = parse.GetValue(engineName) == "postgres" && source == "默认" ? await ThrowawayPostgres.StartAsync(ct) : null;
            if (throwaway is not null)
            {
                // no --db: a server of the bench's own (initdb + pg_ctl on a free loopback port), stopped and deleted at the end
                AnsiConsole.MarkupLineInterpolated($"临时 PostgreSQL：127.0.0.1:{throwaway.Port}（结束时停止并删除）");
                target = throwaway.ConnectionString;
            }
            else if (parse.GetValue(engineName) == "postgres") target = db;   // --db / BUDGETPERF_DB: an empty database
            else target = Path.Combine(folder, $"{demoScale.ToString().ToLowerInvariant()}.duckdb");
            // DuckDB with --db: a prepared (loaded and built) warehouse, copied into the work folder and the copy used, so
            // a province run need not generate, load and build the demo every time (the original is left as it is)
            var prepared = parse.GetValue(engineName) != "postgres" && source != "默认" ? db : null;
            if (prepared is not null) File.Copy(prepared, target, overwrite: true);
            var engine = EngineFactory.Create(target);
            BudgetPerf.Warehouse.Migrations.WarehouseMigrator.Migrate(engine); // a prepared warehouse of an earlier version: brought up to date

            // a prepared warehouse (--db with its marts built, e.g. a copy of the province demo) is used as it is: its
            // latest year is the base year; otherwise the demo of one year is generated and built into the empty one
            var preparedYear = await PreparedWarehouse.LatestYearAsync(engine, ct);
            var baseYear = preparedYear ?? 2026;
            if (preparedYear is not null)
                AnsiConsole.MarkupLineInterpolated($"基础数仓：已有（{baseYear} 年为基础年度，不再生成演示数据）→ {engine.Describe()}");
            else
            {
                AnsiConsole.MarkupLineInterpolated($"基础数仓：{demoScale}，{baseYear} 年 → {engine.Describe()}");
                if (await host.DemoAsync(engine, new DemoOptions { Scale = demoScale, Years = 1, LastYear = baseYear }, Path.Combine(folder, "inbox"), ct) != 0)
                    return 1;
            }

            // the burst: the following years' 监控资金, one file per department; their 项目信息 loaded beforehand
            var count = parse.GetValue(uploads);
            var files = new List<BurstFile>();
            for (var year = baseYear + 1; files.Count < count && year <= baseYear + 50; year++)
            {
                var yearDir = Path.Combine(folder, "burst", year.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var generated = new DemoGenerator(new DemoOptions { Scale = demoScale, Years = 1, LastYear = year }).Generate(yearDir, cancellationToken: ct);
                var master = generated.Single(f => Path.GetFileName(f) == DemoGenerator.ProjectFileName);
                var loaded = await new SubmissionLoader(engine).LoadFileAsync(master, new LoadOptions(), ct);
                if (loaded.Status == LoadStatus.Rejected) { Console.Error.WriteLine($"{master}: {loaded.Issues.FirstOrDefault()?.Message}"); return 1; }
                var funds = generated.Single(f => Path.GetFileName(f) == $"{year}_1-6月_监控资金.csv");
                var split = SubmissionBenchmark.SplitByDepartment([funds], Path.Combine(folder, "uploads"), count - files.Count);
                files.AddRange(split);
                if (readMode == "filled" && year == baseYear + 1
                    && await LoadRestOfYearAsync(engine, generated, funds, split, yearDir, ct) is { } refused)
                {
                    Console.Error.WriteLine(refused);
                    return 1;
                }
            }
            if (files.Count < count) Console.WriteLine($"注意：只生成了 {files.Count} 个单部门文件（少于 --uploads {count}）");
            // the burst years' 项目信息 arrive before the deadline week: built in now, so the burst's first pass builds
            // one-department uploads and not the whole province's new project master
            if (await PreparedWarehouse.BuildAsync(engine, folder, ct) is { } prebuild) AnsiConsole.MarkupLineInterpolated($"{prebuild}");
            else return 1;
            var password = "Bench-" + Guid.NewGuid().ToString("N")[..12];
            var accounts = new UserAccounts(engine);
            if (await accounts.AddAsync(new UserAccounts.NewUser(BenchUser, null, ["管理员"], [], null), password, "bench", ct) is null
                && await accounts.ResetPasswordAsync(BenchUser, password, "bench", ct) is null)
            {
                Console.Error.WriteLine($"用户 {BenchUser} 无法创建或重设密码");
                return 1;
            }

            var load = LoadAverage();
            var bench = new SubmissionBenchmark(engine, BenchUser, password)
            {
                Readers = parse.GetValue(readers), ReaderDepartments = parse.GetValue(readerDepartments),
                ReadBurstYear = readMode != "base", StartServer = port => Serve(host.HostAssembly, target, port, folder),
                Deadline = TimeSpan.FromMinutes(parse.GetValue(deadline)), ArrivalRate = Math.Max(0, parse.GetValue(arrivalRate)),
                ReaderPause = TimeSpan.FromMilliseconds(Math.Max(0, parse.GetValue(readerPause))),
            };
            var landing = await ScaleAsync(engine, baseYear, demoScale, ct);
            var result = await bench.RunAsync(files, baseYear, new Progress<string>(line => AnsiConsole.MarkupLineInterpolated($"  {line}")), ct);
            Print(engine.Name, landing, result, readMode);
            Console.WriteLine($"load average before / after = {load} / {LoadAverage()} (cores: {Environment.ProcessorCount}; the machine is shared)");
            return result.Failed == 0 && result.InMarts == result.Accepted && result.LoadedOnce == result.Accepted ? 0 : 1;
        }));
        return command;
    }

    /// <summary>
    /// <c>--read-year filled</c>: the burst year as late in the deadline week, loaded before the burst — the other departments'
    /// 监控资金 and every department's 监控指标 and 部门整体监控 forms — so that the readers read a full year that each pass
    /// changes. Returns the first refusal, or null.
    /// </summary>
    private static async Task<string?> LoadRestOfYearAsync(WarehouseEngine engine, IReadOnlyList<string> generated, string funds,
        IReadOnlyList<BurstFile> burst, string yearDir, CancellationToken ct)
    {
        var rest = SubmissionBenchmark.RestOf(funds, burst.Select(b => b.Department).ToHashSet(StringComparer.Ordinal),
            Path.Combine(yearDir, "其他部门_" + Path.GetFileName(funds)));
        var forms = generated.Where(f => Path.GetFileName(f) is var n && n.Contains("监控", StringComparison.Ordinal) && f != funds);
        foreach (var file in forms.Prepend(rest))
        {
            var loaded = await new SubmissionLoader(engine).LoadFileAsync(file, new LoadOptions(), ct);
            AnsiConsole.MarkupLineInterpolated($"高峰前载入 {Path.GetFileName(file)}：{loaded.Status}，{loaded.Rows:N0} 行");
            if (loaded.Status == LoadStatus.Rejected) return $"{file}: {loaded.Issues.FirstOrDefault()?.Message}";
        }
        return null;
    }

    /// <summary><c>budgetperf serve</c> of this very build, as its own process, its output to <c>DIR/server.log</c>.</summary>
    private static Process Serve(string dll, string db, int port, string folder)
    {
        var host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "serve", "--db", db, "--urls", $"http://127.0.0.1:{port}" }) info.ArgumentList.Add(a);
        info.Environment.Remove("BUDGETPERF_DB");
        var process = Process.Start(info)!;
        var log = new StreamWriter(Path.Combine(folder, "server.log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// What the burst lands in: the base year's projects in the warehouse (a prepared province warehouse holds 200,140
    /// whatever <c>--scale</c> says) and the scale the one-department files were generated at.
    /// </summary>
    private static async Task<string> ScaleAsync(WarehouseEngine engine, int baseYear, DemoScale files, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        var projects = await connection.ExecuteScalarAsync<long>(new CommandDefinition(engine.Sql(
            "SELECT COUNT(DISTINCT project_code) FROM mart_project_deviation WHERE fiscal_year = @year"), new { year = baseYear }, cancellationToken: ct));
        return $"a warehouse of {projects:N0} projects in {baseYear}; one-department files generated at {files.ToString().ToLowerInvariant()} scale";
    }

    private static void Print(string engine, string scale, SubmissionBenchResult r, string readYear)
    {
        var target = engine == "postgres" ? 15.0 : 5.0;
        Console.WriteLine($"bench submissions — {engine}, {scale}");
        Console.WriteLine($"uploads {r.Uploads}: accepted {r.Accepted}, 已生效 {r.Visible}, not visible {r.Failed}; " +
                          $"{r.Arrivals}; burst {r.BurstSeconds:F1} s, {r.Uploads / r.BurstSeconds:F1} uploads/s");
        Console.WriteLine($"upload-to-visible p50 {r.P50:F2} s  p95 {r.P95:F2} s  max {r.Max:F2} s   (target p95 ≤ {target:0} s: {(r.P95 <= target ? "met" : "NOT met")})");
        Console.WriteLine($"reader p95 (pages, charts, one department's exports) idle {r.IdleReaderP95:F0} ms, during the burst {r.BurstReaderP95:F0} ms, ratio {r.ReaderRatio:F2}   " +
                          $"(target ≤ 2× and ≤ 1000 ms: {(r.ReaderRatio <= 2 && r.BurstReaderP95 <= 1000 ? "met" : "NOT met")}); {r.ReaderRequests} reads, {r.ReaderErrors} errors");
        Console.WriteLine((r.ReaderPause > TimeSpan.Zero
                              ? $"readers pause {r.ReaderPause.TotalMilliseconds:0} ms after each answer (--reader-pause)"
                              : "readers ask again as soon as they are answered (a closed loop; --reader-pause N waits N ms)") +
                          string.Create(System.Globalization.CultureInfo.InvariantCulture,
                              $"; cores busy on average, server + bench client: idle {r.IdleCpu.Server:F2} + {r.IdleCpu.Client:F2}, during the burst {r.BurstCpu.Server:F2} + {r.BurstCpu.Client:F2} (of {Environment.ProcessorCount})"));
        Console.WriteLine($"readers read {r.ReadYear}: " + (readYear, r.ReadsBurstYear) switch
        {
            ("filled", true) => "the year being uploaded, its other departments' submissions loaded before the burst (late in the week: every pass changes a full year they read)",
            (_, true) => "the year being uploaded, only its 项目信息 before the burst (early in the week: every pass changes what they read)",
            _ => "the base year, before the one being uploaded (the by-年度 cache keeps its answers through the burst; --read-year burst|filled reads the uploaded year)",
        });
        foreach (var (read, count) in r.NothingToDraw)
            Console.WriteLine($"  {read}: 404 nothing to draw ×{count} (timed as answers)");
        Console.WriteLine($"readers' one-department exports spread over {r.ReaderDepartments.Count} uploading department(s) ({string.Join(", ", r.ReaderDepartments)})" +
                          (r.ReaderDepartments.Count == 1 ? ": every reader asks for the same department's (the cache's best case; --reader-departments N spreads them)" : ""));
        Console.WriteLine($"result cache (X-BudgetPerf-Cache) idle: {Cache(r.IdleCache)}");
        Console.WriteLine($"result cache during the burst: {Cache(r.BurstCache)}");
        Console.WriteLine($"bulk exports (a whole year's 偏差排名, every department's trends) p95 idle {r.IdleBulkP95:F0} ms, during the burst {r.BurstBulkP95:F0} ms");
        Console.WriteLine("p95 per read, idle → during the burst (reads in the burst): " + string.Join("; ", r.ByRead.Select(b =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{b.Read} {b.IdleP95:F0} → {b.BurstP95:F0} ms ({b.BurstCount})"))));
        Console.WriteLine("computed during the burst, per read (times, total; the rest were hits or waits): " + string.Join("; ", r.BurstComputed.Select(c =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{c.Read} {c.Computed}× {c.TotalMs / 1000:F1} s"))));
        Console.WriteLine($"in the marts: {r.InMarts}/{r.Accepted} accepted files (every project in mart_project_deviation), loaded exactly once: {r.LoadedOnce}/{r.Accepted}");
        foreach (var p in r.Problems) Console.WriteLine("  problem: " + p);
    }

    private static string Cache(CacheCounts c) => c.Cached == 0
        ? $"no cached reads ({c.Uncached} uncached: a server without the result cache?)"
        : $"hit ratio {c.HitRatio:P1} — {c.Hits} hits, {c.Waits} waited for another request's computation, {c.Misses} computed, {c.Stale} served stale (charts and exports over every department computed before the latest pass), of {c.Cached} cacheable reads ({c.Uncached} page shells not cached)";

    private static string? LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;
}
