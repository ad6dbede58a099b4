using BudgetPerf.Etl.Reading.Xlsx;

namespace BudgetPerf.Etl.Reading.Forms;

/// <summary>What a block is: the fund lines (资金) or the indicators (指标).</summary>
public enum BlockType { Fund, Indicator }

/// <summary>One column of a block: the caption read, the field it fills (null: not read) and, for a check-box, the value a tick means.</summary>
public sealed record BlockColumn(int Column, string Caption, string? Field, string? Option, string Why);

/// <summary>
/// A block's header, one row or two (a group caption over its parts: 偏差原因分析 over 经费保障 …, 完成目标可能性 over
/// 确定能 …); captions mapped by the purpose's vocabulary, a period prefix (1-6月, 半年) taken off and kept.
/// </summary>
public sealed class BlockHeader
{
    public BlockType Type { get; private init; }
    public int FirstRow { get; private init; }
    public int LastRow { get; private init; }
    public string? Period { get; private set; }
    public List<BlockColumn> Columns { get; } = [];

    /// <summary>Columns before the first amount: where a fund line's name is printed.</summary>
    public int FirstValueColumn { get; private set; }

    public static Dictionary<string, string>? Vocabulary(FormPurpose purpose, BlockType type) => (purpose, type) switch
    {
        (FormPurpose.Monitoring, BlockType.Fund) => FormVocabulary.MonitoringFund,
        (FormPurpose.Monitoring, _) => FormVocabulary.MonitoringIndicator,
        (FormPurpose.SelfEvaluation, BlockType.Fund) => FormVocabulary.SelfEvalFund,
        (FormPurpose.SelfEvaluation, _) => FormVocabulary.SelfEvalIndicator,
        (FormPurpose.Declaration, BlockType.Fund) => FormVocabulary.DeclarationFund,
        (FormPurpose.Declaration, _) => FormVocabulary.DeclarationIndicator,
        (FormPurpose.Correction, BlockType.Indicator) => FormVocabulary.CorrectionIndicator,
        (FormPurpose.Adjustment, BlockType.Indicator) => FormVocabulary.AdjustmentIndicator,
        _ => null,
    };

    /// <summary>A caption after a period prefix (1-6月指标值, 半年实际执行数) → the family's 期间 field.</summary>
    private static readonly Dictionary<string, string> PeriodFields = new()
    {
        ["指标值"] = "期间指标值", ["计划指标值"] = "期间指标值", ["执行数"] = "期间执行数", ["实际执行数"] = "期间执行数",
        ["计划执行数"] = "期间计划执行数", ["执行情况"] = "期间执行情况", ["实际执行值"] = "期间执行情况", ["完成值"] = "期间执行情况",
        ["实际完成值"] = "期间执行情况", ["执行率"] = "-",
    };

    private static string? Lookup(Dictionary<string, string> vocabulary, string key, out string? period)
    {
        period = null;
        if (vocabulary.TryGetValue(key, out var f)) return f;
        var (p, rest) = FormVocabulary.SplitPeriod(key);
        if (rest == key) return null;
        period = p;
        if (PeriodFields.TryGetValue(rest, out var pf) && (pf == "-" || vocabulary.ContainsValue(pf))) return pf;
        return vocabulary.TryGetValue(rest, out f) ? f : null;
    }

    private static IEnumerable<string> Keys(FormGrid grid, int r) =>
        grid.Row(r).Where(c => c is not null).Select(c => FormVocabulary.Key(c!));

    /// <summary>A row holding the level captions 一级指标 and 三级指标 (or 一级目标 / 三级目标).</summary>
    public static bool IsIndicatorHeader(FormGrid grid, int r)
    {
        var levels = Keys(grid, r).Select(k => FormVocabulary.Levels.GetValueOrDefault(k)).ToHashSet();
        return levels.Contains("一级指标") && levels.Contains("三级指标");
    }

    /// <summary>A row naming at least two amount captions of the purpose (or 资金类别 and one).</summary>
    public static bool IsFundHeader(FormGrid grid, int r, FormPurpose purpose)
    {
        if (Vocabulary(purpose, BlockType.Fund) is not { } vocabulary) return false;
        var keys = Keys(grid, r).ToList();
        var fields = keys.Select(k => Lookup(vocabulary, k, out _)).Where(f => f is not null and not "-").Distinct().Count();
        return fields >= 2 || fields >= 1 && keys.Any(k => k is "资金类别" or "资金来源");
    }

    public static BlockHeader Read(FormGrid grid, List<int> rows, int index, FormPurpose purpose, BlockType type)
    {
        var vocabulary = Vocabulary(purpose, type)!;
        var r = rows[index];
        var next = index + 1 < rows.Count && rows[index + 1] == r + 1 ? r + 1 : (int?)null;
        var two = type == BlockType.Indicator && next is { } n && IsSecondRow(grid, r, n, vocabulary);
        if (!two && type == BlockType.Indicator && index > 0 && rows[index - 1] == r - 1 && IsGroupRow(grid, r - 1, r, vocabulary))
            (r, next, two) = (r - 1, r, true);   // 指标名称 over the levels, 原指标 … beside it: the group row above
        var header = new BlockHeader { Type = type, FirstRow = r, LastRow = two ? next!.Value : r };
        var width = Math.Max(grid.Width(r), two ? grid.Width(next!.Value) : 0);
        var seen = new HashSet<(string, string?)>();
        string? group = null;
        for (var c = 0; c < width; c++)
        {
            var top = grid[r, c];
            var bottom = two ? grid[next!.Value, c] : null;
            if (top is not null) group = bottom is not null && bottom != top ? top : null;
            var caption = bottom ?? top;
            if (caption is null) continue;
            var key = FormVocabulary.Key(caption);
            string? field, option = null, why;
            if (FormVocabulary.Levels.TryGetValue(key, out var level)) (field, why) = (level, level);
            else if (FormVocabulary.Options.TryGetValue(key, out var o) && (group is not null || !vocabulary.ContainsKey(key)))
                (field, option, why) = (o.Field, o.Option, $"{o.Field}（勾选“{o.Option}”）");
            else if (Lookup(vocabulary, key, out var period) is { } f)
            {
                header.Period ??= period;
                (field, why) = f == "-" ? (null, "不读取（计算所得或仅供参考）") : (f, f);
            }
            else (field, why) = (null, header.Columns.Any(x => x.Field is not null) ? "未识别的栏目，不读取"
                : type == BlockType.Fund ? "资金类别" : "左侧标签，不读取");
            if (field is not null && !seen.Add((field, option))) continue;   // a caption merged over several cells: its first
            if (header.Columns.Any(x => x.Column == c - 1 && x.Caption == caption && x.Field is null)) continue;
            header.Columns.Add(new BlockColumn(c, caption, field, option, why));
        }
        header.FirstValueColumn = header.Columns.Where(x => x.Field is not null).Select(x => x.Column).DefaultIfEmpty(width).Min();
        return header;
    }

    /// <summary>A row above the level captions holding the captions the level row lacks (its merges lost).</summary>
    private static bool IsGroupRow(FormGrid grid, int above, int r, Dictionary<string, string> vocabulary)
    {
        var found = false;
        for (var c = 0; c < grid.Width(above); c++)
            if (grid[above, c] is { } t && grid[r, c] is null && vocabulary.TryGetValue(FormVocabulary.Key(t), out var f) && f != "-")
                found = true;
        return found;
    }

    /// <summary>The row under a header is its second row when each of its cells repeats the one above or is a caption.</summary>
    private static bool IsSecondRow(FormGrid grid, int r, int next, Dictionary<string, string> vocabulary)
    {
        var parts = 0;
        for (var c = 0; c < grid.Width(next); c++)
        {
            if (grid[next, c] is not { } text || text == grid[r, c]) continue;
            var key = FormVocabulary.Key(text);
            if (!FormVocabulary.Options.ContainsKey(key) && !vocabulary.ContainsKey(key) && !FormVocabulary.Levels.ContainsKey(key)
                && FormVocabulary.SplitPeriod(key) is not { Period: not null }) return false;
            parts++;
        }
        return parts > 0;
    }
}
