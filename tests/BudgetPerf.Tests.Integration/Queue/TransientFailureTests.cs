using BudgetPerf.Etl.Queue;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines.DuckDb;
using Dapper;
using Npgsql;

namespace BudgetPerf.Tests.Integration.Queue;

/// <summary>
/// Issue 15: which append failures the queue takes again (<see cref="TransientFailure"/>): the moment's (a deadlock
/// victim, a lock or statement timeout …) and not the file's (a constraint its rows break, a value a column refuses).
/// </summary>
public sealed class TransientFailureTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("40P01", true)]    // deadlock_detected
    [InlineData("40001", true)]    // serialization_failure
    [InlineData("55P03", true)]    // lock_not_available (lock_timeout)
    [InlineData("57014", true)]    // query_canceled (statement_timeout)
    [InlineData("57P01", true)]    // admin_shutdown
    [InlineData("23505", false)]   // unique_violation
    [InlineData("22P02", false)]   // invalid_text_representation
    [InlineData("42P01", false)]   // undefined_table
    public void A_PostgreSQL_error_is_transient_by_its_SQLSTATE(string sqlState, bool transient) =>
        Assert.Equal(transient, TransientFailure.Is(new PostgresException("x", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void A_timeout_or_a_transient_error_inside_another_exception_is_transient()
    {
        Assert.True(TransientFailure.Is(new TimeoutException()));
        Assert.True(TransientFailure.Is(new AggregateException(new PostgresException("x", "ERROR", "ERROR", "40P01"))));
        Assert.True(TransientFailure.Is(new InvalidOperationException("wrapped", new TimeoutException())));
        Assert.False(TransientFailure.Is(new InvalidOperationException("x")));
    }

    [Fact]
    public async Task A_DuckDB_append_that_breaks_a_unique_index_fails_as_a_constraint_error_that_is_not_transient()
    {
        var engine = new DuckDbEngine(_dir.File("t.duckdb"));
        await using var connection = await engine.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE landing (code VARCHAR, n INTEGER); CREATE UNIQUE INDEX one_code ON landing (code)");
        var columns = await engine.ColumnsOfAsync(connection, "landing");
        object?[][] rows = [["A", 1], ["A", 2]];

        var failure = await Assert.ThrowsAsync<DuckDbAppendException>(() => engine.BulkInsertAsync(connection, "landing", columns, rows));

        Assert.Equal(DuckDB.NET.Native.DuckDBErrorType.Constraint, failure.ErrorType);
        Assert.StartsWith("landing: ", failure.Message);
        Assert.False(failure.IsTransient);
        Assert.False(TransientFailure.Is(failure));
    }

    [Fact]
    public void DuckDBs_conflict_out_of_memory_interrupt_and_IO_errors_are_transient_and_a_conversion_error_is_not()
    {
        Assert.True(TransientFailure.Is(new DuckDbAppendException("t: conflict", DuckDB.NET.Native.DuckDBErrorType.Transaction)));
        Assert.True(TransientFailure.Is(new DuckDbAppendException("t: memory", DuckDB.NET.Native.DuckDBErrorType.OutOfMemory)));
        Assert.True(TransientFailure.Is(new DuckDbAppendException("t: interrupted", DuckDB.NET.Native.DuckDBErrorType.Interrupt)));
        Assert.True(TransientFailure.Is(new DuckDbAppendException("t: io", DuckDB.NET.Native.DuckDBErrorType.Io)));
        Assert.False(TransientFailure.Is(new DuckDbAppendException("t: conversion", DuckDB.NET.Native.DuckDBErrorType.Conversion)));
    }
}
