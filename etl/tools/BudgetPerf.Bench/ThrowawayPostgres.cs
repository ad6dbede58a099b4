using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BudgetPerf.Etl.Bench;

/// <summary>
/// A PostgreSQL server of the benchmark's own, as the integration tests' fixture starts one: <c>initdb</c> into a fresh
/// directory under /tmp, <c>pg_ctl start</c> on a free port of 127.0.0.1 (trust auth, fsync off: a measurement, not a
/// store), one empty database; <see cref="DisposeAsync"/> stops it (<c>pg_ctl stop -m fast</c>) and deletes the directory.
/// Binaries: <c>$BUDGETPERF_PG_BIN</c>, else the highest <c>/usr/lib/postgresql/*/bin</c>. As root the server runs as
/// the <c>postgres</c> user (runuser), which Debian's package creates.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _root, _data, _pgCtl;
    private readonly bool _asPostgres;

    private ThrowawayPostgres(string root, string pgCtl, bool asPostgres) =>
        (_root, _data, _pgCtl, _asPostgres) = (root, Path.Combine(root, "data"), pgCtl, asPostgres);

    /// <summary>Npgsql connection string of the empty database <c>budgetperf</c>.</summary>
    public string ConnectionString { get; private set; } = "";

    public int Port { get; private set; }

    public static async Task<ThrowawayPostgres> StartAsync(CancellationToken ct = default)
    {
        var bin = BinDir() ?? throw new InvalidOperationException(
            "找不到 PostgreSQL 程序（initdb、pg_ctl）：apt-get install postgresql，或设置 BUDGETPERF_PG_BIN，或用 --db 指向一个空库");
        var asPostgres = Environment.IsPrivilegedProcess;
        var root = Path.Combine("/tmp", "budgetperf-bench-pg-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        var server = new ThrowawayPostgres(root, Path.Combine(bin, "pg_ctl"), asPostgres);
        try
        {
            if (asPostgres) await RunAsync("chown", ["-R", "postgres:postgres", root], false, ct);
            await RunAsync(Path.Combine(bin, "initdb"), ["-D", server._data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale",
                "--no-sync", "--no-instructions"], asPostgres, ct);
            server.Port = FreePort();
            var options = $"-p {server.Port} -c listen_addresses=127.0.0.1 -k '{root}' -c fsync=off -c synchronous_commit=off " +
                          "-c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB";
            await RunAsync(server._pgCtl, ["-D", server._data, "-l", Path.Combine(root, "server.log"), "-o", options, "-w", "-t", "60", "start"],
                asPostgres, ct);
            await RunAsync(Path.Combine(bin, "createdb"), ["-h", "127.0.0.1", "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-U", "postgres", "budgetperf"], false, ct);
            server.ConnectionString = $"Host=127.0.0.1;Port={server.Port};Username=postgres;Database=budgetperf;Include Error Detail=true";
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(_data, "postmaster.pid")))
                await RunAsync(_pgCtl, ["-D", _data, "-m", "fast", "-w", "-t", "60", "stop"], _asPostgres, CancellationToken.None);
        }
        finally
        {
            try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string? BinDir()
    {
        static bool Has(string dir) => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));
        if (Environment.GetEnvironmentVariable("BUDGETPERF_PG_BIN") is { Length: > 0 } explicitDir) return Has(explicitDir) ? explicitDir : null;
        const string debian = "/usr/lib/postgresql";
        return !Directory.Exists(debian) ? null : Directory.GetDirectories(debian)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
            .Where(x => x.Version >= 0 && Has(x.Dir)).OrderByDescending(x => x.Version).Select(x => x.Dir).FirstOrDefault();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Runs a program (as the postgres user when asked); its output in the exception when it fails.</summary>
    private static async Task RunAsync(string file, IReadOnlyList<string> args, bool asPostgres, CancellationToken ct)
    {
        var info = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/tmp",
        };
        if (asPostgres) foreach (var a in new[] { "-u", "postgres", "--", file }) info.ArgumentList.Add(a);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["LC_ALL"] = "C";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"无法启动 {file}");
        var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(ct), process.StandardError.ReadToEndAsync(ct));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} 退出码 {process.ExitCode}：{string.Concat(await output).Trim()}");
    }
}
