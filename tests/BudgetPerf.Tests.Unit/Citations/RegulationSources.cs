using System.Text.RegularExpressions;

namespace BudgetPerf.Tests.Unit.Citations;

/// <summary>
/// The printed 办法 in ../shared/seeds (beside the clone: &lt;repo&gt;/../shared/seeds), read as articles: an article (条)
/// runs from its heading 第X条 to the next article, chapter (第X章) or 附件 heading; a clause (款/项) （四） runs to the
/// next （五）. Whitespace and the markdown marks of the flattened text are dropped before comparing.
/// </summary>
public static partial class RegulationSources
{
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BudgetPerf.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new DirectoryNotFoundException("BudgetPerf.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string SeedsDir => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "seeds"));

    public static string SharedFile(string name) => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", name));

    public static string Text(string sourceFile) => File.ReadAllText(Path.Combine(SeedsDir, sourceFile));

    /// <summary>Text without whitespace, markdown marks (* #) and with ASCII commas/parentheses as the full-width ones.</summary>
    public static string Squeeze(string text) => Noise().Replace(text, "")
        .Replace(',', '，').Replace('(', '（').Replace(')', '）').Replace(';', '；');

    /// <summary>Article heading (第四条) → the article's squeezed text (heading included).</summary>
    public static IReadOnlyDictionary<string, string> Articles(string text)
    {
        var articles = new Dictionary<string, string>();
        string? current = null;
        var body = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = Squeeze(raw);
            var heading = ArticleHeading().Match(line);
            if (heading.Success || ChapterOrAnnex().IsMatch(line))
            {
                if (current is not null) articles.TryAdd(current, string.Concat(body));
                current = heading.Success ? heading.Value : null;
                body.Clear();
            }
            if (current is not null) body.Add(line);
        }
        if (current is not null) articles.TryAdd(current, string.Concat(body));
        return articles;
    }

    /// <summary>The clause （四） of an article's squeezed text: from its mark to the next numbered mark, or null.</summary>
    public static string? Clause(string article, string clause)
    {
        var start = article.IndexOf($"（{clause}）", StringComparison.Ordinal);
        if (start < 0) return null;
        var next = NextClause().Match(article, start + clause.Length + 2);
        return next.Success ? article[start..next.Index] : article[start..];
    }

    [GeneratedRegex(@"[\s\*#\u3000]+")]
    private static partial Regex Noise();

    [GeneratedRegex(@"^第[一二三四五六七八九十百零]+条")]
    private static partial Regex ArticleHeading();

    [GeneratedRegex(@"^(第[一二三四五六七八九十百零]+章|附件)")]
    private static partial Regex ChapterOrAnnex();

    [GeneratedRegex(@"（[一二三四五六七八九十]+）")]
    private static partial Regex NextClause();
}
