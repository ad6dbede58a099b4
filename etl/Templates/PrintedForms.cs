using System.Globalization;
using BudgetPerf.Etl.Reading.Forms;

namespace BudgetPerf.Etl.Templates;

/// <summary>
/// Prints a <see cref="FormLayout"/> as its 办法 prints it — title, year line, head, fund block with its label merged
/// down the left, goal rows, the indicator block (two-row header where captions are grouped, levels merged down their
/// rows, the pre-printed skeleton), the rows under the grid and the footer — blank or filled (<see cref="FormFill"/>).
/// The same description the reader recognises, so a template and a test workbook are the page a department knows.
/// </summary>
public static class PrintedForms
{
    public static void Write(SheetBuilder s, FormLayout layout, FormFill fill, PrintOptions? options = null)
    {
        var o = options ?? new PrintOptions();
        var w = new Writer(s, o, layout.Width);
        var r = 1;
        if (layout.Id.StartsWith("附件", StringComparison.Ordinal)) s.Text(r++, o.BlankColumns, layout.Id);
        w.Span(r++, 0, layout.Width, layout.Title, XlsxBuilder.Title);
        w.Span(r++, 0, layout.Width, string.Format(CultureInfo.InvariantCulture, layout.PeriodLine, fill.Year, fill.Quarter), XlsxBuilder.Title);
        foreach (var row in layout.Head) r = HeadRow(w, r, row, fill);
        r += o.BlankRows;
        if (layout.Funds is { } funds) r = FundRows(w, r, funds, fill) + o.BlankRows;
        foreach (var goal in layout.Goals) r = GoalRows(w, r, goal, fill);
        r = IndicatorRows(w, r, layout.Indicators, fill) + o.BlankRows;
        foreach (var text in layout.SheetTexts)
        {
            w.Span(r, 0, 1, text, XlsxBuilder.Bold);
            w.Span(r++, 1, layout.Width - 1, fill.Texts.FirstOrDefault(t => FormVocabulary.Key(t.Key) == FormVocabulary.Key(text)).Value);
        }
        foreach (var line in layout.Footer) w.Span(r++, 0, layout.Width, line);
    }

    /// <summary>
    /// A goal row: the label and its text over the width, or — <c>label|set|reached</c>, as 表2-2 / 表2-3-2 and the national
    /// 自评表 print it — the label merged down two rows, the two sub-captions (年初设定目标 | 半年完成情况) and their texts under them.
    /// </summary>
    private static int GoalRows(Writer w, int r, string goal, FormFill fill)
    {
        var parts = goal.Split('|');
        if (parts.Length == 1)
        {
            w.Span(r, 0, 1, goal, XlsxBuilder.Bold);
            w.Span(r, 1, w.Width - 1, fill.Goals.GetValueOrDefault(goal));
            return r + 1;
        }
        var half = (w.Width - 1) / 2;
        w.Block(r, 0, r + 1, 0, parts[0], XlsxBuilder.Bold);
        w.Span(r, 1, half, parts[1], XlsxBuilder.Bold);
        w.Span(r, 1 + half, w.Width - 1 - half, parts[2], XlsxBuilder.Bold);
        w.Span(r + 1, 1, half, fill.Goals.GetValueOrDefault(parts[1]) ?? fill.Goals.GetValueOrDefault(parts[0]));
        w.Span(r + 1, 1 + half, w.Width - 1 - half, fill.Goals.GetValueOrDefault(parts[2]));
        return r + 2;
    }

    private static int HeadRow(Writer w, int r, LabelCell[] cells, FormFill fill)
    {
        var c = 0;
        var below = cells.Any(x => x.Below);
        foreach (var cell in cells)
        {
            var value = cell.Field == "-" ? null : fill.Head.GetValueOrDefault(cell.Field);
            if (cell.Inline) w.Span(r, c, cell.Span, cell.Printed + value, XlsxBuilder.Bold);
            else if (cell.Below)
            {
                w.Span(r, c, cell.Span, cell.Printed, XlsxBuilder.Bold);
                w.Span(r + 1, c, Math.Max(cell.Span, cell.ValueSpan), value);
            }
            else
            {
                w.Span(r, c, cell.Span, cell.Printed, XlsxBuilder.Bold);
                w.Span(r, c + cell.Span, cell.ValueSpan, value);
                c += cell.ValueSpan;
            }
            c += cell.Span;
        }
        return r + (below ? 2 : 1);
    }

    private static int FundRows(Writer w, int r, FundBlock funds, FormFill fill)
    {
        var lines = funds.Lines.ToList();
        lines.AddRange(fill.Funds.Keys.Where(k => !lines.Any(l => Same(l, k))));
        w.Block(r, 0, r + lines.Count, 0, funds.Label, XlsxBuilder.Bold);
        var columns = w.Order(funds.Columns.ToList());
        var c0 = 1 + funds.LineSpan;
        foreach (var caption in columns) { w.Span(r, c0, caption.Span, w.Caption(caption.Printed), XlsxBuilder.Bold); c0 += caption.Span; }
        for (var i = 0; i < lines.Count; i++)
        {
            var row = r + 1 + i;
            var parts = lines[i].Split('|');
            if (parts.Length == 2)
            {
                var first = i == 0 || !lines[i - 1].StartsWith(parts[0] + "|", StringComparison.Ordinal);
                var down = lines.Skip(i).TakeWhile(l => l.StartsWith(parts[0] + "|", StringComparison.Ordinal)).Count();
                if (first) w.Block(row, 1, row + down - 1, 1, parts[0], XlsxBuilder.Bold);
                w.Span(row, 2, funds.LineSpan - 1, parts[1], XlsxBuilder.Bold);
            }
            else w.Span(row, 1, funds.LineSpan, lines[i], XlsxBuilder.Bold);
            var values = fill.Funds.FirstOrDefault(f => Same(f.Key, lines[i])).Value ?? [];
            var c = 1 + funds.LineSpan;
            foreach (var caption in columns)
            {
                w.Span(row, c, caption.Span, caption.Field is null ? null : values.GetValueOrDefault(caption.Field), XlsxBuilder.Money);
                c += caption.Span;
            }
        }
        var col = 1 + funds.LineSpan;
        foreach (var caption in columns)
        {
            if (Choices(caption) is { } items) w.List(r + 1, col, r + lines.Count, items);
            col += caption.Span;
        }
        return r + 1 + lines.Count;
    }

    private static int IndicatorRows(Writer w, int r, IndicatorBlock block, FormFill fill)
    {
        var two = block.LevelGroup is not null || block.Columns.Any(c => c.Group is not null);
        var side = block.SideLabel is null ? 0 : 1;
        var header = two ? 2 : 1;
        var rows = Plan(block, fill, w.Options.Skeleton);
        if (side == 1) w.Block(r, 0, r + header + rows.Count - 1, 0, block.SideLabel!, XlsxBuilder.Bold);
        for (var k = 0; k < block.Levels.Length; k++)
            if (block.LevelGroup is not null) w.Span(r + 1, side + k, 1, w.Caption(block.Levels[k]), XlsxBuilder.Bold);
            else w.Block(r, side + k, r + header - 1, side + k, w.Caption(block.Levels[k]), XlsxBuilder.Bold);
        if (block.LevelGroup is not null) w.Span(r, side, block.Levels.Length, block.LevelGroup, XlsxBuilder.Bold);
        var groups = w.Order(block.Columns.GroupBy(c => c.Group ?? c.Printed).Select(g => g.ToArray()).ToList());
        var columns = new List<(Caption Caption, int Column)>();
        var col = side + block.Levels.Length;
        foreach (var group in groups)
        {
            if (group[0].Group is { } g) w.Span(r, col, group.Sum(c => c.Span), g, XlsxBuilder.Bold);
            foreach (var caption in group)
            {
                if (caption.Group is null) w.Block(r, col, r + header - 1, col + caption.Span - 1, w.Caption(caption.Printed), XlsxBuilder.Bold);
                else w.Span(r + 1, col, caption.Span, w.Caption(caption.Printed), XlsxBuilder.Bold);
                columns.Add((caption, col));
                col += caption.Span;
            }
        }
        var first = r + header;
        w.List(first, side, first + rows.Count - 1, block.Skeleton.Select(s => s.Level1).Concat(rows.Select(x => x.L1)));
        foreach (var (caption, c) in columns)
            if (Choices(caption) is { } items) w.List(first, c, first + rows.Count - 1, items);
        for (var i = 0; i < rows.Count; i++)
        {
            var (l1, l2, indicator) = rows[i];
            if (i == 0 || rows[i - 1].L1 != l1)
                w.Block(first + i, side, first + i + rows.Skip(i).TakeWhile(x => x.L1 == l1).Count() - 1, side, l1, XlsxBuilder.Bold);
            if (i == 0 || rows[i - 1].L1 != l1 || rows[i - 1].L2 != l2)
                w.Block(first + i, side + 1, first + i + rows.Skip(i).TakeWhile(x => x.L1 == l1 && x.L2 == l2).Count() - 1, side + 1, l2, XlsxBuilder.Bold);
            w.Cell(first + i, side + 2, indicator?.Level3);
            foreach (var (caption, c) in columns)
            {
                var value = indicator is null || caption.Field is null ? null : indicator.Values.GetValueOrDefault(caption.Field);
                if (caption.Option is not null)
                    value = value is not null && value.Split('；').Contains(caption.Option) ? "√" : null;
                w.Span(first + i, c, caption.Span, value);
            }
        }
        return first + rows.Count;
    }

    /// <summary>
    /// The indicator rows in skeleton order: the pre-printed common indicators with their targets (replaced by a filled one
    /// of the same 三级), each filled indicator under its printed 一级/二级, an empty row for a 二级 left unfilled.
    /// </summary>
    private static List<(string L1, string L2, IndicatorFill? Indicator)> Plan(IndicatorBlock block, FormFill fill, bool skeleton)
    {
        var rows = new List<(string, string, IndicatorFill?)>();
        var used = new HashSet<IndicatorFill>();
        foreach (var (l1, l2s) in block.Skeleton)
            foreach (var l2 in l2s)
            {
                var mine = fill.Indicators.Where(x => Same(x.Level1, l1) && Same(x.Level2, l2)).ToList();
                used.UnionWith(mine);
                var common = (block.Common ?? []).Where(c => Same(c.Level1, l1) && Same(c.Level2, l2)).ToList();
                foreach (var c in common)
                    rows.Add((l1, l2, mine.FirstOrDefault(x => Same(x.Level3, c.Level3)) ?? Printed(c)));
                mine.RemoveAll(x => common.Any(c => Same(x.Level3, c.Level3)));
                if (mine.Count == 0 && common.Count == 0 && skeleton) for (var k = 0; k < block.RowsPerLevel2; k++) rows.Add((l1, l2, null));
                rows.AddRange(mine.Select(x => (l1, l2, (IndicatorFill?)x)));
            }
        rows.AddRange(fill.Indicators.Where(x => !used.Contains(x)).Select(x => (x.Level1, x.Level2, (IndicatorFill?)x)));
        return rows;
    }

    /// <summary>A common indicator as pre-printed: its 三级 and 半年 / 全年 指标值, nothing measured.</summary>
    private static IndicatorFill Printed(CommonIndicator c)
    {
        var values = new Dictionary<string, string>();
        if (c.Half is not null) values["期间指标值"] = c.Half;
        if (c.Year is not null) values["年度指标值"] = c.Year;
        return new IndicatorFill(c.Level1, c.Level2, c.Level3, values);
    }

    /// <summary>The values a column takes from a list: a check-box's tick, 完成目标可能性, 是否偏差; null for free text.</summary>
    private static string[]? Choices(Caption caption) => caption switch
    {
        { Option: not null } => ["√"],
        { Field: "完成目标可能性" } => ["确定能", "有可能", "完全不可能"],
        { Field: "是否偏差" } => ["是", "否"],
        _ => null,
    };

    private static bool Same(string a, string b) => FormVocabulary.Key(a) == FormVocabulary.Key(b);
}
