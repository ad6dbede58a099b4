using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using BudgetPerf.Etl.Submissions;
using BudgetPerf.Etl.Validation;

namespace BudgetPerf.Etl.Reading.Xlsx;

/// <summary>Finds a project's code from (主管部门, 项目名称), as the printed forms carry no 项目编码.</summary>
public delegate string? ProjectLookup(string department, string projectName);

/// <summary>
/// The official form layouts, one project per sheet (附件1 项目支出绩效监控情况表, 附件2 纠偏表, 附件3 调整表,
/// 表2-3-2 自我评价评分表, 表2-2; 部门整体 forms alike): recognised by their title, read by their label cells —
/// 项目名称, 主管部门, the fund block under 资金类别 / 年初预算数, the indicator block under 一级指标 — never by
/// fixed addresses. The year comes from <c>（2024年度）</c>, the period from column labels (<c>1-6月执行数</c>),
/// check-box columns count a cell as ticked when it holds √ ✓ ✔ ☑ 是 x X.
/// </summary>
public static partial class OfficialForms
{
    private static readonly string[] TitleWords = ["监控情况表", "绩效监控表", "纠偏", "调整表", "自我评价", "自评表", "评分表"];
    private static readonly string[] Ticks = ["√", "✓", "✔", "☑", "是", "x", "X", "×"];
    private static readonly string[] BlockEnds = ["合计", "总分", "填表", "说明", "注：", "注:", "审核", "单位负责人"];

    [GeneratedRegex(@"(\d{4})\s*年度?")]
    private static partial Regex YearPattern();

    [GeneratedRegex(@"^(\d{1,2}-\d{1,2}月|Q[1-4])")]
    private static partial Regex PeriodPrefix();

    [GeneratedRegex(@"第?([一二三四1-4])季度|Q([1-4])")]
    private static partial Regex QuarterPattern();

    /// <summary>The blocks of a sheet laid out as an official form, or null when the sheet is a flat table.</summary>
    public static IReadOnlyList<ISubmissionSource>? TryRead(XlsxWorkbook workbook, string fileName, string sheet,
        ProjectLookup? lookup = null)
    {
        var head = workbook.Rows(sheet).Take(3).SelectMany(r => r.Cells).Where(c => c is not null).Select(c => c!).ToList();
        var title = head.FirstOrDefault(c => TitleWords.Any(c.Contains));
        if (title is null) return null;

        var grid = new FormGrid(workbook, sheet);
        var form = new FormHeader(grid, title, sheet, lookup);
        var blocks = new List<ISubmissionSource>();
        var rows = grid.RowNumbers.ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            if (!IsBlockHeader(grid, r)) continue;
            var block = ReadBlock(grid, rows, ref i, form);
            if (block is not null) blocks.Add(new FormBlockSource(fileName, sheet, block.Value.Kind, block.Value.Headers, block.Value.Rows));
        }
        if (form.Adjustment && blocks.Count == 0)
            blocks.Add(new FormBlockSource(fileName, sheet, SubmissionKinds.Adjustment, form.Prefix(SubmissionKinds.Adjustment),
                [new SourceRow(grid.Find("调整原因及依据")?.Row ?? 1, form.PrefixValues(SubmissionKinds.Adjustment))]));
        return blocks;
    }

    private static bool IsBlockHeader(FormGrid grid, int r)
    {
        var labels = grid.Row(r).Where(c => c is not null).Select(c => HeaderText.Normalize(c!)).ToHashSet();
        return labels.Contains("一级指标") && labels.Contains("三级指标")
            || labels.Contains("资金类别") || labels.Any(l => l.EndsWith("预算数", StringComparison.Ordinal)) && labels.Count >= 3;
    }

    private static (SubmissionKind Kind, string[] Headers, List<SourceRow> Rows)? ReadBlock(FormGrid grid, List<int> rows, ref int i,
        FormHeader form)
    {
        var headerRow = rows[i];
        var width = grid.Width(headerRow);
        var labels = new string?[width];
        string? period = null;
        for (var c = 0; c < width; c++)
        {
            if (grid[headerRow, c] is not { } text) continue;
            var m = PeriodPrefix().Match(CellParser.Fold(text));
            var label = m.Success ? "期间" + CellParser.Fold(text)[m.Length..] : text;
            if (m.Success) period ??= m.Groups[1].Value;
            label = HeaderText.Normalize(label) switch
            {
                "项目资金" or "资金来源" => "资金类别",
                "期间执行" => "期间执行情况",
                "指标值" => "年度指标值",
                "期间完成值" or "期间实际完成值" => "期间执行情况",
                _ => label,
            };
            labels[c] = label;
        }
        // a second header row of check-box captions under a merged 偏差原因 / 完成目标可能性
        var captions = new Dictionary<int, string>();
        if (i + 1 < rows.Count)
        {
            var next = rows[i + 1];
            for (var c = 0; c < width; c++)
                if (grid[next, c] is { } t && (CellRules.DeviationCauses.Contains(t) || CellRules.Possibilities.Contains(t))
                    && labels[c] is "偏差原因" or "完成目标可能性" && labels.Count(l => l == labels[c]) > 1)   // merged over its boxes
                    captions[c] = t;
            if (captions.Count > 0) i++;
        }
        var columns = labels.Select((l, c) => (Label: l, Column: c)).Where(x => x.Label is not null)
            .GroupBy(x => x.Label!).Select(g => (Label: g.Key, Columns: g.Select(x => x.Column).ToArray())).ToList();

        form.Period ??= period;
        var body = new List<SourceRow>();
        var kind = Recognize(form, columns.Select(c => c.Label).ToList());
        if (kind is null) return null;
        var prefix = form.Prefix(kind);
        var prefixValues = form.PrefixValues(kind);
        while (i + 1 < rows.Count)
        {
            var r = rows[i + 1];
            if (IsBlockHeader(grid, r)) break;
            var first = Enumerable.Range(0, grid.Width(r)).Select(c => grid[r, c]).FirstOrDefault(v => v is not null);
            if (first is null || BlockEnds.Any(first.StartsWith)) break;
            i++;
            var cells = new string?[columns.Count];
            for (var k = 0; k < columns.Count; k++)
            {
                var (label, cols) = columns[k];
                cells[k] = cols.Any(captions.ContainsKey)
                    ? Ticked(grid, r, cols, captions)
                    : grid[r, cols[0]];
                if (label == "资金类别" && cells[k] is { } name) cells[k] = name.Replace("其中：", "").Replace("其中:", "").Trim();
            }
            if (cells.All(c => c is null)) continue;
            var line = columns.FindIndex(c => c.Label == "资金类别");
            if (line >= 0 && cells.Where((_, k) => k != line).All(c => c is null)) continue;   // a printed fund line left empty
            body.Add(new SourceRow(r, [.. prefixValues, .. cells]));
        }
        return (kind, [.. prefix, .. columns.Select(c => c.Label)], body);
    }

    private static string? Ticked(FormGrid grid, int r, int[] cols, Dictionary<int, string> captions)
    {
        var ticked = cols.Where(c => captions.ContainsKey(c) && grid[r, c] is { } v && Ticks.Contains(v.Trim())).Select(c => captions[c]).ToList();
        return ticked.Count == 0 ? null : string.Join("；", ticked);
    }

    private static SubmissionKind? Recognize(FormHeader form, List<string> labels)
    {
        var candidates = labels.Contains("一级指标")
            ? form.Department ? [SubmissionKinds.DeptMonitoringIndicator, SubmissionKinds.DeptSelfEvalIndicator]
            : new[] { SubmissionKinds.MonitoringIndicator, SubmissionKinds.SelfEvalIndicator, SubmissionKinds.Correction, SubmissionKinds.Adjustment }
            : form.Department ? [SubmissionKinds.DeptMonitoringFund, SubmissionKinds.DeptSelfEvalFund]
            : [SubmissionKinds.MonitoringFund, SubmissionKinds.SelfEvalFund];
        if (form.Adjustment) return SubmissionKinds.Adjustment;
        if (form.Correction) return SubmissionKinds.Correction;
        return candidates
            .Where(k => k.RequiredFields.All(f => form.Prefix(k).Contains(f.Header) || labels.Any(l => k.FieldFor(l) == f)))
            .OrderByDescending(k => labels.Count(l => k.FieldFor(l) is not null))
            .FirstOrDefault();
    }

    /// <summary>What the sheet says once for all its blocks: year, period or quarter, and the project (or department).</summary>
    private sealed class FormHeader
    {
        private readonly string? _year, _code, _name, _department, _departmentCode, _quarter;
        private readonly string? _reason, _original, _adjusted;

        public FormHeader(FormGrid grid, string title, string sheet, ProjectLookup? lookup)
        {
            Department = title.Contains("部门整体", StringComparison.Ordinal);
            Correction = title.Contains("纠偏", StringComparison.Ordinal);
            Adjustment = title.Contains("调整", StringComparison.Ordinal);
            var top = grid.RowNumbers.Take(4).SelectMany(r => grid.Row(r)).Where(c => c is not null).Select(c => CellParser.Fold(c!)).ToList();
            _year = top.Select(c => YearPattern().Match(c)).FirstOrDefault(m => m.Success)?.Groups[1].Value;
            var q = top.Select(c => QuarterPattern().Match(c)).FirstOrDefault(m => m.Success);
            _quarter = q is null ? grid.ValueOf("季度") : "Q" + (q.Groups[1].Success ? "一二三四1234".IndexOf(q.Groups[1].Value[0]) % 4 + 1 : q.Groups[2].Value);
            Period = grid.ValueOf("期间", "监控期间");
            if (Department)
            {
                _name = grid.ValueOf("部门名称", "主管部门", "单位名称");
                _code = grid.ValueOf("部门编码") ?? (_name is null ? null : Derived("D", _name));
            }
            else
            {
                _name = grid.ValueOf("项目名称");
                _department = grid.ValueOf("主管部门", "主管部门(单位)", "主管单位");
                _departmentCode = grid.ValueOf("主管部门编码");
                _code = grid.ValueOf("项目编码")
                    ?? (_name is null ? null : lookup?.Invoke(_department ?? "", _name) ?? Derived("X", $"{_department}|{_name}"));
            }
            _reason = grid.ValueOf("调整原因及依据", "调整原因");
            _original = grid.ValueOf("原先申请资金", "原申请资金");
            _adjusted = grid.ValueOf("计划调整后资金", "调整后资金");
        }

        public bool Department { get; }
        public bool Correction { get; }
        public bool Adjustment { get; }
        public string? Period { get; set; }

        public string[] Prefix(SubmissionKind kind) =>
        [
            "年度",
            .. kind.IndexOf("period") >= 0 ? ["期间"] : Array.Empty<string>(),
            .. kind.IndexOf("quarter") >= 0 ? ["季度"] : Array.Empty<string>(),
            Department ? "部门编码" : "项目编码",
            .. Naming(kind) ? Department ? ["部门名称"] : ["项目名称", "主管部门"] : Array.Empty<string>(),
            .. kind == SubmissionKinds.Adjustment ? ["调整原因及依据", "原先申请资金", "计划调整后资金"] : Array.Empty<string>(),
        ];

        public string?[] PrefixValues(SubmissionKind kind) =>
        [
            _year,
            .. kind.IndexOf("period") >= 0 ? [Period ?? "1-6月"] : Array.Empty<string?>(),
            .. kind.IndexOf("quarter") >= 0 ? [_quarter] : Array.Empty<string?>(),
            _code,
            .. Naming(kind) ? Department ? [_name] : [_name, _department] : Array.Empty<string?>(),
            .. kind == SubmissionKinds.Adjustment ? [_reason, _original, _adjusted] : Array.Empty<string?>(),
        ];

        private static bool Naming(SubmissionKind kind) => kind.IndexOf("fund_line") >= 0;

        /// <summary>A stable code for a project (or department) the warehouse does not know yet: prefix + 10 hex of SHA-256.</summary>
        public static string Derived(string prefix, string key) =>
            prefix + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..10];
    }
}

/// <summary>One block of an official form, read as header + rows with the sheet's own row numbers.</summary>
internal sealed class FormBlockSource(string fileName, string sheet, SubmissionKind kind, string[] headers, List<SourceRow> rows)
    : ISubmissionSource, IKnownKind
{
    public string FileName => fileName;
    public string? Sheet => sheet;
    public IReadOnlyList<string> Headers => headers;
    public SubmissionKind Kind => kind;
    public IEnumerable<SourceRow> Rows() => rows;
    public void Dispose() { }
}
