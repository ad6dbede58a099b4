using System.Collections.Concurrent;
using System.Diagnostics;
using BudgetPerf.Warehouse.Caching;
using BudgetPerf.Warehouse.Engines;
using Microsoft.Extensions.Caching.Memory;

namespace BudgetPerf.Dashboard.Caching;

/// <summary>The result cache's settings (<c>BudgetPerf:ReadCache:SizeMB</c>, 0 turns it off).</summary>
public sealed record ReadCacheOptions
{
    /// <summary>False: every read is computed (<see cref="CacheOutcome.Bypass"/>).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The most the kept answers may hold (bytes, as estimated); one answer at most a quarter of it.</summary>
    public long SizeLimitBytes { get; init; } = 256L << 20;

    /// <summary>How long a version read is trusted (the database is asked at most once per this, per process).</summary>
    public TimeSpan VersionTtl { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>An answer nobody asked for this long is dropped (memory back between bursts).</summary>
    public TimeSpan IdleExpiry { get; init; } = TimeSpan.FromMinutes(10);

    public static ReadCacheOptions From(IConfiguration configuration) =>
        (configuration.GetValue<long?>("BudgetPerf:ReadCache:SizeMB") ?? 256) is > 0 and var mb
            ? new ReadCacheOptions { SizeLimitBytes = mb << 20 }
            : new ReadCacheOptions { Enabled = false, SizeLimitBytes = 1 };
}

/// <summary>
/// 读取缓存 (issue 15: readers under a burst): the charts' PNGs, the grid exports and the page queries, kept per
/// <see cref="WarehouseVersion"/> (read from the database at most once a second; a new version empties the cache) in a
/// size-limited <see cref="MemoryCache"/>. Concurrent askers of one missing answer wait for one computation. The key is
/// the caller's: the request and the caller's data scope (<see cref="ReadCacheKeys"/>, <see cref="QueryKey"/>).
/// </summary>
public sealed class ReadCache(WarehouseEngine engine, ReadCacheOptions options) : IResultCache, IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = options.SizeLimitBytes, CompactionPercentage = 0.25 });
    private readonly ConcurrentDictionary<string, Task<object?>> _computing = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private Task<long?>? _version;
    private long _versionReadAt;
    private long? _lastVersion;
    private long _hits, _misses, _waits, _bypasses;

    /// <summary>Answers from the cache, computed, waited for, and not cached, since the process started.</summary>
    public (long Hits, long Misses, long Waits, long Bypasses) Counts =>
        (Interlocked.Read(ref _hits), Interlocked.Read(ref _misses), Interlocked.Read(ref _waits), Interlocked.Read(ref _bypasses));

    public long MaxEntryBytes => options.SizeLimitBytes / 4;

    public bool Enabled => options.Enabled;

    public async Task<CacheLookup<T>> GetOrAddAsync<T>(string key, Func<CancellationToken, Task<T>> compute, Func<T, long> size,
        CancellationToken ct)
    {
        if (!options.Enabled || await VersionAsync(ct) is not { } version)
        {
            Interlocked.Increment(ref _bypasses);
            var started = Stopwatch.GetTimestamp();
            var answer = await compute(ct);
            return new(answer, CacheOutcome.Bypass, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        var full = $"{version}\u001f{key}";
        if (_cache.TryGetValue(full, out var kept))
        {
            Interlocked.Increment(ref _hits);
            return new((T)kept!, CacheOutcome.Hit);
        }
        var mine = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = _computing.GetOrAdd(full, mine.Task);
        if (running != mine.Task)
        {
            Interlocked.Increment(ref _waits);
            return new((T)(await running.WaitAsync(ct))!, CacheOutcome.Wait);
        }
        try
        {
            // not the asker's token: others may be waiting for this answer
            var started = Stopwatch.GetTimestamp();
            var value = await compute(CancellationToken.None);
            var computeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var bytes = value is null ? 64 : Math.Max(1, size(value));
            if (bytes <= MaxEntryBytes)
                _cache.Set(full, value, new MemoryCacheEntryOptions { Size = bytes, SlidingExpiration = options.IdleExpiry });
            mine.SetResult(value);
            Interlocked.Increment(ref _misses);
            return new(value, CacheOutcome.Miss, computeMs);
        }
        catch (Exception ex)
        {
            mine.SetException(ex);
            _ = mine.Task.Exception; // observed: nobody may be waiting
            throw;
        }
        finally
        {
            _computing.TryRemove(new KeyValuePair<string, Task<object?>>(full, mine.Task));
        }
    }

    public void VersionChanged()
    {
        lock (_gate) _version = null;
    }

    /// <summary>The warehouse's version, read again when the last read is older than <see cref="ReadCacheOptions.VersionTtl"/>.</summary>
    public Task<long?> VersionAsync(CancellationToken ct = default)
    {
        lock (_gate)
        {
            var stale = _version is null || _version.IsFaulted || _version.IsCanceled
                        || _version.IsCompleted && Stopwatch.GetElapsedTime(_versionReadAt) > options.VersionTtl;
            if (stale)
            {
                _versionReadAt = Stopwatch.GetTimestamp();
                _version = ReadVersionAsync();
            }
            return _version!.WaitAsync(ct);
        }
    }

    private async Task<long?> ReadVersionAsync()
    {
        await using var connection = await engine.OpenReadAsync(CancellationToken.None);
        var version = await WarehouseVersion.ReadAsync(engine, connection, CancellationToken.None);
        lock (_gate)
        {
            // the answers of the old version will never be asked for again: their memory back at once
            if (_lastVersion is not null && version != _lastVersion) _cache.Clear();
            _lastVersion = version;
        }
        return version;
    }

    public void Dispose() => _cache.Dispose();
}
