using System.Collections.Concurrent;
using System.Diagnostics;
using BudgetPerf.Warehouse.Caching;
using BudgetPerf.Warehouse.Engines;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

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
/// <see cref="WarehouseVersion"/> (read from the database at most once a second) in a size-limited <see cref="MemoryCache"/>.
/// An answer that reads the years up to a 年度 only is kept at the version of that reach (the changes that can show in those
/// years), so a deadline week's builds of the following years leave it kept; a new version of its reach evicts it.
/// Concurrent askers of one missing answer wait for one computation. The key is the caller's: the request and the
/// caller's data scope (<see cref="ReadCacheKeys"/>, <see cref="QueryKey"/>).
/// </summary>
public sealed class ReadCache(WarehouseEngine engine, ReadCacheOptions options) : IResultCache, IDisposable
{
    /// <summary>The reach of an answer that may read any 年度 (<see cref="VersionSnapshot.Total"/>).</summary>
    private const int AnyYear = int.MaxValue;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = options.SizeLimitBytes, CompactionPercentage = 0.25 });
    private readonly ConcurrentDictionary<string, Task<object?>> _computing = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Per reach (the last 年度 an answer reads, or <see cref="AnyYear"/>): the version its kept answers were computed at and their eviction.</summary>
    private readonly Dictionary<int, (long Version, CancellationTokenSource Evict)> _reaches = [];
    private Task<VersionSnapshot?>? _version;
    private long _versionReadAt;
    private long _hits, _misses, _waits, _bypasses;

    /// <summary>Answers from the cache, computed, waited for, and not cached, since the process started.</summary>
    public (long Hits, long Misses, long Waits, long Bypasses) Counts =>
        (Interlocked.Read(ref _hits), Interlocked.Read(ref _misses), Interlocked.Read(ref _waits), Interlocked.Read(ref _bypasses));

    public long MaxEntryBytes => options.SizeLimitBytes / 4;

    public bool Enabled => options.Enabled;

    public Task<CacheLookup<T>> GetOrAddAsync<T>(string key, Func<CancellationToken, Task<T>> compute, Func<T, long> size,
        CancellationToken ct, int? upToYear = null) => GetOrAddAsync(key, compute, size, ct, upToYear, beforeWaiting: null);

    /// <summary>
    /// As <see cref="IResultCache.GetOrAddAsync{T}"/>; <paramref name="beforeWaiting"/> runs when the answer is being computed
    /// by another request and this one is about to wait for it (an HTTP read leaves its reader slot then).
    /// </summary>
    public async Task<CacheLookup<T>> GetOrAddAsync<T>(string key, Func<CancellationToken, Task<T>> compute, Func<T, long> size,
        CancellationToken ct, int? upToYear, Action? beforeWaiting)
    {
        if (!options.Enabled || await VersionAsync(ct) is not { } versions)
        {
            Interlocked.Increment(ref _bypasses);
            var started = Stopwatch.GetTimestamp();
            var answer = await compute(ct);
            return new(answer, CacheOutcome.Bypass, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        var reach = upToYear ?? AnyYear;
        var version = versions.Of(upToYear);
        var full = $"{reach}\u001f{version}\u001f{key}";
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
            beforeWaiting?.Invoke();
            return new((T)(await running.WaitAsync(ct))!, CacheOutcome.Wait);
        }
        try
        {
            // not the asker's token: others may be waiting for this answer
            var started = Stopwatch.GetTimestamp();
            var value = await compute(CancellationToken.None);
            var computeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var bytes = value is null ? 64 : Math.Max(1, size(value));
            if (bytes <= MaxEntryBytes && Eviction(reach, version) is { } eviction)
                _cache.Set(full, value, new MemoryCacheEntryOptions { Size = bytes, SlidingExpiration = options.IdleExpiry, ExpirationTokens = { eviction } });
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

    /// <summary>The warehouse's versions, read again when the last read is older than <see cref="ReadCacheOptions.VersionTtl"/>.</summary>
    public Task<VersionSnapshot?> VersionAsync(CancellationToken ct = default)
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

    private async Task<VersionSnapshot?> ReadVersionAsync()
    {
        await using var connection = await engine.OpenReadAsync(CancellationToken.None);
        var versions = await WarehouseVersion.ReadAsync(engine, connection, CancellationToken.None);
        lock (_gate)
        {
            // the answers of a reach whose version moved will never be asked for again: their memory back at once
            foreach (var (reach, kept) in _reaches.ToList())
                if (versions?.Of(reach == AnyYear ? null : reach) != kept.Version) Evict(reach);
        }
        return versions;
    }

    /// <summary>
    /// The token that evicts the answers of <paramref name="reach"/> at <paramref name="version"/> when that version moves, or
    /// null for an answer computed at a version that has moved since (not kept: nobody will ask for it again).
    /// </summary>
    private CancellationChangeToken? Eviction(int reach, long version)
    {
        lock (_gate)
        {
            if (_reaches.TryGetValue(reach, out var kept))
            {
                if (kept.Version == version) return new CancellationChangeToken(kept.Evict.Token);
                if (kept.Version > version) return null;
                Evict(reach);
            }
            var evict = new CancellationTokenSource();
            _reaches[reach] = (version, evict);
            return new CancellationChangeToken(evict.Token);
        }
    }

    /// <summary>Drops the kept answers of <paramref name="reach"/> (under <see cref="_gate"/>).</summary>
    private void Evict(int reach)
    {
        if (!_reaches.Remove(reach, out var kept)) return;
        kept.Evict.Cancel();
        kept.Evict.Dispose();
    }

    public void Dispose()
    {
        _cache.Dispose();
        lock (_gate)
            foreach (var (_, kept) in _reaches) kept.Evict.Dispose();
    }
}
