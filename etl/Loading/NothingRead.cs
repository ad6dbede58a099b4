using BudgetPerf.Etl.Reading;
using BudgetPerf.Etl.Validation;

namespace BudgetPerf.Etl.Loading;

/// <summary>
/// A workbook from which no row would load is rejected with an error naming its sheet, row and column — never an
/// empty rejection, and never "校验通过" under <c>--dry-run</c> for a file <c>load</c> refuses: a recognised form whose
/// blocks hold no data row (the rows skipped and why), or a workbook with no form and no table at all.
/// </summary>
public static class NothingRead
{
    public static IEnumerable<LoadIssue> Check(string fileName, SubmissionFile file, IReadOnlyList<ISubmissionSource> parts)
    {
        if (file.Explanations.Count == 0) yield break;   // a CSV: its header and rows are checked as always
        if (parts.Any(p => p is not IKnownKind || p.Rows().Any())) yield break;
        var forms = file.Explanations.Where(e => e.Blocks.Count > 0 || e.Form.Contains('表')).ToList();
        foreach (var sheet in forms)
        {
            var header = sheet.Blocks.Select(b => int.Parse(b.HeaderRows.Split('-')[0])).DefaultIfEmpty(1).Min();
            var skipped = sheet.Blocks.SelectMany(b => b.Skipped).Select(s => s.Why).Distinct().Take(3).ToList();
            yield return new LoadIssue(fileName, sheet.Sheet, header, "A", null, Severity.Error,
                $"识别为{sheet.Form}，但没有读到数据行" + (sheet.Note is null ? "" : $"（{sheet.Note}）")
                + (skipped.Count == 0 ? "：未找到资金块或指标块的栏目行" : "；跳过的行：" + string.Join("；", skipped)));
        }
        if (forms.Count == 0)
        {
            var first = file.Explanations.FirstOrDefault(e => e.Note is null) ?? file.Explanations[0];
            yield return new LoadIssue(fileName, first.Sheet, 1, "A", null, Severity.Error,
                "没有识别出报表：前四行应有表名（如 项目支出绩效监控情况表），或首行为数据表表头");
        }
    }
}
