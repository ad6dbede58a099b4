using System.Text.RegularExpressions;
using BudgetPerf.Etl.Reading.Xlsx;
using BudgetPerf.Etl.Validation;

namespace BudgetPerf.Etl.Reading.Forms;

/// <summary>One row of a block as read: the sheet's row number and its values by field.</summary>
public sealed record RowDraft(int Row, Dictionary<string, string?> Values);

/// <summary>
/// The rows of a block, from under its header to the row that ends it: another header, a goal row (年度总体目标), a
/// sheet-level text row (存在的主要问题 …), or a row starting with 注：/备注：/总计/合计/填报单位负责人. Levels merged down
/// (or left blank under the first, when the print's merges are lost) carry down; pre-printed skeleton rows are skipped.
/// </summary>
public static partial class BlockRows
{
    [GeneratedRegex(@"^指标\s*\d*\s*[:：]?\s*")]
    private static partial Regex SkeletonPrefix();

    [GeneratedRegex(@"^重点工作\s*\d*\s*[:：]?\s*$")]
    private static partial Regex SkeletonDuty();

    [GeneratedRegex(@"[（(]\s*\d+(\.\d+)?\s*分\s*[)）]")]
    private static partial Regex Points();

    private static readonly string[] LevelFields = ["一级指标", "二级指标", "三级指标"];

    /// <summary>The 履职 block's columns beside the levels (表1-1 / 表1-2 / 表1-3-2): pre-printed like them, merged down like 二级.</summary>
    private static readonly string[] DutyFields = ["重点工作", "对应项目"];

    /// <summary>The first cell of a row that is not a label merged down from the header (项目资金（万元）, 绩效指标).</summary>
    public static (int Column, string Text)? First(FormGrid grid, int r, int headerRow)
    {
        for (var c = 0; c < grid.Width(r); c++)
            if (grid[r, c] is { } t && t != grid[headerRow, c]) return (c, t);
        return null;
    }

    /// <summary>Why a row ends the block, or null when it belongs to it.</summary>
    public static string? Ending(FormGrid grid, int r, int headerRow, FormPurpose purpose)
    {
        if (BlockHeader.IsIndicatorHeader(grid, r) || BlockHeader.IsFundHeader(grid, r, purpose)) return "下一个栏目行";
        if (First(grid, r, headerRow) is not var (_, text)) return null;
        var folded = CellParser.Fold(text).TrimStart();
        var key = FormVocabulary.Key(text);
        if (FormVocabulary.Terminators.Any(t => folded.StartsWith(CellParser.Fold(t), StringComparison.Ordinal)) || key is "注" or "备注")
            return $"“{Short(text)}”结束本块";
        if (FormVocabulary.GoalLabels.Contains(key)) return $"目标行“{Short(text)}”结束本块";
        if (SheetText(key) is not null) return $"表下文字行“{Short(text)}”结束本块";
        return null;
    }

    /// <summary>The field a sheet-level text row fills ("-" kept only), or null when the label is no such row.</summary>
    public static string? SheetText(string key) =>
        FormVocabulary.SheetTexts.TryGetValue(key, out var f) ? f : key.EndsWith("审核意见", StringComparison.Ordinal) ? "-" : null;

    public static string Short(string text) => text.Length > 16 ? text[..16] + "…" : text;

    public static RowDraft? Fund(FormGrid grid, int r, BlockHeader header, BlockExplanation explain)
    {
        var names = new List<string>();
        for (var c = 0; c < header.FirstValueColumn; c++)
            if (grid[r, c] is { } t && t != grid[header.FirstRow, c] && !names.Contains(t) && !FormVocabulary.IsBlank(t)) names.Add(t);
        var values = Values(grid, r, header);
        if (values.Values.All(v => v is null))
        {
            explain.Skipped.Add(new SkippedRow(r, names.Count == 0 ? "空行" : $"“{Short(string.Join("", names))}”金额为空（预印的行）"));
            return null;
        }
        values["资金类别"] = names.Count == 0 ? null : LineName(names);
        return new RowDraft(r, values);
    }

    /// <summary>A printed line name as the warehouse names it: 其中：/trailing colon off, 资金总额 → 年度资金总额.</summary>
    public static string LineName(List<string> names)
    {
        var parts = names.Select(n => FormVocabulary.Key(n.Replace("其中：", "").Replace("其中:", ""))).Where(n => n.Length > 0).ToList();
        var name = string.Join("-", parts);
        return name switch
        {
            "资金总额" or "年度资金总额" or "项目资金总额" or "合计" => "年度资金总额",
            "当年财政拨款" or "财政拨款" or "本年财政拨款" or "一般公共预算拨款" => "本年一般公共预算拨款",
            _ => name,
        };
    }

    public static RowDraft? Indicator(FormGrid grid, int r, BlockHeader header, RowDraft? previous, BlockExplanation explain)
    {
        var values = Values(grid, r, header);
        foreach (var level in LevelFields)
            if (values.TryGetValue(level, out var v) && v is not null)
                values[level] = level == "三级指标" ? Blankable(SkeletonPrefix().Replace(v, "")) : Points().Replace(Squeeze(v), "");
        foreach (var duty in DutyFields)   // 重点工作 1 as pre-printed is skeleton text
            if (values.GetValueOrDefault(duty) is { } d && SkeletonDuty().IsMatch(d)) values[duty] = null;
        var measured = values.Where(kv => !LevelFields.Contains(kv.Key) && !DutyFields.Contains(kv.Key)).Any(kv => kv.Value is not null);
        if (values.GetValueOrDefault("三级指标") is null && !measured)
        {
            explain.Skipped.Add(new SkippedRow(r, "预印的空行（无三级指标，无数值）"));
            return null;
        }
        foreach (var level in LevelFields[..2])   // merges lost: the level left blank under its first row
            if (values.ContainsKey(level) && values[level] is null && previous is not null) values[level] = previous.Values.GetValueOrDefault(level);
        foreach (var duty in DutyFields)   // 重点工作 merged down its indicators, within one 二级
            if (values.ContainsKey(duty) && values[duty] is null && previous is not null
                && previous.Values.GetValueOrDefault("二级指标") == values.GetValueOrDefault("二级指标"))
                values[duty] = previous.Values.GetValueOrDefault(duty);
        return new RowDraft(r, values);
    }

    private static string? Blankable(string text) => FormVocabulary.IsBlank(text) ? null : text.Trim();

    /// <summary>Level names printed vertically or wrapped (<c>产\n出\n指\n标</c>) read as one word.</summary>
    private static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static Dictionary<string, string?> Values(FormGrid grid, int r, BlockHeader header)
    {
        var values = new Dictionary<string, string?>();
        foreach (var group in header.Columns.Where(c => c.Field is not null).GroupBy(c => c.Field!))
        {
            if (group.Any(c => c.Option is not null))
            {
                var ticked = group.Where(c => c.Option is not null && grid[r, c.Column] is { } t && FormVocabulary.Ticks.Contains(t.Trim()))
                    .Select(c => c.Option!).ToList();
                var written = group.FirstOrDefault(c => c.Option is null) is { } plain ? Cell(grid, r, plain.Column) : null;
                values[group.Key] = ticked.Count > 0 ? string.Join("；", ticked) : written;
            }
            else values[group.Key] = Cell(grid, r, group.First().Column);
        }
        return values;
    }

    private static string? Cell(FormGrid grid, int r, int c) => grid[r, c] is { } t && !FormVocabulary.IsBlank(t) ? t.Trim() : null;
}
