using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BudgetPerf.Etl.Demo;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines.DuckDb;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;
using Microsoft.Playwright;

namespace BudgetPerf.Tests.E2E;

/// <summary>
/// One demo warehouse (one county year), the dashboard served from it on a free 127.0.0.1 port by a child
/// <c>budgetperf serve</c>, and Debian's chromium driven by Playwright. Stopped at the end.
/// </summary>
public class DashboardFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    public string Root { get; } = Directory.CreateTempSubdirectory("budgetperf-e2e-").FullName;
    public string BaseUrl { get; private set; } = "";
    public string InboxDir => Path.Combine(Root, "inbox");
    public string ScreenshotDir { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");
    public IBrowser? Browser { get; private set; }

    /// <summary>Signs in for every page test unless one asks otherwise: reads all, exports, uploads (分析 + 管理员).</summary>
    public const string AnalystAdmin = "e2e-analyst";

    /// <summary>A 部门 user of <see cref="Department"/> only.</summary>
    public const string DepartmentUser = "e2e-dept";

    /// <summary>A 财政 user: reads all, annotates consequence flags.</summary>
    public const string FinanceUser = "e2e-finance";
    /// <summary>A 财政 user of 平川县 (660122): none of the demo county 示范县 (660121) is theirs.</summary>
    public const string OtherCountyUser = "e2e-other-county";
    /// <summary>A 领导 user: reads all, opens 预算安排模拟 (issue 17).</summary>
    public const string LeaderUser = "e2e-leader";
    public const string Password = "e2e-Passw0rd-长";

    /// <summary>The first demo department (the 部门 user's) and one other department's project code.</summary>
    public string Department { get; private set; } = "";
    public string DepartmentName { get; private set; } = "";
    public string OtherDepartmentProject { get; private set; } = "";
    public string? SkipReason { get; private set; }
    /// <summary>预算安排模拟's expected figures on the demo (差 → −50%), computed before the server opens the file.</summary>
    public WhatIfExpected? WhatIf { get; private set; }
    private IPlaywright? _playwright;
    private Process? _server;

    /// <summary>Demo years to generate: 1 (one year of 1-6月 monitoring, no 自评); a fixture that needs grades asks for 2.</summary>
    protected virtual int DemoYears => 1;

    /// <summary>
    /// Until the upload page's file input listens: Blazor's InputFile hooks up its change handler by a JS call after the
    /// component's first render (InputFile.init, which sets <c>_blazorInputFileNextFileId</c> in the same call), so a file
    /// set on the visible input before that is lost and the test waits for an upload that never happens (a CI run of the
    /// regulation table's input did; that test sets its file until the page answers).
    /// </summary>
    public static Task UntilFileInputListensAsync(IPage page, string selector = "#upload-input") =>
        page.WaitForFunctionAsync("s => document.querySelector(s)?._blazorInputFileNextFileId !== undefined", selector,
            new() { Timeout = 20_000 });

    /// <summary>
    /// After an upload on 数据上报: every file of it was accepted into the queue (排队中), and each submission then reaches
    /// 已生效 on the page's live queue with the time its figures became visible.
    /// </summary>
    public static async Task UntilVisibleAsync(IPage page, int files = 1)
    {
        var queued = page.Locator("[data-file-status='Queued']");
        await Assertions.Expect(queued).ToHaveCountAsync(files, new() { Timeout = 60_000 });
        foreach (var id in await queued.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.submissionId)"))
        {
            var row = page.Locator($"[data-queue] tr[data-submission='{id}']");
            await Assertions.Expect(row).ToHaveAttributeAsync("data-submission-state", "visible", new() { Timeout = 180_000 });
            await Assertions.Expect(row).ToContainTextAsync("已生效");
            await Assertions.Expect(row.Locator("[data-visible-at]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"));
        }
    }

    /// <summary>Reads what a fixture's tests expect from the built marts, before the server owns the DuckDB file.</summary>
    protected virtual Task BeforeServeAsync(DuckDbEngine engine) => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            SkipReason = $"{Chromium} is not installed (apt-get install chromium)";
            if (Environment.GetEnvironmentVariable("CI") == "true") throw new InvalidOperationException(SkipReason);
            return;
        }
        Directory.CreateDirectory(ScreenshotDir);
        var db = Path.Combine(Root, "demo.duckdb");
        var engine = new DuckDbEngine(db);
        var files = new DemoGenerator(new DemoOptions { Years = DemoYears }).Generate(InboxDir, null, default);
        await WarehouseSetup.InitAsync(engine, Path.Combine(Root, "target"));
        var loader = new SubmissionLoader(engine);
        foreach (var file in files) await loader.LoadFileAsync(file);
        await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = Path.Combine(Root, "target") });
        if (DemoYears > 1) WhatIf = await WhatIfExpected.ComputeAsync(engine);
        await BeforeServeAsync(engine);
        var departments = await new RankingQueries(engine).DepartmentsAsync(DataScope.All);
        (Department, DepartmentName) = (departments[0].DepartmentCode, departments[0].DepartmentName);
        var other = await new RankingQueries(engine).PageAsync(
            new DeviationFilter { Scope = DataScope.Of([departments[1].DepartmentCode]) }, null, true, 0, 1);
        OtherDepartmentProject = other.Rows[0].ProjectCode;
        await RunCliAsync("user", "add", AnalystAdmin, "--role", "分析", "--role", "管理员", "--password", Password, "--db", db);
        await RunCliAsync("user", "add", DepartmentUser, "--role", "部门", "--department", Department, "--password", Password, "--db", db);
        await RunCliAsync("user", "add", FinanceUser, "--role", "财政", "--password", Password, "--db", db);
        await RunCliAsync("user", "add", LeaderUser, "--role", "领导", "--password", Password, "--db", db);
        await RunCliAsync("user", "add", OtherCountyUser, "--role", "财政", "--region", "660122", "--password", Password, "--db", db);

        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        _server = Process.Start(new ProcessStartInfo("dotnet", [DashboardDll(), "serve", "--db", db, "--urls", BaseUrl])
        {
            WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true,
            // every test signs in from 127.0.0.1: the per-address limit (10 a minute) is for people, not for this suite
            Environment = { ["BudgetPerf__SignIn__AttemptsPerMinute"] = "1000" },
        })!;
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var i = 0; ; i++)
        {
            try { if ((await http.GetAsync(BaseUrl + "/health")).IsSuccessStatusCode) break; }
            catch (HttpRequestException) when (i < 600) { }   // up to 2 minutes on a loaded machine
            if (_server.HasExited) throw new InvalidOperationException($"budgetperf serve exited with {_server.ExitCode}");
            await Task.Delay(200);
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser context signed in as <paramref name="user"/> through the sign-in page.</summary>
    public async Task<IPage> NewPageAsync(string user = AnalystAdmin, ViewportSize? viewport = null)
    {
        var page = await NewAnonymousPageAsync(viewport);
        await page.GotoAsync(BaseUrl + "/login");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#signin");
        try
        {
            // signed in = redirected to the start page: its load event (the overview's chart images, computed on a loaded
            // machine) is not waited for here; each test waits for what it reads (CI saw a sign-in land on "/" and the
            // load event not come within 20 s)
            await page.WaitForURLAsync(BaseUrl + "/", new() { Timeout = 20_000, WaitUntil = WaitUntilState.Commit });
        }
        catch (TimeoutException ex)
        {
            var refusal = page.Locator(".signin-error");
            var said = await refusal.CountAsync() > 0 ? await refusal.InnerTextAsync() : "no message on the page";
            throw new TimeoutException($"{user} was not signed in within 20 s (at {page.Url}: {said})", ex);
        }
        return page;
    }

    public async Task<IPage> NewAnonymousPageAsync(ViewportSize? viewport = null)
    {
        var context = await Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = viewport ?? new ViewportSize { Width = 1440, Height = 1000 }, Locale = "zh-CN", AcceptDownloads = true,
        });
        // a page's load event waits for its chart images, which a CI machine running the other test projects at the same
        // time has held past 20 s (the sign-in above): navigations get a minute before a test calls them failed
        context.SetDefaultNavigationTimeout(60_000);
        return await context.NewPageAsync();
    }

    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    internal static async Task RunCliAsync(params string[] args)
    {
        using var cli = Process.Start(new ProcessStartInfo("dotnet", [DashboardDll(), .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = await cli.StandardOutput.ReadToEndAsync() + await cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync();
        if (cli.ExitCode != 0) throw new InvalidOperationException($"budgetperf {string.Join(' ', args)} exited {cli.ExitCode}: {output}");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The dashboard as built beside this test (same configuration): dashboard/Cli/bin/CONFIG/net10.0/budgetperf.dll.</summary>
    internal static string DashboardDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BudgetPerf.sln"))) dir = dir.Parent;
        var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        return Path.Combine(dir!.FullName, "dashboard", "Cli", "bin", config, "net10.0", "budgetperf.dll");
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
