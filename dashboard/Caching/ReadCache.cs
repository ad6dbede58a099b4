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

    /// <summary>
    /// How long a chart or export over every department or a 区划's (<see cref="ReadCacheKeys.NamesNoDepartment"/>; not a 部门
    /// user's) is served as it was computed after the warehouse changed (<c>BudgetPerf:ReadCache:BulkStaleSeconds</c>, default
    /// 15; 0: never): see <see cref="ReadCache"/>.
    /// </summary>
    public TimeSpan StaleFor { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// From this age (two thirds of <see cref="StaleFor"/>) a stale answer's request computes the new one after its answer
    /// is sent (<see cref="ReadCache.RefreshAsync{T}"/>), so that the next askers are answered fresh and nobody waits for it.
    /// </summary>
    public TimeSpan RefreshFrom => StaleFor * 2 / 3;

    public static ReadCacheOptions From(IConfiguration configuration)
    {
        var options = (configuration.GetValue<long?>("BudgetPerf:ReadCache:SizeMB") ?? 256) is > 0 and var mb
            ? new ReadCacheOptions { SizeLimitBytes = mb << 20 }
            : new ReadCacheOptions { Enabled = false, SizeLimitBytes = 1 };
        return configuration.GetValue<int?>("BudgetPerf:ReadCache:BulkStaleSeconds") is { } seconds
            ? options with { StaleFor = TimeSpan.FromSeconds(Math.Max(0, seconds)) }
            : options;
    }
}

/// <summary>
/// 读取缓存 (issue 15: readers under a burst): the charts' PNGs, the grid exports and the page queries, kept per
/// <see cref="WarehouseVersion"/> (read from the database at most once a second) in a size-limited <see cref="MemoryCache"/>.
/// An answer that reads the years up to a 年度 only is kept at the version of that reach (the changes that can show in those
/// years), so a deadline week's builds of the following years leave it kept; a new version of its reach evicts it.
/// Concurrent askers of one missing answer wait for one computation. The key is the caller's: the request and the
/// caller's data scope (<see cref="ReadCacheKeys"/>, <see cref="QueryKey"/>).
/// <para>
/// A read may allow its answer to be stale for a while (<c>staleFor</c>: the charts and exports over every department or a
/// 区划's, <see cref="ReadCacheOptions.StaleFor"/>): its answer is kept across versions, and after the warehouse changed it is
/// served as it was (<see cref="CacheOutcome.Stale"/>, with its age) until it is that old, then computed again — while the
/// warehouse changes that fast (two builds within that time); after a single build it is computed again at once. In a
/// deadline week a pass changes the year every few seconds, and a province year's 偏差排名 (200,000 rows, 1.4 s to write on
/// DuckDB under a burst) was computed again after every pass: 18 times, 26 s of a 55 s burst of 200 uploads, on the
/// cores the passes and the other readers need (issue 15, DuckDB, province, readers of a year being filled). A stale
/// answer from <see cref="ReadCacheOptions.RefreshFrom"/> old on is computed again by the request it was served to, after
/// that request's answer is sent (<see cref="RefreshAsync{T}"/>), so it seldom reaches the age at which an asker waits.
/// </para>
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

    /// <summary>Per reach: the version last seen by a stale-able read, when it was first seen, and when the one before was (0: not seen).</summary>
    private readonly Dictionary<int, (long Version, long ChangedAt, long PreviousChangedAt)> _changes = [];
    private long _versionReadAt;
    private long _hits, _misses, _waits, _bypasses, _stale;

    /// <summary>An answer kept across versions for a read that allows it to be stale: the version and time it was computed at.</summary>
    private sealed record LatestAnswer(object? Value, long Version, long ComputedAt);

    /// <summary>Answers from the cache, computed, waited for, not cached, and served stale, since the process started.</summary>
    public (long Hits, long Misses, long Waits, long Bypasses, long Stale) Counts =>
        (Interlocked.Read(ref _hits), Interlocked.Read(ref _misses), Interlocked.Read(ref _waits), Interlocked.Read(ref _bypasses),
            Interlocked.Read(ref _stale));

    public long MaxEntryBytes => options.SizeLimitBytes / 4;

    public bool Enabled => options.Enabled;

    /// <summary>How long an answer over every department may be served stale (<see cref="ReadCacheOptions.StaleFor"/>).</summary>
    public TimeSpan StaleFor => options.StaleFor;

    /// <summary>From what age a stale answer is computed again after it is served (<see cref="ReadCacheOptions.RefreshFrom"/>).</summary>
    public TimeSpan RefreshFrom => options.RefreshFrom;

    public Task<CacheLookup<T>> GetOrAddAsync<T>(string key, Func<CancellationToken, Task<T>> compute, Func<T, long> size,
        CancellationToken ct, int? upToYear = null) => GetOrAddAsync(key, compute, size, ct, upToYear, beforeWaiting: null);

    /// <summary>
    /// As <see cref="IResultCache.GetOrAddAsync{T}"/>; <paramref name="beforeWaiting"/> runs when the answer is being computed
    /// by another request and this one is about to wait for it (an HTTP read leaves its reader slot then);
    /// <paramref name="staleFor"/>, when positive, lets the answer computed at an earlier version be served until it is that old.
    /// </summary>
    public async Task<CacheLookup<T>> GetOrAddAsync<T>(string key, Func<CancellationToken, Task<T>> compute, Func<T, long> size,
        CancellationToken ct, int? upToYear, Action? beforeWaiting, TimeSpan staleFor = default)
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
        var full = FullKey(reach, version, key);
        var latestKey = staleFor > TimeSpan.Zero ? LatestKey(reach, key) : null;
        var changingFast = latestKey is not null && ChangingFast(reach, version, staleFor);
        if (Kept<T>(latestKey ?? full, version, changingFast ? staleFor : TimeSpan.Zero) is { } kept) return kept;
        var mine = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = _computing.GetOrAdd(full, mine.Task);
        if (running != mine.Task)
        {
            Interlocked.Increment(ref _waits);
            beforeWaiting?.Invoke();
            return new((T)(await running.WaitAsync(ct))!, CacheOutcome.Wait);
        }
        return await ComputeAsync(full, latestKey, reach, version, mine, compute, size);
    }

    /// <summary>
    /// After a stale answer of <paramref name="key"/> was served (a read allowing it, <c>staleFor</c>): computes and keeps the
    /// answer at the current version, unless it is kept already or another request is computing it (nobody waits for this).
    /// An answer grown too large to keep is given to <paramref name="unkept"/> (an export's file to delete) and the stale one
    /// is dropped: its askers compute their own from then on, as for any answer too large to keep.
    /// </summary>
    public async Task RefreshAsync<T>(string key, Func<CancellationToken, Task<T>> compute, Func<T, long> size, int? upToYear,
        Action<T>? unkept = null)
    {
        if (!options.Enabled || await VersionAsync() is not { } versions) return;
        var reach = upToYear ?? AnyYear;
        var version = versions.Of(upToYear);
        var latestKey = LatestKey(reach, key);
        if (_cache.TryGetValue(latestKey, out var held) && held is LatestAnswer kept && kept.Version >= version) return;
        var full = FullKey(reach, version, key);
        var mine = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_computing.GetOrAdd(full, mine.Task) != mine.Task) return;
        var value = (await ComputeAsync(full, latestKey, reach, version, mine, compute, size)).Value;
        if (value is null || size(value) <= MaxEntryBytes) return;
        _cache.Remove(latestKey);
        unkept?.Invoke(value);
    }

    /// <summary>The key of an answer of <paramref name="reach"/> at <paramref name="version"/>.</summary>
    private static string FullKey(int reach, long version, string key) => $"{reach}\u001f{version}\u001f{key}";

    /// <summary>The key of an answer kept across versions (a read allowing it to be stale): the latest computed.</summary>
    private static string LatestKey(int reach, string key) => $"{reach}\u001flatest\u001f{key}";

    /// <summary>Computes the answer of <paramref name="full"/> for the askers waiting on <paramref name="mine"/>, and keeps it when it fits.</summary>
    private async Task<CacheLookup<T>> ComputeAsync<T>(string full, string? latestKey, int reach, long version,
        TaskCompletionSource<object?> mine, Func<CancellationToken, Task<T>> compute, Func<T, long> size)
    {
        try
        {
            // not the asker's token: others may be waiting for this answer
            var started = Stopwatch.GetTimestamp();
            var value = await compute(CancellationToken.None);
            var computeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var bytes = value is null ? 64 : Math.Max(1, size(value));
            if (bytes <= MaxEntryBytes && latestKey is not null)
                KeepLatest(latestKey, new LatestAnswer(value, version, started), bytes);
            else if (bytes <= MaxEntryBytes && Eviction(reach, version) is { } eviction)
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

    /// <summary>
    /// The answer kept under <paramref name="key"/>: at this <paramref name="version"/> (a hit), or, for a read that allows
    /// it, computed at an earlier one less than <paramref name="staleFor"/> ago (stale); else null.
    /// </summary>
    private CacheLookup<T>? Kept<T>(string key, long version, TimeSpan staleFor)
    {
        if (!_cache.TryGetValue(key, out var kept)) return null;
        if (kept is LatestAnswer latest && latest.Version != version)
        {
            var age = Stopwatch.GetElapsedTime(latest.ComputedAt);
            if (latest.Version > version || age >= staleFor) return null;
            Interlocked.Increment(ref _stale);
            return new((T)latest.Value!, CacheOutcome.Stale, AgeSeconds: age.TotalSeconds);
        }
        Interlocked.Increment(ref _hits);
        return new((T)(kept is LatestAnswer current ? current.Value : kept)!, CacheOutcome.Hit);
    }

    /// <summary>
    /// Whether the version of <paramref name="reach"/> changed twice within <paramref name="within"/>, as this process saw it
    /// (a deadline week's passes): a single build after a quiet time is answered fresh, whatever the answer's age.
    /// </summary>
    private bool ChangingFast(int reach, long version, TimeSpan within)
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            if (!_changes.TryGetValue(reach, out var seen)) seen = (version, 0, 0);
            else if (seen.Version != version) seen = (version, now, seen.ChangedAt);
            _changes[reach] = seen;
            return seen.PreviousChangedAt != 0 && Stopwatch.GetElapsedTime(seen.PreviousChangedAt, seen.ChangedAt) < within;
        }
    }

    /// <summary>Keeps an answer across versions, unless one computed at a later version is kept already.</summary>
    private void KeepLatest(string latestKey, LatestAnswer answer, long bytes)
    {
        lock (_gate)
        {
            if (_cache.TryGetValue(latestKey, out var held) && held is LatestAnswer kept && kept.Version > answer.Version) return;
            _cache.Set(latestKey, answer, new MemoryCacheEntryOptions { Size = bytes, SlidingExpiration = options.IdleExpiry });
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
