using System.Text.RegularExpressions;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines.DuckDb;
using BudgetPerf.Warehouse.Models;

namespace BudgetPerf.Tests.Unit.Export;

/// <summary>The README's BI section names every view of sql/bi with its grain (issue 18), and no view that is not there.</summary>
public sealed partial class BiReadmeTests
{
    [GeneratedRegex(@"^\| `bi\.([a-z_]+)` \| ([^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex ViewRow();

    private static string Readme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "README.md")) && Directory.Exists(Path.Combine(dir.FullName, "sql", "bi")))
                return File.ReadAllText(Path.Combine(dir.FullName, "README.md"));
        throw new FileNotFoundException("README.md beside sql/bi above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Readme_bi_section_lists_every_view_with_its_grain()
    {
        var views = new BiLayer(new DuckDbEngine(Path.Combine(Path.GetTempPath(), "never-opened.duckdb"))).Views(SqlAssets.Root);
        var rows = ViewRow().Matches(Readme()).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim());
        Assert.Equal(views.Order(), rows.Keys.Order());
        Assert.All(rows, r => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", r.Value));   // a grain in words: 年度 × 期间 × 项目
    }
}
