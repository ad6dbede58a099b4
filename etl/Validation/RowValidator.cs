using System.Runtime.CompilerServices;
using BudgetPerf.Etl.Indicators;
using BudgetPerf.Etl.Reading;
using BudgetPerf.Etl.Submissions;

namespace BudgetPerf.Etl.Validation;

/// <summary>
/// Maps a source's header to a family's fields and turns each row into typed values in field order,
/// reporting every cell it cannot accept (<see cref="CellRules"/>), every row whose cells disagree
/// (<see cref="RowRules"/>) and, after the last row, what only the whole file shows (<see cref="FileRules"/>).
/// </summary>
public sealed class RowValidator
{
    private readonly SubmissionKind _kind;
    private readonly ISubmissionSource _source;
    private readonly int[] _fieldToCell;   // field index → cell index, −1 when the column is absent
    private readonly RowRules _rowRules;
    private readonly FileRules _fileRules;
    private readonly ParsedIndicatorCache _parsed;
    private readonly bool _parsesIndicator;
    private readonly int _width;             // fields, then the parsed 指标值 columns when the family has them
    private readonly int _length;            // … then the caller's spare slots
    private readonly bool[] _checked, _vocabulary;
    private List<LoadIssue>? _reporting;

    /// <summary>
    /// Cells accepted without an issue, by field, and their typed value: the CSV reader hands out one string instance per
    /// repeated text (期间, 指标名称, 单位, 完成目标可能性 …), so a repeat is one reference compare, not a parse. Per field
    /// a small table indexed by the string's identity hash; a conversion depends on nothing but the text.
    /// </summary>
    private readonly (string? Cell, object? Value)[] _accepted;

    /// <summary>The measured result's field (期间执行情况, 实际完成值), −1 when the family has none; whether this row left it blank.</summary>
    private readonly int _measuredField;
    private bool _resultBlank;
    private const int AcceptedWays = 64;
    private Action<int, string, object?, Severity, string>? _reporter;

    private RowValidator(SubmissionKind kind, ISubmissionSource source, int[] fieldToCell, Func<int, string, decimal?>? budgetWeightOf,
        int spare)
    {
        _kind = kind;
        _source = source;
        _fieldToCell = fieldToCell;
        _rowRules = new RowRules(kind);
        _fileRules = new FileRules(kind, budgetWeightOf);
        _parsed = new ParsedIndicatorCache(kind);
        _parsesIndicator = IndicatorColumns.Applies(kind);
        _width = kind.Fields.Count + IndicatorColumns.For(kind).Count;
        _length = _width + spare;
        _checked = kind.Fields.Select(CellRules.IsChecked).ToArray();
        _vocabulary = kind.Fields.Select(CellRules.IsVocabulary).ToArray();
        _accepted = new (string?, object?)[kind.Fields.Count * AcceptedWays];
        _measuredField = kind.Fields.ToList().FindIndex(f => f.Measured);
    }

    public SubmissionKind Kind => _kind;

    /// <summary>Checks the header: missing required columns are errors (the file is rejected before any row is read).</summary>
    /// <param name="budgetWeightOf">For self-evaluation indicators: the 预算执行率 分值 already submitted for (年度, 编码).</param>
    /// <param name="spare">Empty slots after the values of each row, for the caller (the loader adds the batch id and row).</param>
    public static RowValidator ForHeader(SubmissionKind kind, ISubmissionSource source, List<LoadIssue> issues,
        Func<int, string, decimal?>? budgetWeightOf = null, int spare = 0)
    {
        var fieldToCell = kind.Fields.Select(f => IndexOf(source.Headers, kind, f)).ToArray();
        for (var i = 0; i < kind.Fields.Count; i++)
            if (fieldToCell[i] < 0 && kind.Fields[i].Required)
                issues.Add(Issue(source, 1, kind.Fields[i].Header, null, Severity.Error, $"缺少必填列「{kind.Fields[i].Header}」"));
        foreach (var header in source.Headers.Where(h => kind.FieldFor(h) is null && h.Trim().Length > 0))
            issues.Add(Issue(source, 1, header, null, Severity.Warning, $"未识别的列「{header}」，已忽略"));
        return new RowValidator(kind, source, fieldToCell, budgetWeightOf, spare);
    }

    private static int IndexOf(IReadOnlyList<string> headers, SubmissionKind kind, FieldSpec field)
    {
        for (var i = 0; i < headers.Count; i++)
            if (kind.FieldFor(headers[i]) == field) return i;
        return -1;
    }

    /// <summary>
    /// Typed values in field order, followed by the parsed 指标值 columns (<see cref="IndicatorColumns.Parsed"/>) for the
    /// indicator families; null when the row has an error (added to <paramref name="issues"/>).
    /// </summary>
    public object?[]? Validate(SourceRow row, List<LoadIssue> issues)
    {
        var values = new object?[_length];
        var ok = true;
        _resultBlank = _measuredField >= 0 && (_fieldToCell[_measuredField] is var m && (m < 0 || m >= row.Cells.Length
            || string.IsNullOrWhiteSpace(row.Cells[m])));
        for (var i = 0; i < _fieldToCell.Length; i++)
        {
            var cell = _fieldToCell[i] < 0 || _fieldToCell[i] >= row.Cells.Length ? null : row.Cells[_fieldToCell[i]];
            if (cell is null)
            {
                ok &= TryConvert(i, cell, row.RowNumber, issues, out values[i]);
                continue;
            }
            ref var known = ref _accepted[i * AcceptedWays + (RuntimeHelpers.GetHashCode(cell) & (AcceptedWays - 1))];
            if (ReferenceEquals(known.Cell, cell))
            {
                values[i] = known.Value;
                continue;
            }
            var before = issues.Count;
            var accepted = TryConvert(i, cell, row.RowNumber, issues, out values[i]);
            if (accepted && issues.Count == before) known = (cell, values[i]);
            ok &= accepted;
        }
        if (!ok) return null;
        var report = Reporter(issues);
        _rowRules.Check(row.RowNumber, values, report);
        _fileRules.Observe(row.RowNumber, values, report);
        return _parsesIndicator ? WithParsedIndicator(values, row.RowNumber, issues) : values;
    }

    /// <summary>Fills in the parsed 指标值 columns after the fields; null when the target is unreadable.</summary>
    private object?[]? WithParsedIndicator(object?[] values, int row, List<LoadIssue> issues)
    {
        var (parsed, problems) = _parsed.Derive(values);
        foreach (var p in problems)
            issues.Add(Issue(_source, row, p.Header, p.Value, p.IsError ? Severity.Error : Severity.Warning, p.Message));
        if (parsed is null) return null;
        parsed.CopyTo(values, _fieldToCell.Length);
        return values;
    }

    /// <summary>The checks across rows (分值 sums, duplicates, 年度资金总额 against its detail): call after the last row.</summary>
    public void Finish(List<LoadIssue> issues) => _fileRules.Finish(Reporter(issues));

    /// <summary>The rules' report callback into <paramref name="issues"/> (the loader passes the same list for every row: made once).</summary>
    private Action<int, string, object?, Severity, string> Reporter(List<LoadIssue> issues)
    {
        if (ReferenceEquals(issues, _reporting)) return _reporter!;
        _reporting = issues;
        return _reporter = (row, column, value, severity, message) =>
            issues.Add(Issue(_source, row, column, value is decimal d ? d.ToString("0.####") : value?.ToString(), severity, message));
    }

    private bool TryConvert(int index, string? cell, int row, List<LoadIssue> issues, out object? value)
    {
        var field = _kind.Fields[index];
        value = null;
        var text = cell?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (!field.Required) return true;
            if (field.Column == "possibility" && _resultBlank)
            {
                // an indicator with no result is 未填报 (a pre-printed common indicator left unfilled): its likelihood is not judged
                issues.Add(Issue(_source, row, field.Header, cell, Severity.Warning, $"「{field.Header}」为空：该指标未填报执行情况，不作判断"));
                return true;
            }
            if (field.Measured)
            {
                issues.Add(Issue(_source, row, field.Header, cell, Severity.Warning, $"「{field.Header}」未填报：该指标不计分，项目在补报前为未评"));
                return true;
            }
            issues.Add(Issue(_source, row, field.Header, cell, Severity.Error, $"必填项「{field.Header}」为空"));
            return false;
        }
        if (CellRules.IsTemplateText(text))
        {
            issues.Add(Issue(_source, row, field.Header, cell, Severity.Error, $"「{field.Header}」仍是模板的说明或示例文字，请填写实际内容"));
            return false;
        }

        switch (field.Type)
        {
            case FieldType.Integer when CellParser.TryInteger(text, out var i):
                value = i;
                return true;
            case FieldType.Amount when CellParser.TryAmount(text, out var d) && d < 0:
                issues.Add(Issue(_source, row, field.Header, cell, Severity.Error, $"「{field.Header}」不能为负数"));
                return false;
            case FieldType.Amount when CellParser.TryAmount(text, out var d):
                value = d;
                return true;
            case FieldType.Text when !_checked[index]:
                value = text;
                return true;
            case FieldType.Text:
                var folded = CellParser.Fold(text);
                if (CellRules.CheckFolded(field, folded) is { } reason)
                {
                    issues.Add(Issue(_source, row, field.Header, cell, Severity.Error, reason));
                    return false;
                }
                value = _vocabulary[index] ? folded : text;
                return true;
            default:
                issues.Add(Issue(_source, row, field.Header, cell, Severity.Error,
                    field.Type == FieldType.Integer ? $"「{field.Header}」不是有效的整数" : $"「{field.Header}」不是有效的数字"));
                return false;
        }
    }

    /// <summary>An issue; a form's column is named with its sheet letter too (期间执行数（H列）).</summary>
    private static LoadIssue Issue(ISubmissionSource source, int row, string column, string? value, Severity severity, string message) =>
        new(source.FileName, source.Sheet, row,
            source is ISheetColumns sheet && sheet.LetterOf(column) is { } letter ? $"{column}（{letter}列）" : column, value, severity, message);
}
