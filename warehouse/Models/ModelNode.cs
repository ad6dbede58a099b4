using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace BudgetPerf.Warehouse.Models;

public enum NodeKind { Seed, Model }

/// <summary>How a model is kept: a view, a table rebuilt every build, or an incremental table (增量) whose
/// touched slices are deleted and re-inserted (issue 15).</summary>
public enum Materialization { View, Table, Incremental }

/// <summary>A node of the DAG: a seed (CSV) or a model (one SELECT in <c>sql/models</c>).</summary>
public sealed partial record ModelNode(string Name, NodeKind Kind, string Path, string Sql, Materialization Materialization,
    IReadOnlyList<string> Refs)
{
    private static Regex RefPattern() => ModelTemplate.RefPattern();

    [GeneratedRegex(@"^\s*--\s*materiali[sz]ed\s*:\s*(table|view|incremental)\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex MaterializedHeader();

    [GeneratedRegex(@"^\s*--\s*unique_key\s*:\s*([A-Za-z0-9_]+(?:\s*,\s*[A-Za-z0-9_]+)*)\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex UniqueKeyHeader();

    [GeneratedRegex(@"^\s*--\s*delete_where\s*:\s*(.+?)\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex DeleteWhereHeader();

    [GeneratedRegex(@"^\s*--\s*indexes\s*:\s*([A-Za-z0-9_]+(?:\s*[,;]\s*[A-Za-z0-9_]+)*)\s*;?\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex IndexesHeader();

    /// <summary>The <c>-- unique_key: a, b</c> columns of an incremental model: the grain it is replaced at.</summary>
    public IReadOnlyList<string> UniqueKey { get; init; } = [];

    /// <summary>
    /// The PostgreSQL indexes a table model declares (<c>-- indexes: project_code; fiscal_year, period</c>: one index per
    /// <c>;</c>-separated column list), created by <see cref="ModelIndexes"/> each time the runner (re)creates the table, so
    /// the pages' per-project and filtered reads do not scan it whole (issue 15, readers at province scale).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Indexes { get; init; } = [];

    /// <summary>
    /// An incremental model's own condition for the rows an incremental build deletes (<c>-- delete_where: …</c>, one
    /// line, templated like the model: <c>{{ this }}</c>, <c>{{ ref('build_slice') }}</c>), for a model whose rows belong
    /// to a slice by another column than its unique key (a pair of projects: either side touched) or by a key that may
    /// be NULL; null: the rows whose unique key is among the touched slices.
    /// </summary>
    public string? DeleteWhere { get; init; }

    public static ModelNode FromModelFile(string name, string path, string? engineName = null) =>
        FromModelFileText(name, File.ReadAllText(path), path, engineName);

    /// <param name="engineName">The engine the project is read for (its macros expand for it).</param>
    public static ModelNode FromModelFileText(string name, string sql, string? path = null, string? engineName = null)
    {
        sql = ModelTemplate.ExpandMacros(sql, engineName);
        var refs = RefPattern().Matches(sql).Select(m => m.Groups[1].Value).Distinct().ToList();
        var header = MaterializedHeader().Match(sql);
        var materialization = !header.Success ? Materialization.View : header.Groups[1].Value.ToLowerInvariant() switch
        {
            "table" => Materialization.Table,
            "incremental" => Materialization.Incremental,
            _ => Materialization.View,
        };
        var keyHeader = UniqueKeyHeader().Match(sql);
        var key = keyHeader.Success
            ? keyHeader.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [];
        if (materialization == Materialization.Incremental && key.Length == 0)
            throw new ModelGraphException($"{path ?? name}: an incremental model needs a '-- unique_key: col1, col2' header");
        var deleteWhere = DeleteWhereHeader().Match(sql);
        var indexes = IndexesHeader().Match(sql);
        return new ModelNode(name, NodeKind.Model, path ?? $"{name}.sql", sql, materialization, refs)
        {
            UniqueKey = key,
            Indexes = !indexes.Success ? [] : indexes.Groups[1].Value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(list => (IReadOnlyList<string>)list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                .ToList(),
            DeleteWhere = deleteWhere.Success ? deleteWhere.Groups[1].Value : null,
        };
    }

    public static ModelNode FromSeedFile(string name, string path) =>
        new(name, NodeKind.Seed, path, "", Materialization.Table, []);

    /// <summary>The (source, table) pairs named by <c>{{ source('s', 't') }}</c>; not nodes of the graph.</summary>
    public IReadOnlyList<(string Source, string Table)> Sources =>
        ModelTemplate.SourcePattern().Matches(Sql).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).Distinct().ToList();

    /// <summary>The SQL of a full build: every <c>{{ ref('x') }}</c> and <c>{{ source('s', 'x') }}</c> replaced by the relation name.</summary>
    public string Render() => ModelTemplate.Render(Sql, Name, isIncremental: false);

    /// <summary>The SQL of this build: <c>is_incremental()</c> blocks resolved, <c>{{ this }}</c>, sources and refs replaced.</summary>
    public string Render(bool isIncremental) => ModelTemplate.Render(Sql, Name, isIncremental);

    /// <summary>The SQL of this build with each <c>{{ ref('x') }}</c> made what <paramref name="refRelation"/> says.</summary>
    public string Render(bool isIncremental, Func<string, string> refRelation) =>
        ModelTemplate.Render(Sql, Name, isIncremental, refRelation);

    [GeneratedRegex(@"^\s*--\s*slice_by_batch\s*:\s*true\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex SliceByBatchHeader();

    /// <summary>
    /// <c>-- slice_by_batch: true</c>: a staging relation whose rows are those of the current batch of their slice
    /// (stg_current_batch), each with its batch_id — or the rows of every batch, which its readers join to current rows by
    /// batch (stg_monitoring_indicator_text); an incremental build reads only the current batches of the touched slices
    /// from it (<see cref="IncrementalBuilder"/>).
    /// </summary>
    public bool SliceByBatch => SliceByBatchHeader().IsMatch(Sql);

    [GeneratedRegex(@"^\s*--\s*year_neutral\s*:\s*true\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex YearNeutralHeader();

    /// <summary>
    /// <c>-- year_neutral: true</c>: a relation without a 年度 whose every row is a function of its key alone (and of seeds,
    /// whose change makes it stale), its keys those that rows of some year name (dim_indicator: the indicator names of every
    /// submission, each with its category): a change adds the keys a changed year names first or drops those no year names
    /// any more, never a key an earlier year's rows name, so the readers' cache by 年度 may ignore its changes
    /// (<see cref="IncrementalBuilder"/>).
    /// </summary>
    public bool YearNeutral => YearNeutralHeader().IsMatch(Sql);

    [GeneratedRegex(@"^\s*--\s*reads_other_entities\s*:\s*true\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex ReadsOtherEntitiesHeader();

    /// <summary>
    /// <c>-- reads_other_entities: true</c>: an incremental model whose touched rows also read staging rows of projects
    /// outside build_slice (mart_overlap_pairs compares a touched project with every project of its jurisdiction), so its
    /// staging relations are never narrowed to the touched slices' batches.
    /// </summary>
    public bool ReadsOtherEntities => ReadsOtherEntitiesHeader().IsMatch(Sql);

    [GeneratedRegex(@"^\s*--\s*full_refresh_when_changed\s*:\s*([A-Za-z0-9_]+(?:\s*,\s*[A-Za-z0-9_]+)*)\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex FullRefreshWhenChangedHeader();

    /// <summary>
    /// <c>-- full_refresh_when_changed: a, b</c>: models an incremental model reads whole, not by slice (a history across
    /// departments, a rule table); when one of them changed in this build every row may differ, so the model recomputes in
    /// full instead of by slice.
    /// </summary>
    public IReadOnlyList<string> FullRefreshWhenChanged => FullRefreshWhenChangedHeader().Match(Sql) is { Success: true } m
        ? m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        : [];

    [GeneratedRegex(@"^\s*--\s*full_refresh_above_share\s*:\s*([0-9]*\.?[0-9]+)\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex FullRefreshAboveShareHeader();

    /// <summary>
    /// <c>-- full_refresh_above_share: S</c>: an incremental model whose <c>is_incremental()</c> rows may be most
    /// of the table; when they are more than S times the rows the table holds, the build writes the table in full instead
    /// of deleting and inserting them. A share, not a count: the table holds every 年度, the rows that move one year's.
    /// </summary>
    public decimal? FullRefreshAboveShare => FullRefreshAboveShareHeader().Match(Sql) is { Success: true } m
        ? decimal.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
        : null;

    public static string RenderSql(string sql) => ModelTemplate.Render(sql, "", isIncremental: false);

    /// <summary>References in any SQL text (used for singular tests).</summary>
    public static IReadOnlyList<string> RefsIn(string sql) =>
        RefPattern().Matches(sql).Select(m => m.Groups[1].Value).Distinct().ToList();

    public static string Sha256(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
