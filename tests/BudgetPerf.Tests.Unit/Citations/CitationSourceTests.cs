using System.Text.RegularExpressions;

namespace BudgetPerf.Tests.Unit.Citations;

/// <summary>
/// Issue 13: every default citation quotes a phrase that the cited document prints under the cited article (and
/// clause), read from ../shared/seeds; a wrong attribution fails.
/// </summary>
public sealed class CitationSourceTests
{
    public static TheoryData<string> ArticleKeys()
    {
        var data = new TheoryData<string>();
        foreach (var a in DefaultRegulationSeed.Read("regulation_article")) data.Add(a["article_key"]);
        return data;
    }

    [Theory]
    [MemberData(nameof(ArticleKeys))]
    public void Each_default_article_quotes_its_own_document_under_its_own_article(string articleKey)
    {
        var article = DefaultRegulationSeed.Read("regulation_article").Single(a => a["article_key"] == articleKey);
        var document = DefaultRegulationSeed.Document(article["document_key"]);
        if (document["source_file"].Length == 0)
        {
            // A national document named in full: its text is not in the seeds, so nothing of it is quoted (an
            // unverifiable quote would be a borrowed one); DESIGN or a seed names it.
            Assert.Equal("", article["quote"]);
            var named = File.ReadAllText(RegulationSources.SharedFile("DESIGN.md"))
                + string.Concat(Directory.GetFiles(RegulationSources.SeedsDir, "*.txt").Select(File.ReadAllText));
            Assert.True(named.Contains(document["short_name"]) || named.Contains($"《{document["full_title"]}》"),
                $"{document["full_title"]} is named neither in DESIGN.md nor in a seed");
            return;
        }
        Assert.NotEqual("", article["quote"]);
        Assert.Null(Problem(document["source_file"], article["article"], article["clause"], article["quote"]));
    }

    [Fact]
    public void Each_source_document_prints_its_title_and_the_cited_title_names_it()
    {
        foreach (var d in DefaultRegulationSeed.Read("regulation").Where(d => d["source_file"].Length > 0))
        {
            var lines = RegulationSources.Text(d["source_file"]).Split('\n').Select(RegulationSources.Squeeze);
            Assert.Contains(RegulationSources.Squeeze(d["printed_title"]), lines);
            Assert.EndsWith(d["printed_title"], d["full_title"]);
        }
    }

    [Fact]
    public void A_wrong_attribution_fails_the_check()
    {
        // given the citation the cut list carried before issue 13: 常纺院 第四条（低效无效资金一律削减或取消）
        var college = DefaultRegulationSeed.Document("cfy")["source_file"];
        var county = DefaultRegulationSeed.Document("hjq")["source_file"];
        // then the college's 第四条 (财务处's duties) does not print it, the county's 第四条 does
        Assert.NotNull(Problem(college, "第四条", "", "对低效无效资金一律削减或取消"));
        Assert.Null(Problem(county, "第四条", "", "对低效无效资金一律削减或取消"));
        // and the right document under the wrong article or clause fails too: 第十五条（四） is not （三）
        Assert.NotNull(Problem(county, "第十六条", "", "对低效无效资金一律削减或取消"));
        Assert.NotNull(Problem(county, "第十五条", "三", "应暂停项目实施，相应按照有关程序调减预算并停止拨付资金"));
        Assert.Null(Problem(county, "第十五条", "四", "应暂停项目实施，相应按照有关程序调减预算并停止拨付资金"));
    }

    [Fact]
    public void Every_rule_cites_at_least_one_known_article_and_every_mapping_names_known_keys()
    {
        var rules = DefaultRegulationSeed.Read("rule_catalog").Select(r => r["rule_key"]).ToHashSet();
        var articles = DefaultRegulationSeed.Read("regulation_article").Select(a => a["article_key"]).ToHashSet();
        var mapping = DefaultRegulationSeed.Read("rule_citation");
        Assert.All(mapping, m => Assert.Contains(m["rule_key"], rules));
        Assert.All(mapping, m => Assert.Contains(m["article_key"], articles));
        Assert.All(rules, r => Assert.Contains(mapping, m => m["rule_key"] == r));
    }

    [Fact]
    public void The_flags_cite_the_documents_DESIGN_names()
    {
        // DESIGN §3: 削减/取消, 收回, 暂停拨款, 调整 are the county's (杭锦旗) 第四条 / 第十五条（四）; the 第十六条 ones the college's
        var expected = new Dictionary<string, string[]>
        {
            ["flag.cut"] = ["hjq:第四条"], ["flag.recovered"] = ["hjq:第四条", "ysf:第四十二条"],
            ["flag.suspended"] = ["hjq:第十五条", "hjq:第四条"], ["flag.adjusted"] = ["hjq:第四条"],
            ["flag.supported"] = ["zf34:", "cfy:第十六条"], ["flag.tightened"] = ["cfy:第十六条"], ["flag.repeated"] = ["cfy:第十六条"],
        };
        var articles = DefaultRegulationSeed.Read("regulation_article").ToDictionary(a => a["article_key"]);
        var mapping = DefaultRegulationSeed.Read("rule_citation");
        foreach (var (rule, cites) in expected)
        {
            var actual = mapping.Where(m => m["rule_key"] == rule).OrderBy(m => int.Parse(m["sort_order"]))
                .Select(m => articles[m["article_key"]]).Select(a => $"{a["document_key"]}:{a["article"]}");
            Assert.Equal(cites, actual);
        }
    }

    [Fact]
    public void No_sql_model_carries_a_citation_literal()
    {
        var models = Directory.GetFiles(Path.Combine(RegulationSources.RepoRoot, "sql", "models"), "*.sql", SearchOption.AllDirectories);
        var literal = new Regex(@"'[^'\n]*(第[一二三四五六七八九十百]+条|常纺院|杭锦旗|中发〔|财预〔|预算法)[^'\n]*'");
        Assert.All(models, m => Assert.DoesNotMatch(literal, File.ReadAllText(m)));
    }

    /// <summary>Why <paramref name="quote"/> is not printed in <paramref name="sourceFile"/> under the article (clause), or null.</summary>
    private static string? Problem(string sourceFile, string article, string clause, string quote)
    {
        var articles = RegulationSources.Articles(RegulationSources.Text(sourceFile));
        if (!articles.TryGetValue(article, out var text)) return $"{sourceFile} has no {article}";
        if (clause.Length > 0 && RegulationSources.Clause(text, clause) is not { } c) return $"{sourceFile} {article} has no （{clause}）";
        var scope = clause.Length > 0 ? RegulationSources.Clause(text, clause)! : text;
        return scope.Contains(RegulationSources.Squeeze(quote), StringComparison.Ordinal) ? null
            : $"{sourceFile} {article}{(clause.Length > 0 ? $"（{clause}）" : "")} does not print “{quote}”";
    }
}
