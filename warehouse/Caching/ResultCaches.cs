using System.Runtime.CompilerServices;
using BudgetPerf.Warehouse.Engines;

namespace BudgetPerf.Warehouse.Caching;

/// <summary>Where a cached read's answer came from (the dashboard's <c>X-BudgetPerf-Cache</c> header).</summary>
public enum CacheOutcome
{
    /// <summary>From the cache: computed earlier at the same version.</summary>
    Hit,

    /// <summary>Computed by this request (and kept when it fits).</summary>
    Miss,

    /// <summary>Another request was computing the same answer: this one waited for it instead of computing it again.</summary>
    Wait,

    /// <summary>Not cached: the warehouse has no version (before migration 0235) or the cache is off.</summary>
    Bypass,

    /// <summary>
    /// From the cache, computed at an earlier version, and younger than the staleness its read allows (a chart or export over
    /// every department during a deadline week's passes: the dashboard's <c>BudgetPerf:ReadCache:BulkStaleSeconds</c>).
    /// </summary>
    Stale,
}

/// <summary>
/// An answer, where it came from, how long its computation took when this request computed it (<see cref="CacheOutcome.Miss"/>,
/// <see cref="CacheOutcome.Bypass"/>; else 0), and the seconds since the computation of a <see cref="CacheOutcome.Stale"/> one.
/// </summary>
public readonly record struct CacheLookup<T>(T Value, CacheOutcome Outcome, double ComputeMs = 0, double AgeSeconds = 0);

/// <summary>
/// 读取缓存 (issue 15, readers under a burst): answers of reads that depend only on the warehouse and the caller's data scope,
/// kept per <see cref="WarehouseVersion"/>. The key must name everything the answer depends on besides the version (the
/// request, the caller's <see cref="Security.DataScope"/>): never one department's rows for another.
/// </summary>
public interface IResultCache
{
    /// <summary>
    /// The answer of <paramref name="key"/> at the warehouse's current version: from the cache, or from
    /// <paramref name="compute"/> (run once for concurrent askers, without their cancellation) and kept when its
    /// <paramref name="size"/> (bytes, estimated) fits. <paramref name="upToYear"/>: the answer reads no 年度 after this one, so
    /// it stays valid while only changes of later years commit (<see cref="VersionSnapshot.Of"/>); null, any year's change
    /// makes it old.
    /// </summary>
    Task<CacheLookup<T>> GetOrAddAsync<T>(string key, Func<CancellationToken, Task<T>> compute, Func<T, long> size, CancellationToken ct,
        int? upToYear = null);

    /// <summary>This process committed a version change: read the version again at the next use.</summary>
    void VersionChanged();
}

/// <summary>
/// The result cache of each engine, when a dashboard attached one (the page query classes use it; a command-line tool or
/// <c>bench queries</c>, which attach none, always query).
/// </summary>
public static class ResultCaches
{
    private static readonly ConditionalWeakTable<WarehouseEngine, IResultCache> Caches = new();

    public static void Attach(WarehouseEngine engine, IResultCache cache) => Caches.AddOrUpdate(engine, cache);

    public static void Detach(WarehouseEngine engine) => Caches.Remove(engine);

    public static IResultCache? Of(WarehouseEngine engine) => Caches.TryGetValue(engine, out var cache) ? cache : null;
}
