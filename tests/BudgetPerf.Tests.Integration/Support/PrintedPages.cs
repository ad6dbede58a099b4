using System.Text.RegularExpressions;

namespace BudgetPerf.Tests.Integration.Support;

/// <summary>
/// The printed forms of the two 办法 in ../shared/seeds (beside the clone: &lt;repo&gt;/../shared/seeds), flattened one
/// cell per line (tab-separated in a grid row): 附件4's headings (杭锦旗, 000_…) and 表2-B / 表1-B (常纺院, 004_…).
/// </summary>
public static partial class PrintedPages
{
    private static string Seed(string prefix)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BudgetPerf.sln"))) dir = dir.Parent;
        var seeds = Path.GetFullPath(Path.Combine(dir!.FullName, "..", "shared", "seeds"));
        return File.ReadAllText(Directory.GetFiles(seeds, prefix + "_*.txt").Single());
    }

    /// <summary>
    /// 附件4's headings in order, as printed: the lines of the template after its title, without the bracketed
    /// instructions（包括…）, the example sentences (xx…, 偏差率为x%…) and an instruction trailing a heading (（三）纠偏情况（针对…。）).
    /// </summary>
    public static IReadOnlyList<string> MonitoringReportHeadings()
    {
        var lines = Seed("000").Split('\n').Select(l => l.Trim()).ToList();
        var start = lines.FindIndex(l => l == "xx项目支出绩效监控报告（参考模板）");
        Assert.True(start > 0, "附件4's title not found in 000_…");
        return lines.Skip(start + 1).Where(l => l.Length > 0)
            .Where(l => !l.StartsWith('（') || NumberedMark().IsMatch(l))
            .Select(l => TrailingInstruction().Replace(l, ""))
            .Where(l => !l.Contains("xx") && !l.Contains("x%"))
            .ToList();
    }

    /// <summary>A 反馈书's label cells, row by row (表2-B or 表1-B), and its 备注 line, as the college prints them.</summary>
    public static (IReadOnlyList<IReadOnlyList<string>> Rows, string Title, string Remark) FeedbackForm(string number)
    {
        var lines = Seed("004").Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var start = lines.FindIndex(l => l.Replace(" ", "").Trim() == number.Replace(" ", ""));
        Assert.True(start >= 0, $"{number} not found in 004_…");
        var remark = lines.FindIndex(start, l => l.StartsWith("备注"));
        var body = lines.Skip(start + 1).Take(remark - start - 1).Where(l => l.Trim().Length > 0).ToList();
        var rows = body.Skip(1)
            .Select(l => (IReadOnlyList<string>)l.Split('\t').Select(c => c.Trim()).Where(c => c.Length > 0).ToList()).ToList();
        return (rows, body[0].Trim(), lines[remark].Trim());
    }

    [GeneratedRegex(@"^（([一二三四五六七八九十]+|\d+)）")]
    private static partial Regex NumberedMark();

    [GeneratedRegex(@"（[^（）]*。）$")]
    private static partial Regex TrailingInstruction();
}
