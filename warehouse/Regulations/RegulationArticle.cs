namespace BudgetPerf.Warehouse.Regulations;

/// <summary>
/// One row of a bureau's regulation table (法规条款表): the document's full title (办法全称), the article (条), the
/// clause (款/项, without brackets), the text that carries the rule (原文), and the row it came from.
/// </summary>
public sealed record RegulationArticle(string Document, string Article, string? Clause, string? Text, int SourceRow)
{
    /// <summary>The key rules map to: document / article / clause (plus #n when the same place appears again).</summary>
    public string BaseKey => $"{Document}/{Article}/{Clause}";
}

/// <summary>An article in force (model regulation_current) with its rendered citation 《全称》第X条（款）.</summary>
public sealed class ArticleInForce
{
    public string ArticleKey { get; set; } = "";
    public string FullTitle { get; set; } = "";
    public string? Article { get; set; }
    public string? Clause { get; set; }
    public string? Quote { get; set; }
    public string Citation { get; set; } = "";
    public string Source { get; set; } = "";
}

/// <summary>One rule's citation in force (model rule_citation_current); <c>Mapped</c> is false for 未对应条款.</summary>
public sealed class RuleCitation
{
    public string RuleKey { get; set; } = "";
    public string RuleName { get; set; } = "";
    public string Produces { get; set; } = "";
    public string? ArticleKey { get; set; }
    public string Citation { get; set; } = "";
    public string? Quote { get; set; }
    public bool Mapped { get; set; }
}

/// <summary>One rule's basis in force (model rule_basis): its citations and the same with their quoted phrases.</summary>
public sealed class RuleBasis
{
    public string RuleKey { get; set; } = "";
    public string RuleName { get; set; } = "";
    public string Basis { get; set; } = "";
    public string? BasisQuote { get; set; }
    public bool Mapped { get; set; }
}
