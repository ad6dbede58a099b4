using System.Data.Common;
using BudgetPerf.Warehouse.Engines.DuckDb;
using DuckDB.NET.Data;

namespace BudgetPerf.Etl.Queue;

/// <summary>
/// Whether a file's failed append is 暂时性故障 (transient: the moment's, not the file's), so that the queue takes the file
/// again in a later pass instead of marking it 失败: PostgreSQL's deadlock victim (40P01), serialization failure (40001),
/// lock timeout (55P03), statement timeout (57014), a lost or refused connection, a server short of resources or shutting
/// down (Npgsql's <see cref="DbException.IsTransient"/>); DuckDB's write-write conflict, out of memory, interrupt or I/O
/// error (<see cref="DuckDbErrors.IsTransient"/>). Anything else (a constraint, a value the column refuses …) fails the
/// same way every time.
/// </summary>
public static class TransientFailure
{
    public static bool Is(Exception ex) => ex switch
    {
        AggregateException many => many.InnerExceptions.Any(Is),
        DuckDBException duck => DuckDbErrors.IsTransient(duck.ErrorType) || Inner(duck),
        Npgsql.PostgresException { SqlState: "57014" } => true,
        DbException db => db.IsTransient || Inner(db),
        TimeoutException or System.Net.Sockets.SocketException => true,
        _ => Inner(ex),
    };

    private static bool Inner(Exception ex) => ex.InnerException is { } inner && Is(inner);
}
