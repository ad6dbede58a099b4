using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace BudgetPerf.Warehouse.Models;

public enum NodeKind { Seed, Model }

public enum Materialization { View, Table }

/// <summary>A node of the DAG: a seed (CSV) or a model (one SELECT in <c>sql/models</c>).</summary>
public sealed partial record ModelNode(string Name, NodeKind Kind, string Path, string Sql, Materialization Materialization,
    IReadOnlyList<string> Refs)
{
    [GeneratedRegex(@"\{\{\s*ref\(\s*['""]([A-Za-z0-9_]+)['""]\s*\)\s*\}\}")]
    private static partial Regex RefPattern();

    /// <summary><c>{{ source('raw', 'raw_monitoring_fund') }}</c>: a table the runner does not build (a landing table
    /// or an application table made by a migration), declared in <c>sql/models/**/sources.yml</c>.</summary>
    [GeneratedRegex(@"\{\{\s*source\(\s*['""]([A-Za-z0-9_]+)['""]\s*,\s*['""]([A-Za-z0-9_]+)['""]\s*\)\s*\}\}")]
    private static partial Regex SourcePattern();

    [GeneratedRegex(@"^\s*--\s*materiali[sz]ed\s*:\s*(table|view)\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex MaterializedHeader();

    public static ModelNode FromModelFile(string name, string path) => FromModelFileText(name, File.ReadAllText(path), path);

    public static ModelNode FromModelFileText(string name, string sql, string? path = null)
    {
        var refs = RefPattern().Matches(sql).Select(m => m.Groups[1].Value).Distinct().ToList();
        var header = MaterializedHeader().Match(sql);
        var materialization = header.Success && header.Groups[1].Value.Equals("table", StringComparison.OrdinalIgnoreCase)
            ? Materialization.Table
            : Materialization.View;
        return new ModelNode(name, NodeKind.Model, path ?? $"{name}.sql", sql, materialization, refs);
    }

    public static ModelNode FromSeedFile(string name, string path) =>
        new(name, NodeKind.Seed, path, "", Materialization.Table, []);

    /// <summary>The (source, table) pairs named by <c>{{ source('s', 't') }}</c>; not nodes of the graph.</summary>
    public IReadOnlyList<(string Source, string Table)> Sources =>
        SourcePattern().Matches(Sql).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).Distinct().ToList();

    /// <summary>The SQL with every <c>{{ ref('x') }}</c> and <c>{{ source('s', 'x') }}</c> replaced by the relation name.</summary>
    public string Render() => RenderSql(Sql);

    public static string RenderSql(string sql) =>
        SourcePattern().Replace(RefPattern().Replace(sql, m => m.Groups[1].Value), m => m.Groups[2].Value).Trim().TrimEnd(';');

    /// <summary>References in any SQL text (used for singular tests).</summary>
    public static IReadOnlyList<string> RefsIn(string sql) =>
        RefPattern().Matches(sql).Select(m => m.Groups[1].Value).Distinct().ToList();

    public static string Sha256(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
