using Npgsql;

namespace BudgetPerf.Tests.Integration.Fixtures;

/// <summary>
/// A streaming standby of the test server (issue 16): <c>pg_basebackup -R --checkpoint=fast</c> of the running primary
/// (a spread checkpoint can take minutes while other tests write) into its own
/// folder, started on its own free port on 127.0.0.1. Killed (<c>pg_ctl stop -m immediate</c>) and deleted on dispose.
/// </summary>
public sealed class PostgresStandby(Func<IReadOnlyList<string>, Task> pgCtl, string dir, int port) : IAsyncDisposable
{
    private bool _running = true;

    public int Port { get; } = port;

    /// <summary>Kills the standby as a crash would (immediate shutdown: no checkpoint, connections cut).</summary>
    public async Task KillAsync()
    {
        if (!_running) return;
        _running = false;
        await pgCtl(["-D", Path.Combine(dir, "data"), "-m", "immediate", "-w", "-t", "60", "stop"]);
    }

    /// <summary>Promotes the standby to a primary (<c>pg_ctl promote -w</c>: returns when it accepts writes).</summary>
    public Task PromoteAsync() => pgCtl(["-D", Path.Combine(dir, "data"), "-w", "-t", "60", "promote"]);

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public sealed partial class PostgresServer
{
    /// <summary>
    /// Starts a streaming standby of this server (or of the server on <paramref name="ofPort"/>, e.g. a promoted standby)
    /// and waits until it accepts (read-only) connections.
    /// </summary>
    public async Task<PostgresStandby> StartStandbyAsync(int? ofPort = null)
    {
        SkipIfUnavailable();
        var bin = Path.GetDirectoryName(_pgCtl!)!;
        var dir = Path.Combine(Path.GetDirectoryName(_rootDir!)!, "budgetperf-standby-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        if (_asPostgresUser) await RunAsync("chown", ["-R", $"{SuperUser}:{SuperUser}", dir], asPostgres: false);
        var data = Path.Combine(dir, "data");
        await RunAsync(Path.Combine(bin, "pg_basebackup"),
            ["-h", "127.0.0.1", "-p", (ofPort ?? Port).ToString(), "-U", SuperUser, "-D", data, "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"], _asPostgresUser);
        var port = FreeTcpPort();
        var options = $"-p {port} -c listen_addresses=127.0.0.1 -k '{dir}' -c fsync=off -c max_connections={PostgresServer.MaxConnections} -c hot_standby=on";
        await RunAsync(_pgCtl!, ["-D", data, "-l", Path.Combine(dir, "server.log"), "-o", options, "-w", "-t", "60", "start"], _asPostgresUser);
        var standby = new PostgresStandby(args => RunAsync(_pgCtl!, args, _asPostgresUser), dir, port);
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Port = port, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return standby;
    }
}
