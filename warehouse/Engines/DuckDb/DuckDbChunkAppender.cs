using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using DuckDB.NET.Native;
using Native = DuckDB.NET.Native.NativeMethods;

namespace BudgetPerf.Warehouse.Engines.DuckDb;

/// <summary>
/// The landing tables' bulk path: rows go into DuckDB data chunks (<see cref="DuckDbChunk"/>) on a thread of their own,
/// while the calling thread hands each full chunk to the C API's <c>duckdb_append_data_chunk</c> (which copies it into
/// the connection's transaction). Filling and DuckDB's own work (storage, compression) then overlap, a few chunks apart;
/// a few rows already in memory (a queue pass's files) are filled and appended on the calling thread alone. Chunks are
/// made as they are first needed, and kept for the appender's life.
/// Tables with a column type the chunk does not write (timestamps, dates, wide decimals) go through DuckDB.NET's appender.
/// </summary>
internal sealed class DuckDbChunkAppender : IDisposable
{
    /// <summary>
    /// Chunks in flight at most: one being filled, the rest waiting to be appended. The append that fills a row group
    /// (122,880 rows) compresses and writes it before it returns (~0.2 s on the calling thread, <c>bench etl</c>'s 1M rows
    /// eight times); the filler (and the reader behind it) runs on only as far as the chunks reach. With 8 (16,384 rows)
    /// both stopped within a few milliseconds, and a core stood idle for each flush; with 64 (131,072 rows, ~40 MB of
    /// vectors) they read on through it (issue 15, <c>bench etl</c> on 2 cores: our load's best round 2.7–2.9 s → 2.2–2.45 s,
    /// peak working set 360–390 → 407–417 MB).
    /// </summary>
    private const int MaxChunks = 64;

    /// <summary>
    /// Rows in memory up to this many (8 chunks) are filled and appended on the calling thread, one chunk reused: there is
    /// nothing to overlap, and a filler queued on the thread pool waited behind the dashboard's requests (issue 15: in a
    /// 200-upload burst with 20 readers, the first pass's 600 rows took 0.9 s to append and its handful of load_error rows 0.9 s more).
    /// </summary>
    private static readonly int InlineRows = 8 * (int)Native.Helpers.DuckDBVectorSize();

    private readonly DuckDB.NET.Native.DuckDBAppender _appender;
    private readonly DuckDBLogicalType[] _types;   // kept while chunks may still be made from them
    private readonly ChunkColumn[] _columns;
    private readonly StringEncodings _encodings;
    private readonly List<DuckDbChunk> _chunks = [];
    private readonly string _table;

    private DuckDbChunkAppender(DuckDB.NET.Native.DuckDBAppender appender, DuckDBLogicalType[] types, ChunkColumn[] columns, string table) =>
        (_appender, _types, _columns, _encodings, _table) = (appender, types, columns, new StringEncodings(columns.Length), table);

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
                    Free(types, appender);
                    return null;
                }
                columns[i] = column;
            }
            // the types are the appender's from here on: a chunk is made from them whenever one is needed
            return new DuckDbChunkAppender(appender, types, columns, table);
        }
        catch
        {
            Free(types, appender);
            throw;
        }
    }

    private static void Free(DuckDBLogicalType[] types, DuckDB.NET.Native.DuckDBAppender appender)
    {
        foreach (var t in types) t?.Dispose();
        appender.Dispose();
    }

    /// <summary>A new chunk (at most <see cref="MaxChunks"/> are made), kept for reuse until <see cref="Dispose"/>.</summary>
    private DuckDbChunk NewChunk()
    {
        var chunk = new DuckDbChunk(_table, _columns, [.. _types.Select(t => t.DangerousGetHandle())], _encodings);
        _chunks.Add(chunk);
        return chunk;
    }

    /// <summary>Appends every row (values in column order) and closes the appender; returns the row count.</summary>
    public long AppendAll(IEnumerable<object?[]> rows, CancellationToken ct)
    {
        var count = rows is IReadOnlyCollection<object?[]> few && few.Count <= InlineRows ? AppendInline(few, ct) : AppendOverlapped(rows, ct);
        if (!Native.Appender.DuckDBAppenderClose(_appender).IsSuccess())
            throw ErrorOf(_appender, _table);
        return count;
    }

    private long AppendInline(IEnumerable<object?[]> rows, CancellationToken ct)
    {
        var chunk = _chunks.Count > 0 ? _chunks[0] : NewChunk();
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
        using var empty = new BlockingCollection<DuckDbChunk>(MaxChunks);
        using var full = new BlockingCollection<DuckDbChunk>(MaxChunks);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        foreach (var chunk in _chunks) empty.Add(chunk);
        // an empty chunk, a new one while fewer than MaxChunks exist, else the next one the appends give back
        DuckDbChunk Next() => empty.TryTake(out var free) ? free : _chunks.Count < MaxChunks ? NewChunk() : empty.Take(stop.Token);
        Exception? failure = null;
        long count = 0;
        // a thread of its own, not one of the pool's (where the dashboard's requests queue ahead of it)
        var filler = Task.Factory.StartNew(() =>
        {
            try
            {
                var chunk = Next();
                foreach (var values in rows)
                {
                    chunk.Add(values);
                    count++;
                    if (!chunk.IsFull) continue;
                    full.Add(chunk, stop.Token);
                    chunk = Next();
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
        foreach (var type in _types) type.Dispose();
        _appender.Dispose();
    }
}
