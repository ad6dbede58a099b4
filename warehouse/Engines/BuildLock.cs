using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;

namespace BudgetPerf.Warehouse.Engines;

/// <summary>
/// The one-writer rule (issue 15, 一个写者): a model build holds the warehouse's build lock from its first statement
/// to its last, so two builds asked at once run one after the other whichever process asks. PostgreSQL: a session
/// advisory lock on its own connection (several dashboard instances on one server wait for each other). DuckDB: the
/// file is owned by one process (another cannot even open it), so a lock per file inside the process is the whole rule.
/// </summary>
public abstract class BuildLock : IAsyncDisposable
{
    /// <summary>The advisory-lock key of builds (any constant shared by every BudgetPerf process: "BPBUILD" in ASCII).</summary>
    public const long PostgresKey = 0x4250_4255_494C_44;

    public abstract ValueTask DisposeAsync();

    /// <summary>Waits for the build lock of the PostgreSQL database behind <paramref name="open"/>.</summary>
    public static async Task<BuildLock> PostgresAsync(Func<CancellationToken, Task<DbConnection>> open, CancellationToken ct)
    {
        var connection = await open(ct);
        try
        {
            // pg_advisory_lock waits without a deadline (a build may take minutes); cancellation closes the connection
            await using (ct.Register(() => connection.Dispose()))
                await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = PostgresKey },
                    commandTimeout: 0, cancellationToken: ct));
            return new PostgresLock(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> FileGates = new(StringComparer.Ordinal);

    /// <summary>Waits for the build lock of one DuckDB file in this process.</summary>
    public static async Task<BuildLock> InProcessAsync(string filePath, CancellationToken ct)
    {
        var gate = FileGates.GetOrAdd(Path.GetFullPath(filePath), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new GateLock(gate);
    }

    private sealed class PostgresLock(DbConnection connection) : BuildLock
    {
        public override async ValueTask DisposeAsync()
        {
            try
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = PostgresKey });
            }
            finally
            {
                await connection.DisposeAsync(); // closing the session releases the lock anyway
            }
        }
    }

    private sealed class GateLock(SemaphoreSlim gate) : BuildLock
    {
        private int _released;

        public override ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
            return ValueTask.CompletedTask;
        }
    }
}
