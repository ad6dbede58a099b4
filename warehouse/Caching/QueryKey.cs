using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;

namespace BudgetPerf.Warehouse.Caching;

/// <summary>
/// The result cache's key of a page query (issue 15): its SQL and every parameter's value. The caller's
/// <see cref="Security.DataScope"/> is in both (its condition in the SQL, its departments or 区划 as parameters), so two
/// scopes never share a key. Null — not cached — for SQL that reads a table written outside builds without a version
/// change (the loads' etl_batch and raw tables, the queue, users, the audit log, the runner's own state), and for a
/// parameter whose value the key cannot spell.
/// </summary>
public static partial class QueryKey
{
    [GeneratedRegex(@"\b(etl_batch|submission_queue|audit_log|app_user|sign_in_attempt|load_error|upload_error_file|run_results|test_failures|raw_\w+|runner_\w+|bi_access|data_protection_key)\b",
        RegexOptions.IgnoreCase)]
    private static partial Regex LiveTables();

    /// <summary>Dapper keeps an anonymous object added to <see cref="DynamicParameters"/> as a template (not in ParameterNames).</summary>
    private static readonly FieldInfo? Templates = typeof(DynamicParameters).GetField("templates", BindingFlags.Instance | BindingFlags.NonPublic);

    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    public static string? Of(string requires, string sql, object? param)
    {
        if (LiveTables().IsMatch(sql)) return null;
        var key = new StringBuilder(sql.Length + 64).Append("q\u001f").Append(requires).Append('\u001f').Append(sql).Append('\u001f');
        return Append(key, param) ? key.ToString() : null;
    }

    private static bool Append(StringBuilder key, object? param)
    {
        switch (param)
        {
            case null:
                return true;
            case DynamicParameters dynamic:
                var lookup = (SqlMapper.IParameterLookup)dynamic;
                foreach (var name in dynamic.ParameterNames.Order(StringComparer.Ordinal))
                    if (!Named(key, name, lookup[name])) return false;
                if (Templates is null) return false; // cannot see them: not cached rather than a key that misses a value
                if (Templates.GetValue(dynamic) is IEnumerable templates)
                    foreach (var template in templates)
                        if (!Append(key, template)) return false;
                return true;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                foreach (var (name, value) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
                    if (!Named(key, name, value)) return false;
                return true;
            default:
                foreach (var property in Properties.GetOrAdd(param.GetType(), t => t.GetProperties(BindingFlags.Instance | BindingFlags.Public)
                             .Where(p => p.GetIndexParameters().Length == 0).OrderBy(p => p.Name, StringComparer.Ordinal).ToArray()))
                    if (!Named(key, property.Name, property.GetValue(param))) return false;
                return true;
        }
    }

    private static bool Named(StringBuilder key, string name, object? value)
    {
        key.Append(name).Append('=');
        return Value(key, value);
    }

    /// <summary>A value as its type and its text, the text's length first (no separator inside a value can confuse two keys).</summary>
    private static bool Value(StringBuilder key, object? value)
    {
        string? text = value switch
        {
            null => "",
            string s => s,
            DateTime d => d.Ticks.ToString(CultureInfo.InvariantCulture) + d.Kind,
            DateOnly d => d.DayNumber.ToString(CultureInfo.InvariantCulture),
            bool or char or Enum => value.ToString(),
            IFormattable f when value.GetType().IsPrimitive || value is decimal => f.ToString(null, CultureInfo.InvariantCulture),
            _ => null,
        };
        if (text is not null)
        {
            key.Append(value?.GetType().Name ?? "null").Append(':').Append(text.Length).Append(':').Append(text).Append(';');
            return true;
        }
        if (value is not IEnumerable items) return false;
        key.Append('[');
        foreach (var item in items)
            if (!Value(key, item)) return false;
        key.Append("];");
        return true;
    }
}
