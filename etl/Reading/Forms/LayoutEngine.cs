using BudgetPerf.Etl.Reading.Xlsx;
using BudgetPerf.Etl.Submissions;

namespace BudgetPerf.Etl.Reading.Forms;

/// <summary>
/// The one reader of every printed form: recognises the layout by its title (<see cref="FormLayouts"/>), reads the
/// head (<see cref="FormHead"/>), finds each block by its captions (<see cref="BlockHeader"/>), reads the rows until the
/// words that end a block (<see cref="BlockRows"/>), attaches the sheet-level text rows to the sheet's rows, and hands the
/// loader one source per submission family — with an explanation of all of it.
/// </summary>
public static class LayoutEngine
{
    /// <summary>The blocks of a sheet laid out as a form, or null (and no form named) when the sheet is no form.</summary>
    public static IReadOnlyList<ISubmissionSource>? TryRead(FormGrid grid, string fileName, string sheet, ProjectLookup? lookup,
        SheetExplanation explain)
    {
        var top = grid.RowNumbers.Take(4).SelectMany(r => grid.Row(r)).Where(c => c is not null).Select(c => c!).ToList();
        if (FormLayouts.Recognize(top) is not { } layout) return null;
        explain.Form = $"{layout.Id} {layout.Title}（{layout.Source}）";
        var rows = grid.RowNumbers.ToList();
        var firstBlock = rows.FirstOrDefault(r => BlockHeader.IsIndicatorHeader(grid, r) || BlockHeader.IsFundHeader(grid, r, layout.Purpose),
            int.MaxValue);
        var head = new FormHead(grid, firstBlock);
        foreach (var (field, value) in head.Values) explain.Head.Add((field, value));

        var drafts = new List<(BlockType Type, RowDraft Row)>();
        var texts = new Dictionary<string, string>();
        var letters = new Dictionary<(BlockType, string), string>();   // a field's sheet column, named in its errors
        string? period = null;
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var type = BlockHeader.IsIndicatorHeader(grid, r) ? BlockType.Indicator
                : BlockHeader.IsFundHeader(grid, r, layout.Purpose) ? BlockType.Fund : (BlockType?)null;
            if (type is null)
            {
                Text(grid, r, texts, explain);
                continue;
            }
            if (BlockHeader.Vocabulary(layout.Purpose, type.Value) is null) continue;
            var header = BlockHeader.Read(grid, rows, i, layout.Purpose, type.Value);
            period ??= header.Period;
            var kind = KindOf(layout, type.Value);
            var block = new BlockExplanation(type == BlockType.Fund ? "资金块" : "指标块", kind?.Title ?? "申报（未载入）",
                header.FirstRow == header.LastRow ? $"{header.FirstRow}" : $"{header.FirstRow}-{header.LastRow}");
            foreach (var c in header.Columns)
            {
                block.Mappings.Add(new CaptionMapping(Letter(c.Column), c.Caption.ReplaceLineEndings(" "), c.Why));
                letters.TryAdd((type.Value, c.Field ?? (c.Why == "资金类别" ? "资金类别" : "")), Letter(c.Column));
            }
            explain.Blocks.Add(block);
            while (rows[i] < header.LastRow) i++;
            RowDraft? previous = null;
            while (i + 1 < rows.Count)
            {
                var next = rows[i + 1];
                if (BlockRows.Ending(grid, next, header.FirstRow, layout.Purpose) is { } why)
                {
                    block.Skipped.Add(new SkippedRow(next, why));
                    break;
                }
                i++;
                var draft = type == BlockType.Fund ? BlockRows.Fund(grid, next, header, block) : BlockRows.Indicator(grid, next, header, previous, block);
                if (draft is null) continue;
                previous = draft;
                block.Taken.Add(next);
                drafts.Add((type.Value, draft));
            }
        }
        var form = new FormIdentity(layout, head, period, lookup);
        foreach (var (field, value) in form.Found) explain.Head.Add((field, value));
        var sources = new List<ISubmissionSource>();
        foreach (var type in new[] { BlockType.Fund, BlockType.Indicator })
        {
            if (KindOf(layout, type) is not { } kind) continue;
            var taken = drafts.Where(d => d.Type == type).Select(d => d.Row).ToList();
            if (taken.Count == 0 && kind == SubmissionKinds.Adjustment
                && new[] { "调整原因及依据", "原先申请资金", "计划调整后资金" }.Any(f => head.Get(f) is not null))   // a fund-only 调整表
                taken.Add(new RowDraft(firstBlock == int.MaxValue ? 1 : firstBlock, []));
            if (kind.IndexOf("period_target") >= 0)   // 表2-2 / 表1-2: no 年度指标值 printed, the 半年计划指标值 stands for it
            {
                foreach (var draft in taken.Where(d => !d.Values.ContainsKey("年度指标值") && d.Values.GetValueOrDefault("期间指标值") is not null))
                    draft.Values["年度指标值"] = draft.Values["期间指标值"];
                // a pre-printed common indicator with no 半年 target printed (预算执行率): its 全年 target as 表2-1 / 表1-1 print it
                foreach (var draft in taken.Where(d => d.Values.GetValueOrDefault("年度指标值") is null))
                    if (layout.Indicators.Common?.FirstOrDefault(c => c.Level3 == draft.Values.GetValueOrDefault("三级指标")) is { Year: { } year })
                    {
                        draft.Values["年度指标值"] = year;
                        explain.Blocks.LastOrDefault(b => b.Kind == kind.Title)?.Skipped.Add(new SkippedRow(draft.Row,
                            $"预印共性指标“{draft.Values["三级指标"]}”未印半年指标值：取办法所印全年指标值 {year}（读入，非跳过）"));
                    }
            }
            foreach (var draft in taken)
                foreach (var (label, text) in texts)
                    if (kind.FieldFor(label) is not null && draft.Values.GetValueOrDefault(label) is null) draft.Values[label] = text;
            if (taken.Count == 0 && !explain.Blocks.Any(b => b.Kind == kind.Title)) continue;
            var fields = taken.SelectMany(d => d.Values.Keys).Concat(letters.Keys.Where(k => k.Item1 == type).Select(k => k.Item2)).Distinct().Where(f => kind.FieldFor(f) is not null)
                .OrderBy(f => kind.Fields.ToList().IndexOf(kind.FieldFor(f)!)).ToList();
            var prefix = form.Prefix(kind);
            var prefixValues = form.PrefixValues(kind);
            var own = fields.Where(f => !prefix.Contains(f)).ToArray();
            var sheetLetters = letters.Where(l => l.Key.Item1 == type && kind.FieldFor(l.Key.Item2) is not null)
                .ToDictionary(l => kind.FieldFor(l.Key.Item2)!.Header, l => l.Value);
            sources.Add(new FormBlockSource(fileName, sheet, kind, [.. prefix, .. own],
                taken.Select(d => new SourceRow(d.Row, [.. prefixValues, .. own.Select(f => d.Values.GetValueOrDefault(f))])).ToList(), sheetLetters));
        }
        return sources;
    }

    private static void Text(FormGrid grid, int r, Dictionary<string, string> texts, SheetExplanation explain)
    {
        if (Goal(grid, r, texts, explain)) return;
        for (var c = 0; c < grid.Width(r); c++)
        {
            if (grid[r, c] is not { } label) continue;
            if (BlockRows.SheetText(FormVocabulary.Key(label)) is { } field
                && grid.ValueNear(r, c, v => BlockRows.SheetText(FormVocabulary.Key(v)) is not null) is { } value && !FormVocabulary.IsBlank(value))
            {
                if (field != "-") texts.TryAdd(field, value.Trim());
                explain.Texts.Add((r, label.ReplaceLineEndings(" "), field == "-" ? "表下文字，保留不载入" : $"{field}（附于本表各行）"));
            }
            return;   // only the first cell of a row is a label
        }
    }

    /// <summary>
    /// A goal row (年度总体目标 …): its text beside the label, or — under sub-captions (年初设定目标 / 半年完成情况, 预期目标 /
    /// 实际完成情况) — in the next row under each caption; kept for the sheet's fund lines (migration 0161).
    /// </summary>
    private static bool Goal(FormGrid grid, int r, Dictionary<string, string> texts, SheetExplanation explain)
    {
        var first = Enumerable.Range(0, grid.Width(r)).FirstOrDefault(c => grid[r, c] is not null, -1);
        if (first < 0 || !FormVocabulary.GoalLabels.Contains(FormVocabulary.Key(grid[r, first]!))) return false;
        var label = grid[r, first]!;
        var captions = Enumerable.Range(first + 1, Math.Max(0, grid.Width(r) - first - 1))
            .Where(c => grid[r, c] is { } t && t != label && (c == 0 || grid[r, c - 1] != t)
                        && FormVocabulary.GoalFields.ContainsKey(FormVocabulary.Key(t)))
            .Select(c => (Column: c, Field: FormVocabulary.GoalFields[FormVocabulary.Key(grid[r, c]!)])).ToList();
        if (captions.Count > 0)
            foreach (var (column, field) in captions)
            {
                if (grid[r + 1, column] is not { } value || FormVocabulary.IsBlank(value)) continue;
                Keep(field, value, $"{label.ReplaceLineEndings(" ")} / {grid[r, column]!.ReplaceLineEndings(" ")}");
            }
        else if (Enumerable.Range(first + 1, Math.Max(0, grid.Width(r) - first - 1)).Select(c => grid[r, c])
                     .FirstOrDefault(v => v is not null && v != label) is { } text && !FormVocabulary.IsBlank(text)
                 && FormVocabulary.GoalFields.GetValueOrDefault(FormVocabulary.Key(label)) is { } field)
            Keep(field, text, label.ReplaceLineEndings(" "));
        return true;

        void Keep(string field, string value, string caption)
        {
            if (field != "-") texts.TryAdd(field, value.Trim());
            explain.Texts.Add((r, caption, field == "-" ? "目标行，保留不载入" : $"{field}（附于本表各资金行）"));
        }
    }

    public static SubmissionKind? KindOf(FormLayout layout, BlockType type)
    {
        var dept = layout.Scope == FormScope.Department;
        return (layout.Purpose, type) switch
        {
            (FormPurpose.Monitoring, BlockType.Fund) => dept ? SubmissionKinds.DeptMonitoringFund : SubmissionKinds.MonitoringFund,
            (FormPurpose.Monitoring, _) => dept ? SubmissionKinds.DeptMonitoringIndicator : SubmissionKinds.MonitoringIndicator,
            (FormPurpose.SelfEvaluation, BlockType.Fund) => dept ? SubmissionKinds.DeptSelfEvalFund : SubmissionKinds.SelfEvalFund,
            (FormPurpose.SelfEvaluation, _) => dept ? SubmissionKinds.DeptSelfEvalIndicator : SubmissionKinds.SelfEvalIndicator,
            (FormPurpose.Correction, BlockType.Indicator) => SubmissionKinds.Correction,
            (FormPurpose.Adjustment, BlockType.Indicator) => SubmissionKinds.Adjustment,
            (FormPurpose.Declaration, BlockType.Fund) => dept ? SubmissionKinds.DeptDeclarationFund : SubmissionKinds.DeclarationFund,
            (FormPurpose.Declaration, BlockType.Indicator) => dept ? SubmissionKinds.DeptDeclarationIndicator : SubmissionKinds.DeclarationIndicator,
            _ => null,
        };
    }

    public static string Letter(int column) => column < 26 ? ((char)('A' + column)).ToString() : Letter(column / 26 - 1) + (char)('A' + column % 26);
}
