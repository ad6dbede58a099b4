using BudgetPerf.Etl.Reading;
using BudgetPerf.Etl.Submissions;
using BudgetPerf.Etl.Validation;

namespace BudgetPerf.Tests.Unit.Intake;

/// <summary>A source held in memory: a header line and rows, comma separated (no quoting), as a CSV of that name would read.</summary>
internal sealed class TextSource(string fileName, string text) : ISubmissionSource
{
    private readonly string[] _lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public string FileName => fileName;
    public string? Sheet => null;
    public IReadOnlyList<string> Headers => _lines[0].Split(',');

    public IEnumerable<SourceRow> Rows() =>
        _lines.Skip(1).Select((line, i) => new SourceRow(i + 2, line.Split(',').Select(c => c.Length == 0 ? null : c).ToArray()));

    public void Dispose() { }
}

internal static class ValidationHarness
{
    /// <summary>Every issue the validator reports for the text, as the loader would collect them.</summary>
    public static List<LoadIssue> Check(SubmissionKind kind, string text, string fileName = "f.csv",
        Func<int, string, decimal?>? budgetWeightOf = null)
    {
        var issues = new List<LoadIssue>();
        using var source = new TextSource(fileName, text);
        var validator = RowValidator.ForHeader(kind, source, issues, budgetWeightOf);
        foreach (var row in source.Rows()) validator.Validate(row, issues);
        validator.Finish(issues);
        return issues;
    }

    public static LoadIssue Error(this List<LoadIssue> issues) => Assert.Single(issues, i => i.Severity == Severity.Error);

    public static LoadIssue Warning(this List<LoadIssue> issues, string containing) =>
        Assert.Single(issues, i => i.Severity == Severity.Warning && i.Message.Contains(containing));
}
