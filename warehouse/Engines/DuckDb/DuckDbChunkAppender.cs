using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using DuckDB.NET.Native;
using Native = DuckDB.NET.Native.NativeMethods;

namespace BudgetPerf.Warehouse.Engines.DuckDb;

/// <summary>
/// The landing tables' bulk path: rows go into DuckDB data chunks (<see cref="DuckDbChunk"/>) on a thread of their own,
/// while the calling thread hands each full chunk to the C API's <c>duckdb_append_data_chunk</c> (which copies it into
/// the connection's transaction). Filling and DuckDB's own work (storage, compression) then overlap, a few chunks apart;
/// a few rows already in memory (a queue pass's files) are filled and appended on the calling thread alone.
/// Tables with a column type the chunk does not write (timestamps, dates, wide decimals) go through DuckDB.NET's appender.
/// </summary>
internal sealed class DuckDbChunkAppender : IDisposable
{
    /// <summary>Chunks in flight: one being filled, the rest waiting to be appended.</summary>
    private const int Chunks = 8;

    private readonly DuckDB.NET.Native.DuckDBAppender _appender;
    private readonly DuckDbChunk[] _chunks;
    private readonly string _table;

    private DuckDbChunkAppender(DuckDB.NET.Native.DuckDBAppender appender, DuckDbChunk[] chunks, string table) =>
        (_appender, _chunks, _table) = (appender, chunks, table);

    /// <summary>An appender for <paramref name="table"/>, or null when one of its columns has a type this path does not write.</summary>
    public static DuckDbChunkAppender? TryCreate(DuckDBNativeConnection connection, string table)
    {
        if (!Native.Appender.DuckDBAppenderCreateExt(connection, null, null, table, out var appender).IsSuccess())
        {
            var failure = ErrorOf(appender, table);
            appender.Dispose();
            throw failure;
        }
        var count = (int)Native.Appender.DuckDBAppenderColumnCount(appender);
        var types = new DuckDBLogicalType[count];
        try
        {
            var columns = new ChunkColumn[count];
            for (var i = 0; i < count; i++)
            {
                types[i] = Native.Appender.DuckDBAppenderColumnType(appender, (ulong)i);
                if (ChunkColumn.Of(types[i]) is not { } column)
                {
                    appender.Dispose();
                    return null;
                }
                columns[i] = column;
            }
            var handles = types.Select(t => t.DangerousGetHandle()).ToArray();
            var encodings = new StringEncodings(count);
            var chunks = Enumerable.Range(0, Chunks).Select(_ => new DuckDbChunk(table, columns, handles, encodings)).ToArray();
            return new DuckDbChunkAppender(appender, chunks, table);
        }
        catch
        {
            appender.Dispose();
            throw;
        }
        finally
        {
            foreach (var t in types) t?.Dispose();
        }
    }

    /// <summary>Appends every row (values in column order) and closes the appender; returns the row count.</summary>
    public long AppendAll(IEnumerable<object?[]> rows, CancellationToken ct)
    {
        var count = rows is IReadOnlyCollection<object?[]> few && few.Count <= InlineRows ? AppendInline(few, ct) : AppendOverlapped(rows, ct);
        if (!Native.Appender.DuckDBAppenderClose(_appender).IsSuccess())
            throw ErrorOf(_appender, _table);
        return count;
    }

    /// <summary>
    /// Rows in memory up to what the chunks in flight hold are filled and appended on the calling thread: there is nothing
    /// to overlap, and a filler queued on the thread pool waited behind the dashboard's requests (issue 15: in a 200-upload
    /// burst with 20 readers, the first pass's 600 rows took 0.9 s to append and its handful of load_error rows 0.9 s more).
    /// </summary>
    private static readonly int InlineRows = Chunks * (int)Native.Helpers.DuckDBVectorSize();

    private long AppendInline(IEnumerable<object?[]> rows, CancellationToken ct)
    {
        var chunk = _chunks[0];
        long count = 0;
        foreach (var values in rows)
        {
            ct.ThrowIfCancellationRequested();
            chunk.Add(values);
            count++;
            if (!chunk.IsFull) continue;
            Append(chunk);
            chunk.Reset();
        }
        if (chunk.Rows > 0) Append(chunk);
        chunk.Reset();
        return count;
    }

    /// <summary>A stream of rows: filled into chunks on a thread of its own while this one appends the full ones.</summary>
    private long AppendOverlapped(IEnumerable<object?[]> rows, CancellationToken ct)
    {
        using var empty = new BlockingCollection<DuckDbChunk>(Chunks);
        using var full = new BlockingCollection<DuckDbChunk>(Chunks);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        foreach (var chunk in _chunks) empty.Add(chunk);
        Exception? failure = null;
        long count = 0;
        // a thread of its own, not one of the pool's (where the dashboard's requests queue ahead of it)
        var filler = Task.Factory.StartNew(() =>
        {
            try
            {
                var chunk = empty.Take(stop.Token);
                foreach (var values in rows)
                {
                    chunk.Add(values);
                    count++;
                    if (!chunk.IsFull) continue;
                    full.Add(chunk, stop.Token);
                    chunk = empty.Take(stop.Token);
                }
                if (chunk.Rows > 0) full.Add(chunk, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
            catch (Exception ex) { failure = ex; }
            finally { full.CompleteAdding(); }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            foreach (var chunk in full.GetConsumingEnumerable(CancellationToken.None))
            {
                Append(chunk);
                chunk.Reset();
                empty.Add(chunk);
            }
            filler.Wait(CancellationToken.None);
            if (failure is not null) ExceptionDispatchInfo.Throw(failure);
            ct.ThrowIfCancellationRequested();
            return count;
        }
        finally
        {
            stop.Cancel();
            try { filler.Wait(CancellationToken.None); } catch (AggregateException) { }
        }
    }

    private void Append(DuckDbChunk chunk)
    {
        Native.DataChunks.DuckDBDataChunkSetSize(chunk.Handle, chunk.Rows);
        if (!Native.Appender.DuckDBAppendDataChunk(_appender, chunk.Handle).IsSuccess())
            throw ErrorOf(_appender, _table);
    }

    private static DuckDbAppendException ErrorOf(DuckDB.NET.Native.DuckDBAppender appender, string table)
    {
        using var error = Native.Appender.DuckDBAppenderErrorData(appender);
        return new DuckDbAppendException($"{table}: {error.Message ?? "DuckDB appender error"}",
            Native.ErrorData.DuckDBErrorDataErrorType(error));
    }

    /// <summary>
    /// Frees the chunks and the appender. One not closed by <see cref="AppendAll"/> (a failure) is flushed by DuckDB as
    /// it is destroyed; its caller rolls the transaction back.
    /// </summary>
    public void Dispose()
    {
        foreach (var chunk in _chunks) chunk.Dispose();
        _appender.Dispose();
    }
}
