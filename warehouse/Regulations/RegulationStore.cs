using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;
using Dapper;

namespace BudgetPerf.Warehouse.Regulations;

/// <summary>
/// A bureau's own 办法 (issue 13): a 管理员's regulation table, appended to regulation_upload(_article) (migration
/// 0030), and each rule's mapping to articles, appended to rule_citation_override; both audited in their own
/// transaction. They take effect in the citations at the next build of regulation_current and its descendants.
/// </summary>
public sealed class RegulationStore(WarehouseEngine engine)
{
    /// <summary>The build selection a change touches: the articles in force and everything that cites them.</summary>
    public const string Touches = "regulation_current+";

    public async Task<IReadOnlyList<ArticleInForce>> ArticlesAsync(CancellationToken ct = default) =>
        await ListAsync<ArticleInForce>("regulation_current",
            "SELECT article_key, full_title, article, clause, quote, citation, source FROM regulation_current ORDER BY sort_order, article_key", ct);

    public async Task<IReadOnlyList<RuleCitation>> CitationsAsync(CancellationToken ct = default) =>
        await ListAsync<RuleCitation>("rule_citation_current", """
            SELECT c.rule_key, c.rule_name, c.produces, c.article_key, c.citation, c.quote, c.mapped
            FROM rule_citation_current c JOIN rule_catalog r ON r.rule_key = c.rule_key
            ORDER BY r.sort_order, c.sort_order, c.citation
            """, ct);

    public async Task<IReadOnlyList<RuleBasis>> BasesAsync(CancellationToken ct = default) =>
        await ListAsync<RuleBasis>("rule_basis", "SELECT rule_key, rule_name, basis, basis_quote, mapped FROM rule_basis ORDER BY rule_key", ct);

    /// <summary>Records a validated table as the regulations in force and audits it; returns the upload id.</summary>
    public async Task<long> LoadAsync(IReadOnlyList<RegulationArticle> rows, string fileName, string sha256, string actor,
        CancellationToken ct = default)
    {
        if (rows.Count == 0) throw new ArgumentException("法规条款表没有条款", nameof(rows));
        await using var connection = await engine.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT CAST(nextval('regulation_upload_seq') AS BIGINT)", transaction: tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(engine.Sql("""
            INSERT INTO regulation_upload (upload_id, file_name, sha256, article_count, loaded_by, loaded_at)
            VALUES (@id, @fileName, @sha256, @count, @actor, @at)
            """), new { id, fileName, sha256, count = rows.Count, actor, at = DateTime.Now }, tx, cancellationToken: ct));
        var seen = new Dictionary<string, int>();
        foreach (var (row, i) in rows.Select((r, i) => (r, i)))
        {
            var n = seen[row.BaseKey] = seen.GetValueOrDefault(row.BaseKey) + 1;
            await connection.ExecuteAsync(new CommandDefinition(engine.Sql("""
                INSERT INTO regulation_upload_article (upload_id, article_key, document, article, clause, text, sort_order, source_row)
                VALUES (@id, @key, @document, @article, @clause, @text, @sort, @sourceRow)
                """), new
            {
                id, key = n == 1 ? row.BaseKey : $"{row.BaseKey}#{n}", document = row.Document, article = row.Article,
                clause = row.Clause, text = row.Text, sort = i + 1, sourceRow = row.SourceRow,
            }, tx, cancellationToken: ct));
        }
        var documents = string.Join("、", rows.Select(r => $"《{r.Document}》").Distinct());
        await AuditLog.AppendAsync(engine, connection, tx, actor, "regulation.load",
            $"{fileName}（SHA-256 {sha256[..12]}…）：{rows.Count} 条，{documents}；此前的条款对应不再生效，未重新对应的规则显示 未对应条款", "ok", ct);
        await Caching.WarehouseVersion.BumpAsync(engine, connection, tx, "regulation.load", ct);
        await tx.CommitAsync(ct);
        Caching.WarehouseVersion.Committed(engine);
        return id;
    }

    /// <summary>Why <paramref name="articleKeys"/> cannot be <paramref name="ruleKey"/>'s mapping, or null when they can.</summary>
    public async Task<string?> ProblemAsync(string ruleKey, IReadOnlyList<string> articleKeys, CancellationToken ct = default)
    {
        if ((await CitationsAsync(ct)).All(c => c.RuleKey != ruleKey)) return $"没有名为 {ruleKey} 的规则";
        var inForce = (await ArticlesAsync(ct)).Select(a => a.ArticleKey).ToHashSet();
        var unknown = articleKeys.Where(k => !inForce.Contains(k)).ToList();
        return unknown.Count == 0 ? null : $"现行条款中没有 {string.Join("、", unknown)}";
    }

    /// <summary>Records <paramref name="ruleKey"/>'s articles (none: 未对应条款) after <see cref="ProblemAsync"/> and audits the change.</summary>
    public async Task MapAsync(string ruleKey, IReadOnlyList<string> articleKeys, string actor, CancellationToken ct = default)
    {
        if (await ProblemAsync(ruleKey, articleKeys, ct) is { } problem) throw new ArgumentException(problem, nameof(articleKeys));
        var citations = await CitationsAsync(ct);
        var before = string.Join("；", citations.Where(c => c.RuleKey == ruleKey).Select(c => c.Citation));
        var articles = (await ArticlesAsync(ct)).ToDictionary(a => a.ArticleKey);
        var after = articleKeys.Count == 0 ? "未对应条款" : string.Join("；", articleKeys.Select(k => articles[k].Citation));
        await using var connection = await engine.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var change = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT CAST(nextval('rule_citation_change_seq') AS BIGINT)", transaction: tx, cancellationToken: ct));
        var at = DateTime.Now;
        var rows = articleKeys.Count == 0 ? [(Key: (string?)null, Sort: 1)] : articleKeys.Select((k, i) => (Key: (string?)k, Sort: i + 1)).ToList();
        foreach (var (key, sort) in rows)
            await connection.ExecuteAsync(new CommandDefinition(engine.Sql("""
                INSERT INTO rule_citation_override (change_id, rule_key, article_key, sort_order, changed_by, changed_at)
                VALUES (@change, @ruleKey, @key, @sort, @actor, @at)
                """), new { change, ruleKey, key, sort, actor, at }, tx, cancellationToken: ct));
        await AuditLog.AppendAsync(engine, connection, tx, actor, "regulation.map", $"{ruleKey}: {before} → {after}", "ok", ct);
        await Caching.WarehouseVersion.BumpAsync(engine, connection, tx, "regulation.map", ct);
        await tx.CommitAsync(ct);
        Caching.WarehouseVersion.Committed(engine);
    }

    private async Task<IReadOnlyList<T>> ListAsync<T>(string relation, string sql, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        if (await engine.RelationTypeAsync(connection, relation, ct) is null) return [];
        return (await connection.QueryAsync<T>(new CommandDefinition(sql, cancellationToken: ct))).AsList();
    }
}
