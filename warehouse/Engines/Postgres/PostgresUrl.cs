using Npgsql;

namespace BudgetPerf.Warehouse.Engines.Postgres;

/// <summary>
/// Accepts <c>postgres://user:pass@host:port/db?opt=v</c> (also several hosts, <c>postgres://u@db1:5432,db2:5432/db</c>,
/// as libpq writes a primary and its standbys) as well as an Npgsql connection string.
/// </summary>
public static class PostgresUrl
{
    public static bool IsUrl(string s) =>
        s.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
        s.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    public static string ToConnectionString(string s)
    {
        if (!IsUrl(s)) return s;
        var (hosts, single) = SplitHosts(s);
        var uri = new Uri(single);
        var b = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (hosts is not null) b.Host = hosts;   // Npgsql takes "db1:5432,db2:5432" as it is
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0) b.Username = Uri.UnescapeDataString(userInfo[0]);
        if (userInfo.Length > 1) b.Password = Uri.UnescapeDataString(userInfo[1]);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            b[Uri.UnescapeDataString(kv[0]).Replace('_', ' ')] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
        }
        return b.ConnectionString;
    }

    /// <summary>A URL with several hosts, as the host list and the URL with the first host alone (which <see cref="Uri"/> parses).</summary>
    private static (string? Hosts, string Url) SplitHosts(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var end = url.IndexOfAny(['/', '?'], start);
        var authority = end < 0 ? url[start..] : url[start..end];
        var at = authority.LastIndexOf('@');
        var hostPart = authority[(at + 1)..];
        if (!hostPart.Contains(',')) return (null, url);
        return (hostPart, url[..(start + at + 1)] + hostPart.Split(',')[0] + (end < 0 ? "" : url[end..]));
    }
}
