using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Etl.Loading;

/// <summary>
/// A lookup of what earlier submissions hold, asked once per key (a parameterised query on a connection of its own, so
/// that the validator may ask it on the read-ahead thread while the load's connection appends) and kept; thread-safe.
/// <see cref="BudgetWeights"/> and <see cref="ProjectDirectory"/> are two of them. <paramref name="asked"/> hears each
/// key asked (a worker pass: a file that asks what an earlier file of the same pass holds waits for that file's commit).
/// </summary>
internal sealed class MemoLookup<TKey, TValue>(WarehouseEngine engine, string sql, Func<TKey, object> args,
    Action<TKey>? asked = null) where TKey : notnull
{
    private readonly Dictionary<TKey, TValue?> _known = [];

    public TValue? this[TKey key]
    {
        get
        {
            asked?.Invoke(key);
            lock (_known)
            {
                if (_known.TryGetValue(key, out var known)) return known;
                // sync over async: the readers and validators that ask are synchronous enumerations
                using var connection = engine.OpenAsync().GetAwaiter().GetResult();
                var value = connection.QueryFirstOrDefault<TValue?>(engine.Sql(sql), args(key));
                _known[key] = value;
                return value;
            }
        }
    }
}
