using System.Text.RegularExpressions;
using BudgetPerf.Etl.Submissions;

namespace BudgetPerf.Etl.Validation;

/// <summary>
/// Checks of one text cell against its column's vocabulary (spec/submissions.md): 期间, 季度, 完成目标可能性,
/// 偏差原因, 指标性质, and template instructions left in place. Each returns the Chinese reason, or null when the cell is fine.
/// </summary>
public static partial class CellRules
{
    /// <summary>完成目标可能性.</summary>
    public static readonly string[] Possibilities = ["确定能", "有可能", "完全不可能"];

    /// <summary>偏差原因 (check-box columns of 附件1).</summary>
    public static readonly string[] DeviationCauses = ["经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"];

    /// <summary>The comparator symbols a 指标性质 may hold (ASCII and full-width spellings fold to these); the one list the
    /// validation and the reports' target text (IndicatorSentence) share.</summary>
    public static readonly string[] ComparatorSymbols = ["≥", "≤", "=", ">", "<", ">=", "<=", "≧", "≦"];

    /// <summary>How a submitted 年度指标值 may already begin with a comparator of its own: a symbol, its full-width
    /// spelling, or in words (so a report does not put 指标性质 in front of it a second time).</summary>
    public static readonly string[] ComparatorStarts =
        [.. ComparatorSymbols, "＞", "＜", "＝", "不低于", "不高于", "不少于", "不多于", "不超过", "大于", "小于", "高于", "低于", "达到"];

    /// <summary>指标性质: the comparator symbols, 定性 and 定量.</summary>
    public static readonly string[] Comparators = [.. ComparatorSymbols, "定性", "定量"];

    /// <summary>Texts of blank forms that a department forgot to replace.</summary>
    private static readonly string[] TemplateMarkers =
        ["请填写", "请选择", "请输入", "填写说明", "填报说明", "此处填", "XXX", "xxx", "×××", "＊＊＊", "***"];

    [GeneratedRegex(@"^(\d{1,2}-\d{1,2}月|Q[1-4]|全年)$")]
    private static partial Regex PeriodPattern();

    [GeneratedRegex(@"^(Q[1-4]|[1-4]|第?[一二三四1-4]季度)$")]
    private static partial Regex QuarterPattern();

    [GeneratedRegex(@"^[1-9][0-9]{5}$")]
    private static partial Regex RegionCodePattern();

    /// <summary>Separators of a multi-valued cell: <c>;</c> <c>；</c> <c>、</c> <c>,</c> <c>，</c>.</summary>
    public static string[] SplitMulti(string text) =>
        text.Split([';', '；', '、', ',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>First characters of the markers: most cells hold none of them and are passed at SIMD speed.</summary>
    private static readonly System.Buffers.SearchValues<char> MarkerStarts = System.Buffers.SearchValues.Create("请填此Xx×＊*例示");

    /// <summary>Whether a cell still holds a blank form's instruction or example text.</summary>
    public static bool IsTemplateText(string text) =>
        text.AsSpan().IndexOfAny(MarkerStarts) >= 0 && TemplateMarkers.Any(m => text.Contains(m, StringComparison.Ordinal)) || text.StartsWith("例：", StringComparison.Ordinal)
        || text.StartsWith("例:", StringComparison.Ordinal) || text.StartsWith("示例", StringComparison.Ordinal);

    /// <summary>Columns with a fixed vocabulary, stored folded to half-width (<c>１-６月</c> is <c>1-6月</c>).</summary>
    public static bool IsVocabulary(FieldSpec field) => field.Column is "period" or "quarter" or "possibility" or "comparator";

    /// <summary>Columns whose text is checked against a vocabulary (the others take any text).</summary>
    public static bool IsChecked(FieldSpec field) => IsVocabulary(field) || field.Column is "deviation_causes" or "region_code";

    /// <summary>The reason a text cell is not acceptable for its column, or null.</summary>
    public static string? Check(FieldSpec field, string text) => IsChecked(field) ? CheckFolded(field, CellParser.Fold(text)) : null;

    /// <summary><see cref="Check"/> of a cell already folded with <see cref="CellParser.Fold"/>.</summary>
    public static string? CheckFolded(FieldSpec field, string folded)
    {
        return field.Column switch
        {
            "period" when !PeriodPattern().IsMatch(folded) => "期间应为 1-6月、1-7月、Q1…Q4 或 全年",
            "quarter" when !QuarterPattern().IsMatch(folded) => "季度应为 Q1…Q4（或 1…4、第一季度…第四季度）",
            "possibility" when !Possibilities.Contains(folded) => "完成目标可能性应为 确定能、有可能 或 完全不可能",
            "comparator" when !Comparators.Contains(folded) => "指标性质应为 ≥、≤、= 或 定性",
            "deviation_causes" when SplitMulti(folded).FirstOrDefault(c => !DeviationCauses.Contains(c)) is { } bad =>
                $"偏差原因“{bad}”不在 经费保障、制度保障、人员保障、硬件条件保障、其他 之中（多个原因用 ；、， 分隔）",
            "region_code" when !RegionCodePattern().IsMatch(folded) => "区划代码应为 6 位数字（如 660121：省 66、市 6601、县 660121）",
            _ => null,
        };
    }
}
