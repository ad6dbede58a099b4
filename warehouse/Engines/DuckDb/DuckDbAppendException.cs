using System.Data.Common;
using DuckDB.NET.Native;

namespace BudgetPerf.Warehouse.Engines.DuckDb;

/// <summary>
/// A failed append of <see cref="DuckDbChunkAppender"/> (DuckDB's appender error: message and type), as a
/// <see cref="DbException"/> whose <see cref="DbException.IsTransient"/> says whether the same append may succeed when tried
/// again (<see cref="DuckDbErrors.IsTransient"/>): the queue retries those, and fails the others at once.
/// </summary>
public sealed class DuckDbAppendException(string message, DuckDBErrorType errorType) : DbException(message)
{
    /// <summary>DuckDB's error type (Constraint, Conversion, Transaction, OutOfMemory …).</summary>
    public DuckDBErrorType ErrorType { get; } = errorType;

    public override bool IsTransient => DuckDbErrors.IsTransient(ErrorType);
}

/// <summary>DuckDB's error types that describe the moment, not the data.</summary>
public static class DuckDbErrors
{
    /// <summary>
    /// A write-write conflict with another transaction (Transaction), memory that a concurrent build or reader held
    /// (OutOfMemory), an interrupted query (Interrupt) or a failed read/write of the database file (Io): the same rows may
    /// append when taken again. A constraint, a conversion, a catalog error … fail the same way every time.
    /// </summary>
    public static bool IsTransient(DuckDBErrorType type) =>
        type is DuckDBErrorType.Transaction or DuckDBErrorType.OutOfMemory or DuckDBErrorType.Interrupt or DuckDBErrorType.Io;
}
