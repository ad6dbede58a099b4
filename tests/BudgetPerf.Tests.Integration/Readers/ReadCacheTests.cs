using System.Net;
using BudgetPerf.Dashboard;
using BudgetPerf.Dashboard.Annotations;
using BudgetPerf.Dashboard.Caching;
using BudgetPerf.Dashboard.Security;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Tests.Integration.Web;
using BudgetPerf.Warehouse.Annotations;
using BudgetPerf.Warehouse.Caching;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Engines.Postgres;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Policy;
using BudgetPerf.Warehouse.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Readers;

/// <summary>
/// The readers' result cache (issue 15) through the dashboard's endpoints on both engines, over two departments'
/// year-end self-evaluations: A1 of 教育局 (101) scores 10 + 90 = 100 → 优 → 优先保障; B1 of 交通局 (102) scores
/// 10 + 90 × 40/100 = 46 → 差 → 削减/取消 (the cuts export lists both flags).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReadCacheTests(PostgresServer postgres) : IDisposable
{
    private const string Cuts = "/export/cuts?format=csv&year=2024";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary><paramref name="bulkStale"/>: <c>BudgetPerf:ReadCache:BulkStaleSeconds</c> (0, the whole-province exports never stale, unless given).</summary>
    private async Task<(WebApplication App, WarehouseEngine Engine)> StartAsync(string engineName, int bulkStale = 0)
    {
        if (engineName == "postgres") postgres.SkipIfUnavailable();
        var engine = await BuildAsync(engineName, _dir, postgres,
            ("fund.csv", FundHeader + "2024,A1,课后服务补助,101,教育局,年度资金总额,100,100,100,10,10\n"
                                    + "2024,B1,农村公路养护,102,交通局,年度资金总额,100,100,100,10,10\n"),
            ("ind.csv", IndicatorHeader + "2024,A1,产出指标,数量指标,服务人次,,≥100人次,,100,90,\n"
                                        + "2024,B1,产出指标,数量指标,养护里程,,≥100公里,,40,90,\n"));
        var accounts = new UserAccounts(engine);
        foreach (var (name, role, dept) in new[] { ("finance", "财政", ""), ("dept101", "部门", "101"), ("dept102", "部门", "102") })
            await accounts.AddAsync(new UserAccounts.NewUser(name, null, [role], dept.Length == 0 ? [] : [dept]), DashboardHost.Password, "test");
        var builder = DashboardApp.CreateBuilder(engine, "http://127.0.0.1:0",
            new Dictionary<string, string?>
            {
                ["BudgetPerf:SignIn:AttemptsPerMinute"] = "1000",
                ["BudgetPerf:ReadCache:BulkStaleSeconds"] = bulkStale.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        builder.WebHost.UseTestServer();
        var app = builder.Build();
        app.MapDashboard();
        await app.StartAsync();
        return (app, engine);
    }

    private static async Task<HttpClient> SignInAsync(WebApplication app, string user)
    {
        var client = new HttpClient(new DashboardHost.CookieHandler { InnerHandler = app.GetTestServer().CreateHandler() })
        {
            BaseAddress = new Uri("http://localhost"),
        };
        var answer = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = await DashboardHost.TokenAsync(client),
            ["Input.UserName"] = user, ["Input.Password"] = DashboardHost.Password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        return client;
    }

    /// <summary>The answer's body and where it came from (<c>X-BudgetPerf-Cache</c>).</summary>
    private static async Task<(string Body, string Cache)> GetAsync(HttpClient client, string path)
    {
        using var answer = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return (await answer.Content.ReadAsStringAsync(), string.Join(",", answer.Headers.GetValues(ReadCacheKeys.Header)));
    }

    private static async Task<(byte[] Body, string Cache)> GetBytesAsync(HttpClient client, string path)
    {
        using var answer = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return (await answer.Content.ReadAsByteArrayAsync(), string.Join(",", answer.Headers.GetValues(ReadCacheKeys.Header)));
    }

    /// <summary>
    /// Loads the files and builds, as another process would: on PostgreSQL through another engine object (the version comes
    /// from the database, not from this dashboard's own commit), then waits past the second a version read is trusted.
    /// </summary>
    private async Task LoadAndBuildElsewhereAsync(WarehouseEngine engine, string target, params (string Name, string Csv)[] files)
    {
        var builder = engine is PostgresEngine postgresEngine ? new PostgresEngine(postgresEngine.ConnectionString) : engine;
        foreach (var (name, csv) in files)
            Assert.Equal(LoadStatus.Loaded, (await new SubmissionLoader(builder).LoadFileAsync(_dir.Write(name, csv))).Status);
        Assert.True((await new ModelRunner(builder).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File(target) })).Success);
        await Task.Delay(TimeSpan.FromSeconds(1.2));
    }

    private static bool HasRow(string csv, string project, string flag) =>
        csv.Split('\n').Any(line => line.Contains(project, StringComparison.Ordinal) && line.Contains(flag, StringComparison.Ordinal));

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_kept_csv_export_goes_gzip_compressed_to_a_client_that_accepts_gzip_and_plain_to_one_that_does_not(string engineName)
    {
        var (app, _) = await StartAsync(engineName);
        await using var _ = app;
        var finance = await SignInAsync(app, "finance");
        using var plainAnswer = await finance.GetAsync(Cuts);
        var plain = await plainAnswer.Content.ReadAsByteArrayAsync();
        Assert.Empty(plainAnswer.Content.Headers.ContentEncoding);
        Assert.Equal("miss", string.Join(",", plainAnswer.Headers.GetValues(ReadCacheKeys.Header)));
        Assert.True(HasRow(System.Text.Encoding.UTF8.GetString(plain), "B1", "削减/取消"));

        using var request = new HttpRequestMessage(HttpMethod.Get, Cuts);
        request.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br");
        using var gzipAnswer = await finance.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, gzipAnswer.StatusCode);
        Assert.Equal("gzip", Assert.Single(gzipAnswer.Content.Headers.ContentEncoding));
        Assert.Equal("hit", string.Join(",", gzipAnswer.Headers.GetValues(ReadCacheKeys.Header)));
        using var inflated = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(new MemoryStream(await gzipAnswer.Content.ReadAsByteArrayAsync()),
                         System.IO.Compression.CompressionMode.Decompress))
            await gzip.CopyToAsync(inflated);
        Assert.Equal(plain, inflated.ToArray());

        // gzip;q=0 refuses gzip: the kept answer is inflated on the way
        using var refusing = new HttpRequestMessage(HttpMethod.Get, Cuts);
        refusing.Headers.AcceptEncoding.ParseAdd("gzip;q=0");
        using var refusedAnswer = await finance.SendAsync(refusing);
        Assert.Empty(refusedAnswer.Content.Headers.ContentEncoding);
        Assert.Equal(plain, await refusedAnswer.Content.ReadAsByteArrayAsync());
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_cached_export_and_chart_change_after_a_build_that_changes_their_figures(string engineName)
    {
        var (app, engine) = await StartAsync(engineName);
        await using var _ = app;
        var finance = await SignInAsync(app, "finance");
        var (before, first) = await GetAsync(finance, Cuts);
        var (again, second) = await GetAsync(finance, Cuts);
        Assert.Equal(("miss", "hit"), (first, second));
        Assert.Equal(before, again);
        Assert.True(HasRow(before, "B1", "削减/取消"));
        var (chartBefore, chartFirst) = await GetBytesAsync(finance, "/chart/grades.png?year=2024");
        Assert.Equal("hit", (await GetBytesAsync(finance, "/chart/grades.png?year=2024")).Cache);
        Assert.Equal("miss", chartFirst);
        // a computed answer says how long its computation took (bench submissions sums them per read); a kept one does not
        foreach (var (expected, computed) in new[] { ("miss", true), ("hit", false) })
        {
            using var answer = await finance.GetAsync(Cuts + "&region=");
            Assert.Equal(expected, string.Join(",", answer.Headers.GetValues(ReadCacheKeys.Header)));
            Assert.Equal(computed, answer.Headers.TryGetValues(ReadCacheKeys.ComputeHeader, out var ms)
                                   && double.Parse(ms.Single(), System.Globalization.CultureInfo.InvariantCulture) >= 0);
        }

        // B1 resubmits 养护里程 100 of 100: 10 + 90 = 100 → 优 → 优先保障, no longer 削减/取消
        await LoadAndBuildElsewhereAsync(engine, "target2", ("ind2.csv", IndicatorHeader + "2024,B1,产出指标,数量指标,养护里程,,≥100公里,,100,90,\n"));

        var (after, third) = await GetAsync(finance, Cuts);
        Assert.Equal("miss", third);
        Assert.False(HasRow(after, "B1", "削减/取消"));
        Assert.True(HasRow(after, "B1", "优先保障"));
        var (chartAfter, chartThird) = await GetBytesAsync(finance, "/chart/grades.png?year=2024");
        Assert.Equal("miss", chartThird);
        Assert.NotEqual(chartBefore, chartAfter); // B1's bar moves from 差 to 优
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task An_answer_over_every_department_is_served_stale_while_builds_come_fast_refreshed_once_served_late_and_computed_after_one_build_or_once_old(string engineName)
    {
        const int StaleSeconds = 20;   // refreshed after it is served from two thirds of that (13.3 s) on
        var (app, engine) = await StartAsync(engineName, StaleSeconds);
        await using var _ = app;
        var finance = await SignInAsync(app, "finance");
        var department = await SignInAsync(app, "dept102");   // a 部门 user: the same URL is its own department's rows
        const string OneDepartment = "/export/ranking?format=csv&year=2024&dept=102", Chart = "/chart/grades.png?year=2024";
        const string Unread = Cuts + "&region=";   // the same export under another key, not asked for while it could be refreshed
        foreach (var path in new[] { Cuts, OneDepartment, Unread }) Assert.Equal("miss", (await GetAsync(finance, path)).Cache);
        Assert.Equal("miss", (await GetBytesAsync(finance, Chart)).Cache);
        Assert.Equal("miss", (await GetAsync(department, Cuts)).Cache);

        // one build after a quiet time (B1 resubmits 100 of 100: 优先保障): the answers over every department computed again
        await LoadAndBuildElsewhereAsync(engine, "target2", ("ind2.csv", IndicatorHeader + "2024,B1,产出指标,数量指标,养护里程,,≥100公里,,100,90,\n"));
        var (afterOne, first) = await GetAsync(finance, Cuts);
        var computedAt = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal("miss", first);
        Assert.Equal("miss", (await GetAsync(finance, Unread)).Cache);
        var (chartAfterOne, chartFirst) = await GetBytesAsync(finance, Chart);
        Assert.Equal("miss", chartFirst);
        Assert.Equal("miss", (await GetAsync(department, Cuts)).Cache);
        Assert.True(HasRow(afterOne, "B1", "优先保障"));

        // a second build soon after (B1 back to 40 of 100: 削减/取消): builds come fast, so the export and the chart are the
        // ones computed after the first, with their age; one department's export is computed again
        await LoadAndBuildElsewhereAsync(engine, "target3", ("ind3.csv", IndicatorHeader + "2024,B1,产出指标,数量指标,养护里程,,≥100公里,,40,90,\n"));
        using (var answer = await finance.GetAsync(Cuts))
        {
            Assert.Equal("stale", string.Join(",", answer.Headers.GetValues(ReadCacheKeys.Header)));
            Assert.NotNull(answer.Headers.Age);
            Assert.InRange(answer.Headers.Age!.Value.TotalSeconds, 0, StaleSeconds);
            var body = await answer.Content.ReadAsStringAsync();
            Assert.True(HasRow(body, "B1", "优先保障"));
            Assert.False(HasRow(body, "B1", "削减/取消"));
        }
        var (staleChart, chartSecond) = await GetBytesAsync(finance, Chart);
        Assert.Equal("stale", chartSecond);
        Assert.Equal(chartAfterOne, staleChart);
        Assert.Equal("stale", (await GetAsync(finance, Unread)).Cache);
        Assert.Equal("miss", (await GetAsync(finance, OneDepartment)).Cache);
        // and a 部门 user's export without a department named is its own rows: computed again, B1 削减/取消 at once
        var (own, ownCache) = await GetAsync(department, Cuts);
        Assert.Equal("miss", ownCache);
        Assert.True(HasRow(own, "B1", "削减/取消"));

        // served once two thirds as old as allowed: still the kept answer, and its request computes the new one after sending
        // it, so the next askers have the second build's figures from the cache, nobody having waited for them
        if (TimeSpan.FromSeconds(StaleSeconds * 2 / 3.0 + 0.3) - computedAt.Elapsed is { Ticks: > 0 } late) await Task.Delay(late);
        var (lateCuts, lateCache) = await GetAsync(finance, Cuts);
        Assert.Equal("stale", lateCache);
        Assert.True(HasRow(lateCuts, "B1", "优先保障"));
        Assert.Equal("stale", (await GetBytesAsync(finance, Chart)).Cache);
        var (refreshed, refreshedCache) = await UntilAsync(() => GetAsync(finance, Cuts), a => a.Cache != "stale");
        Assert.Equal("hit", refreshedCache);
        Assert.True(HasRow(refreshed, "B1", "削减/取消"));
        var (refreshedChart, chartCache) = await UntilAsync(() => GetBytesAsync(finance, Chart), a => a.Cache != "stale");
        Assert.Equal("hit", chartCache);
        Assert.NotEqual(chartAfterOne, refreshedChart); // B1's bar moves from 优 to 差
        Assert.True(computedAt.Elapsed < TimeSpan.FromSeconds(StaleSeconds), "refreshed before the kept answers were as old as allowed");

        // an answer nobody asked for since, once as old as the staleness allowed: computed again by its asker
        if (TimeSpan.FromSeconds(StaleSeconds + 0.5) - computedAt.Elapsed is { Ticks: > 0 } rest) await Task.Delay(rest);
        var (fresh, last) = await GetAsync(finance, Unread);
        Assert.Equal("miss", last);
        Assert.True(HasRow(fresh, "B1", "削减/取消"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task An_answer_refreshed_too_large_to_keep_is_handed_back_and_its_stale_one_dropped(string engineName)
    {
        if (engineName == "postgres") postgres.SkipIfUnavailable();
        var engine = await BuildAsync(engineName, _dir, postgres,
            ("fund.csv", FundHeader + "2024,A1,课后服务补助,101,教育局,年度资金总额,100,100,100,10,10\n"));
        using var cache = new ReadCache(engine, new ReadCacheOptions { SizeLimitBytes = 400 });   // 100 bytes at most kept
        var staleFor = TimeSpan.FromMinutes(1);
        Task<CacheLookup<string>> Ask(string answer) =>
            cache.GetOrAddAsync("k", _ => Task.FromResult(answer), a => a.Length, CancellationToken.None, null, null, staleFor);
        Assert.Equal(CacheOutcome.Miss, (await Ask("small")).Outcome);
        await LoadAndBuildElsewhereAsync(engine, "target2", ("ind.csv", IndicatorHeader + "2024,A1,产出指标,数量指标,服务人次,,≥100人次,,100,90,\n"));
        Assert.Equal(CacheOutcome.Miss, (await Ask("small")).Outcome);   // one build after a quiet time: fresh

        // a second build soon after (builds come fast: the kept answer could be served stale), and the answer is now too
        // large to keep: the refresh hands it back, and the stale one is dropped — its asker computes its own
        await LoadAndBuildElsewhereAsync(engine, "target3", ("ind2.csv", IndicatorHeader + "2024,A1,产出指标,数量指标,服务人次,,≥100人次,,50,90,\n"));
        var handedBack = new List<string>();
        var large = new string('x', 200);
        await cache.RefreshAsync("k", _ => Task.FromResult(large), a => a.Length, null, handedBack.Add);
        Assert.Equal([large], handedBack);
        var (answer, outcome, _, _) = await Ask("computed by its asker");
        Assert.Equal((CacheOutcome.Miss, "computed by its asker"), (outcome, answer));
    }

    /// <summary>Asks again every 100 ms until <paramref name="done"/> (at most 5 s), the last answer returned.</summary>
    private static async Task<T> UntilAsync<T>(Func<Task<T>> ask, Func<T, bool> done)
    {
        var answer = await ask();
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); !done(answer) && clock.Elapsed < TimeSpan.FromSeconds(5);)
        {
            await Task.Delay(100);
            answer = await ask();
        }
        return answer;
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_build_of_a_later_year_leaves_a_years_kept_exports_and_charts_kept_and_the_answers_over_every_year_not(string engineName)
    {
        var (app, engine) = await StartAsync(engineName);
        await using var _ = app;
        var finance = await SignInAsync(app, "finance");
        const string Ranking = "/export/ranking?format=csv&year=2024", Grades = "/chart/grades.png?year=2024";
        const string NextCuts = "/export/cuts?format=csv&year=2025", EveryYear = "/export/cuts?format=csv";
        foreach (var path in new[] { Cuts, Ranking, NextCuts, EveryYear })
            Assert.Equal("miss", (await GetAsync(finance, path)).Cache);
        Assert.Equal("miss", (await GetBytesAsync(finance, Grades)).Cache);

        // the deadline week of 2025: A1's 1-6月 of 2025 (names as before)
        await LoadAndBuildElsewhereAsync(engine, "target2",
            ("fund2025.csv", FundHeader + "2025,A1,课后服务补助,101,教育局,年度资金总额,100,100,100,10,10\n"),
            ("ind2025.csv", IndicatorHeader + "2025,A1,产出指标,数量指标,服务人次,,≥100人次,,50,90,\n"));

        // what 2024's exports and grade chart show is as it was: kept; what reads 2025, or every year, is computed again
        Assert.Equal("hit", (await GetAsync(finance, Cuts)).Cache);
        Assert.Equal("hit", (await GetAsync(finance, Ranking)).Cache);
        Assert.Equal("hit", (await GetBytesAsync(finance, Grades)).Cache);
        var (nextYear, next) = await GetAsync(finance, NextCuts);
        Assert.Equal("miss", next);
        Assert.Contains("2025", nextYear);
        var (everyYear, every) = await GetAsync(finance, EveryYear);
        Assert.Equal("miss", every);
        Assert.Contains("2025", everyYear);

        // then a 2024 resubmission (B1 100 of 100): 2024's answers are computed again
        await LoadAndBuildElsewhereAsync(engine, "target3", ("ind2024.csv", IndicatorHeader + "2024,B1,产出指标,数量指标,养护里程,,≥100公里,,100,90,\n"));
        var (cuts, again) = await GetAsync(finance, Cuts);
        Assert.Equal("miss", again);
        Assert.True(HasRow(cuts, "B1", "优先保障"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_caller_scoped_to_one_department_never_gets_another_departments_cached_export(string engineName)
    {
        var (app, _) = await StartAsync(engineName);
        await using var __ = app;
        var (all, _) = await GetAsync(await SignInAsync(app, "finance"), Cuts);
        Assert.True(HasRow(all, "A1", "优先保障") && HasRow(all, "B1", "削减/取消"));

        var dept101 = await SignInAsync(app, "dept101");
        var dept102 = await SignInAsync(app, "dept102");
        var (own101, first101) = await GetAsync(dept101, Cuts);  // the same URL as finance's: its own key, computed
        var (own102, first102) = await GetAsync(dept102, Cuts);
        var (again101, second101) = await GetAsync(dept101, Cuts);
        Assert.Equal(("miss", "miss", "hit"), (first101, first102, second101));
        Assert.True(HasRow(own101, "A1", "优先保障"));
        Assert.DoesNotContain("B1", own101 + again101);
        Assert.True(HasRow(own102, "B1", "削减/取消"));
        Assert.DoesNotContain("A1", own102);
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task An_annotation_or_a_policy_change_is_visible_at_once(string engineName)
    {
        var (app, _) = await StartAsync(engineName);
        await using var __ = app;
        var finance = await SignInAsync(app, "finance");
        await GetAsync(finance, Cuts);
        var (cached, hit) = await GetAsync(finance, Cuts);
        Assert.Equal("hit", hit);
        Assert.DoesNotContain("里程统计口径有误", cached);

        // 财政 annotates B1's 削减/取消 as the 削减与收回 page does: the next export carries it, not the cached file
        var user = CallerClaims.PrincipalOf(new AppUser { UserName = "finance", DisplayName = "finance", Roles = "财政", Departments = "" });
        var saved = await app.Services.GetRequiredService<FlagAnnotationService>()
            .AnnotateAsync(user, 2024, "B1", "削减/取消", FlagDecision.Reject, "里程统计口径有误");
        Assert.Equal(AnnotateOutcome.Saved, saved.Outcome);
        var (annotated, afterAnnotation) = await GetAsync(finance, Cuts);
        Assert.Equal("miss", afterAnnotation);
        Assert.True(HasRow(annotated, "B1", "里程统计口径有误"));
        Assert.Equal("hit", (await GetAsync(finance, Cuts)).Cache);

        // a 政策参数 change raises the version in its own transaction: nothing cached before it is served after it
        await new PolicyStore(app.Services.GetRequiredService<WarehouseEngine>()).SetAsync("score_gap_flag_points", "2", "admin", "测试");
        Assert.Equal("miss", (await GetAsync(finance, Cuts)).Cache);
    }
}
