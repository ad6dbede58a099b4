using System.Diagnostics;
using BudgetPerf.Tests.Integration.Fixtures;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace BudgetPerf.Tests.E2E;

/// <summary>
/// Issue 16 in a browser: one PostgreSQL warehouse (the integration tests' fixture), two <c>budgetperf serve</c> instances
/// on it, and Debian's nginx in front with the shipped configuration (deploy/nginx: sticky <c>bp_route</c> cookie,
/// WebSocket upgrade), all on 127.0.0.1 free ports; Debian's chromium through Playwright. Everything is stopped at the end.
/// </summary>
public sealed class NginxClusterFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    public const string Leader = "cluster-leader";
    public const string LockedUser = "cluster-locked";
    public const string Password = DashboardFixture.Password;

    private readonly PostgresServer _postgres = new(diagnostics);
    private readonly Dictionary<string, Process> _instances = [];
    private IPlaywright? _playwright;
    private string _nginxDir = "";

    public string Root { get; } = Directory.CreateTempSubdirectory("budgetperf-e2e-cluster-").FullName;
    public string BaseUrl { get; private set; } = "";
    public IBrowser? Browser { get; private set; }
    public string? SkipReason { get; private set; }

    /// <summary>The instances' addresses (127.0.0.1:port) as nginx names them in <c>$upstream_addr</c>.</summary>
    public IReadOnlyCollection<string> Instances => _instances.Keys;

    public string AccessLog => Path.Combine(_nginxDir, "access.log");

    public async Task InitializeAsync()
    {
        var missing = new[] { DashboardFixture.Chromium, "/usr/sbin/nginx" }.FirstOrDefault(f => !File.Exists(f));
        if (missing is not null)
        {
            SkipReason = $"{missing} is not installed (apt-get install chromium nginx)";
            if (Environment.GetEnvironmentVariable("CI") == "true") throw new InvalidOperationException(SkipReason);
            return;
        }
        await _postgres.InitializeAsync();
        if (!_postgres.IsAvailable) { SkipReason = _postgres.UnavailableReason; return; }
        var db = await _postgres.CreateDatabaseAsync("cluster_e2e");
        await DashboardFixture.RunCliAsync("init", "--db", db);
        await DashboardFixture.RunCliAsync("build", "--db", db);
        await DashboardFixture.RunCliAsync("user", "add", Leader, "--role", "领导", "--password", Password, "--db", db);
        await DashboardFixture.RunCliAsync("user", "add", LockedUser, "--role", "领导", "--password", Password, "--db", db);

        foreach (var _ in new[] { 1, 2 }) await StartInstanceAsync(db);
        await StartNginxAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = DashboardFixture.Chromium, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
    }

    private async Task StartInstanceAsync(string db)
    {
        var address = $"127.0.0.1:{DashboardFixture.FreePort()}";
        var server = Process.Start(new ProcessStartInfo("dotnet", [DashboardFixture.DashboardDll(), "serve", "--db", db, "--urls", "http://" + address])
        {
            WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true,
            Environment = { ["BudgetPerf__SignIn__AttemptsPerMinute"] = "1000" },   // every attempt comes from 127.0.0.1
        })!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        _instances[address] = server;
        using var http = new HttpClient();
        for (var i = 0; ; i++)
        {
            // ready when it answers /health; then its sign-in page once, so the test's first page is not the instance's first
            try { if ((await http.GetAsync($"http://{address}/health")).IsSuccessStatusCode) { await http.GetAsync($"http://{address}/login"); return; } }
            catch (HttpRequestException) when (i < 300) { }
            if (server.HasExited) throw new InvalidOperationException($"budgetperf serve exited with {server.ExitCode}");
            await Task.Delay(200);
        }
    }

    /// <summary>nginx with deploy/nginx's files, the instance ports and a free listening port substituted (as tests/cluster/run.sh does).</summary>
    private async Task StartNginxAsync()
    {
        _nginxDir = Path.Combine(Root, "nginx");
        Directory.CreateDirectory(_nginxDir);
        // dashboard/Cli/bin/CONFIG/net10.0/budgetperf.dll → the repository's deploy/nginx
        var deploy = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(DashboardFixture.DashboardDll())!, "../../../../../deploy/nginx"));
        var port = DashboardFixture.FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        var addresses = _instances.Keys.ToArray();
        await File.WriteAllTextAsync(Path.Combine(_nginxDir, "nginx.conf"),
            (await File.ReadAllTextAsync(Path.Combine(deploy, "nginx.conf.template"))).Replace("@DIR@", _nginxDir));
        await File.WriteAllTextAsync(Path.Combine(_nginxDir, "budgetperf.conf"),
            (await File.ReadAllTextAsync(Path.Combine(deploy, "budgetperf.conf")))
            .Replace("127.0.0.1:5101", addresses[0]).Replace("127.0.0.1:5102", addresses[1])
            .Replace("listen 127.0.0.1:8080", $"listen 127.0.0.1:{port}"));
        // nginx's workers run as nobody when started by root: they write the proxy buffers under the folder
        if (!OperatingSystem.IsWindows())
            foreach (var dir in new[] { Root, _nginxDir })
                File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
        await RunAsync("nginx", "-p", _nginxDir, "-c", Path.Combine(_nginxDir, "nginx.conf"));
    }

    /// <summary>Kills one instance (as a machine that dies would go: no shutdown).</summary>
    public async Task KillInstanceAsync(string address)
    {
        var server = _instances[address];
        server.Kill(entireProcessTree: true);
        await server.WaitForExitAsync();
    }

    /// <summary>
    /// Each request nginx logged so far (deploy/nginx/nginx.conf.template's format: msec status method time uri upstream): its
    /// status and instance(s), "a" or "a, b" when nginx retried. A WebSocket (101) is logged when it closes.
    /// </summary>
    public async Task<IReadOnlyList<(string Status, string Upstream)>> RequestsAsync() =>
        (await File.ReadAllLinesAsync(AccessLog)).Select(l => l.Split(' '))
            .Select(f => (f[1], string.Join(" ", f.Skip(5)))).ToList();

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser!.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN", ViewportSize = new() { Width = 1440, Height = 1000 } });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (File.Exists(Path.Combine(_nginxDir, "nginx.pid")))
            await RunAsync("nginx", "-p", _nginxDir, "-c", Path.Combine(_nginxDir, "nginx.conf"), "-s", "stop");
        foreach (var server in _instances.Values.Where(s => !s.HasExited))
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
        await _postgres.DisposeAsync();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {output}");
    }
}

[CollectionDefinition(Name)]
public sealed class NginxClusterCollection : ICollectionFixture<NginxClusterFixture>
{
    public const string Name = "nginx-cluster";
}
