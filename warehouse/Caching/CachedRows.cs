using System.Collections.Concurrent;
using System.Reflection;

namespace BudgetPerf.Warehouse.Caching;

/// <summary>
/// Page query answers kept in the result cache: the kept rows are never handed out, each caller gets its own copy (a
/// page or a query method may set a row's property, e.g. <c>CutKpi.ReviewProjects</c>), and their size is estimated for
/// the cache's limit. Rows are Dapper's: flat objects of strings, numbers and dates, so a shallow copy is a whole copy.
/// </summary>
public static class CachedRows
{
    private static readonly Func<object, object> Clone = (Func<object, object>)Delegate.CreateDelegate(typeof(Func<object, object>),
        typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!);

    private static readonly ConcurrentDictionary<Type, int> PropertyCounts = new();

    /// <summary>A copy of a row (a value type or a string is its own copy).</summary>
    public static T Copy<T>(T value) => value is null || value is string || value.GetType().IsValueType ? value : (T)Clone(value);

    /// <summary>A new list of copies of the rows.</summary>
    public static IReadOnlyList<T> Copy<T>(IReadOnlyList<T> rows)
    {
        var copy = new List<T>(rows.Count);
        foreach (var row in rows) copy.Add(Copy(row));
        return copy;
    }

    /// <summary>Bytes the rows hold, estimated: a row's header and 24 bytes per property (short strings, numbers, dates).</summary>
    public static long SizeOf<T>(IReadOnlyList<T> rows) => 64 + rows.Count * SizeOfRow(typeof(T));

    /// <summary>The estimate of one row.</summary>
    public static long SizeOf<T>(T _) => SizeOfRow(typeof(T));

    private static long SizeOfRow(Type type) => 32 + 24L * PropertyCounts.GetOrAdd(type,
        t => t.IsPrimitive || t == typeof(string) || t == typeof(decimal) ? 1 : Math.Max(1, t.GetProperties().Length + t.GetFields().Length));
}
