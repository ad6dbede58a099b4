using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using Xunit.Abstractions;

namespace BudgetPerf.Tests.Integration.Fixtures;

/// <summary>
/// The xunit collection that shares one throwaway PostgreSQL server. Use it as
/// <c>[Collection(PostgresCollection.Name)]</c> on a test class whose constructor takes a <see cref="PostgresServer"/>,
/// mark its tests <c>[SkippableFact]</c> and call <see cref="PostgresServer.SkipIfUnavailable"/> first.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}

/// <summary>
/// A second throwaway PostgreSQL server, for the tests that time nothing: whole warehouses compared build after build
/// (incremental against full refresh, DuckDB against PostgreSQL), the printed forms read and built, the reports
/// generated. They run beside <see cref="PostgresCollection"/> (xunit runs collections in parallel, a collection's tests
/// one at a time), whose queue, lock and deferred-test cases wait on timing and keep the first server to themselves.
/// </summary>
[CollectionDefinition(Name)]
public sealed class UntimedPostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres: tests that time nothing";
}

/// <summary>
/// Starts a private PostgreSQL cluster for the test run: initdb into a temp directory, a random free port on
/// 127.0.0.1, trust auth, fsync off. Stopped (<c>pg_ctl stop -m fast</c>) and deleted on dispose.
/// Binaries are looked up in <c>$BUDGETPERF_PG_BIN</c> if set, else the highest <c>/usr/lib/postgresql/*/bin</c>,
/// else PATH. Without them the tests are skipped locally, and fail when <c>CI=true</c>.
/// </summary>
public sealed partial class PostgresServer : IAsyncLifetime
{
    public const string BinDirVariable = "BUDGETPERF_PG_BIN";
    private const string SuperUser = "postgres";
    private const int StartAttempts = 3;

    private readonly IMessageSink? _diagnostics;
    private string? _rootDir;
    private string? _dataDir;
    private string? _pgCtl;
    private bool _asPostgresUser;
    private bool _running;
    private string? _connectionString;

    public PostgresServer(IMessageSink diagnostics) => _diagnostics = diagnostics;

    /// <summary>Why the server is not there (binaries not found outside CI); null when it runs.</summary>
    public string? UnavailableReason { get; private set; }

    public bool IsAvailable => _running && UnavailableReason is null;

    public int Port { get; private set; }

    /// <summary>PostgreSQL server version line, e.g. "PostgreSQL 15.14 (Debian ...) ...".</summary>
    public string? ServerVersion { get; private set; }

    /// <summary>Superuser connection to the <c>postgres</c> database (Npgsql key=value form).</summary>
    /// <summary>The server's max_connections (a standby of it needs at least as many).</summary>
    public const int MaxConnections = 400;

    public string ConnectionString =>
        _connectionString ?? throw new InvalidOperationException(
            "PostgreSQL test server is not running: " + (UnavailableReason ?? "not initialised"));

    /// <summary>Marks the calling <c>[SkippableFact]</c> as skipped when no PostgreSQL is installed (never outside CI's check).</summary>
    public void SkipIfUnavailable() => Skip.If(!IsAvailable, UnavailableReason ?? "PostgreSQL test server is not running");

    public async Task InitializeAsync()
    {
        var binDir = FindBinDir();
        if (binDir is null)
        {
            var reason = "PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin"
                         + $" (or ${BinDirVariable}, or PATH); install them with: apt-get install postgresql";
            if (IsCi())
                throw new InvalidOperationException(
                    "PostgreSQL is required in CI: apt-get install postgresql. " + reason);
            UnavailableReason = reason;
            Log("skipping PostgreSQL tests: " + reason);
            return;
        }

        var initdb = Path.Combine(binDir, "initdb");
        _pgCtl = Path.Combine(binDir, "pg_ctl");
        _asPostgresUser = Environment.IsPrivilegedProcess;

        // As root, the server must run as the postgres user, who has to be able to reach the directory:
        // use /tmp (world-traversable) rather than a TMPDIR that may be private to root.
        var tempBase = _asPostgresUser && Directory.Exists("/tmp") ? "/tmp" : Path.GetTempPath();
        _rootDir = Path.Combine(tempBase, "budgetperf-pg-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(_rootDir);
        _dataDir = Path.Combine(_rootDir, "data");
        var logFile = Path.Combine(_rootDir, "server.log");

        try
        {
            if (_asPostgresUser)
            {
                if (!UserExists(SuperUser))
                    throw new InvalidOperationException(
                        "Running as root but there is no 'postgres' OS user to run the server as (apt-get install postgresql creates it).");
                await RunAsync("chown", ["-R", $"{SuperUser}:{SuperUser}", _rootDir], asPostgres: false);
            }

            await RunAsync(initdb,
                ["-D", _dataDir, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"],
                _asPostgresUser);

            Exception? lastError = null;
            for (var attempt = 1; attempt <= StartAttempts && !_running; attempt++)
            {
                Port = FreeTcpPort();
                var options = string.Join(' ',
                    $"-p {Port}",
                    "-c listen_addresses=127.0.0.1",
                    $"-k '{_rootDir}'",
                    "-c fsync=off",
                    "-c synchronous_commit=off",
                    "-c full_page_writes=off",
                    $"-c max_connections={MaxConnections}");
                try
                {
                    await RunAsync(_pgCtl, ["-D", _dataDir, "-l", logFile, "-o", options, "-w", "-t", "60", "start"],
                        _asPostgresUser);
                    _running = true;
                }
                catch (Exception e)
                {
                    lastError = e; // most likely the port was taken in between: try another one
                    Log($"pg_ctl start attempt {attempt} on port {Port} failed: {e.Message}");
                }
            }

            if (!_running)
                throw new InvalidOperationException(
                    $"PostgreSQL did not start after {StartAttempts} attempts. Server log:\n{Tail(logFile)}", lastError);

            _connectionString = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = Port,
                Username = SuperUser,
                Database = "postgres",
                IncludeErrorDetail = true,
                // every test has its own database, so its own pool: idle connections are closed after 10 s instead of
                // Npgsql's 300 s, or a fast run holds hundreds of idle ones ("53300: too many clients already")
                ConnectionIdleLifetime = 10,
                ConnectionPruningInterval = 2,
            }.ConnectionString;

            ServerVersion = await WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
            Log($"PostgreSQL test server on 127.0.0.1:{Port} ({_dataDir}): {ServerVersion}");
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates a new, empty, uniquely named database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var baseName = NonIdentifierChars().Replace(prefix.ToLowerInvariant(), "_").Trim('_');
        if (baseName.Length == 0 || !char.IsAsciiLetter(baseName[0]))
            baseName = "db_" + baseName;
        if (baseName.Length > 40)
            baseName = baseName[..40];
        var name = $"{baseName}_{Guid.NewGuid():N}"[..Math.Min(63, baseName.Length + 1 + 16)];

        await using (var conn = new NpgsqlConnection(ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_pgCtl is not null && _dataDir is not null && (_running || File.Exists(Path.Combine(_dataDir, "postmaster.pid"))))
        {
            try
            {
                await RunAsync(_pgCtl, ["-D", _dataDir, "-m", "fast", "-w", "-t", "60", "stop"], _asPostgresUser);
            }
            catch (Exception e)
            {
                Log("pg_ctl stop failed: " + e.Message);
            }
            _running = false;
        }

        if (_rootDir is not null && Directory.Exists(_rootDir))
        {
            try
            {
                Directory.Delete(_rootDir, recursive: true);
            }
            catch (Exception e)
            {
                Log($"could not delete {_rootDir}: {e.Message}");
            }
        }
        _rootDir = null;
    }

    private async Task<string> WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await using var conn = new NpgsqlConnection(ConnectionString);
                await conn.OpenAsync();
                await using var cmd = new NpgsqlCommand("SELECT version()", conn);
                return (string)(await cmd.ExecuteScalarAsync())!;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static string? FindBinDir()
    {
        static bool HasBinaries(string dir) =>
            File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));

        var explicitDir = Environment.GetEnvironmentVariable(BinDirVariable);
        if (!string.IsNullOrWhiteSpace(explicitDir))
            return HasBinaries(explicitDir) ? explicitDir : null;

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var best = Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: ParseVersion(Path.GetFileName(d))))
                .Where(x => x.Version is not null && HasBinaries(x.Dir))
                .OrderByDescending(x => x.Version)
                .FirstOrDefault();
            if (best.Dir is not null)
                return best.Dir;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(HasBinaries);
    }

    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.') ? name : name + ".0", out var v) ? v : null;

    private static bool IsCi() =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static bool UserExists(string user) =>
        File.Exists("/etc/passwd") && File.ReadLines("/etc/passwd").Any(l => l.StartsWith(user + ":", StringComparison.Ordinal));

    private static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Runs a command (as the postgres user via runuser when asked) and throws with its output on failure.</summary>
    private async Task RunAsync(string file, IReadOnlyList<string> args, bool asPostgres)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _rootDir ?? Path.GetTempPath(),
        };
        if (asPostgres)
        {
            psi.FileName = File.Exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser";
            foreach (var a in new[] { "-u", SuperUser, "--", file })
                psi.ArgumentList.Add(a);
        }
        else
        {
            psi.FileName = file;
        }
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C";

        var commandLine = psi.FileName + " " + string.Join(' ', psi.ArgumentList);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + commandLine);
        // pg_ctl start hands the server's output to -l logfile, so these pipes close when pg_ctl exits.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"timed out: {commandLine}");
        }
        var output = new StringBuilder().Append(await stdout).Append(await stderr).ToString().Trim();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"`{commandLine}` exited {process.ExitCode}:\n{output}");
    }

    private static string Tail(string file, int lines = 30)
    {
        try
        {
            return File.Exists(file) ? string.Join('\n', File.ReadLines(file).TakeLast(lines)) : "(no log)";
        }
        catch (Exception e)
        {
            return $"(log unreadable: {e.Message})";
        }
    }

    private void Log(string message) =>
        _diagnostics?.OnMessage(new Xunit.Sdk.DiagnosticMessage("[PostgresServer] " + message));

    [GeneratedRegex("[^a-z0-9_]+")]
    private static partial Regex NonIdentifierChars();
}
