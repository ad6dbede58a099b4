namespace BudgetPerf.Tests.Unit.Citations;

/// <summary>The shipped regulation seeds (sql/seeds/regulation*.csv, rule_catalog.csv, rule_citation.csv) as rows by column name.</summary>
public static class DefaultRegulationSeed
{
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string seed)
    {
        var lines = File.ReadAllLines(Path.Combine(RegulationSources.RepoRoot, "sql", "seeds", seed + ".csv"))
            .Where(l => l.Length > 0).ToArray();
        Assert.DoesNotContain(lines, l => l.Contains('"'));
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l =>
        {
            var cells = l.Split(',');
            Assert.True(cells.Length == header.Length, $"{seed}.csv: “{l}” has {cells.Length} cells, the header {header.Length}");
            return (IReadOnlyDictionary<string, string>)header.Zip(cells).ToDictionary(p => p.First, p => p.Second);
        }).ToList();
    }

    public static IReadOnlyDictionary<string, string> Document(string documentKey) =>
        Read("regulation").Single(d => d["document_key"] == documentKey);
}
