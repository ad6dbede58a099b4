using BudgetPerf.Etl.Indicators;
using BudgetPerf.Etl.Submissions;

namespace BudgetPerf.Etl.Validation;

/// <summary>
/// Remembers the 指标值 parser's answer for the cells it reads (年度指标值, 指标性质, 计量单位, 三级指标, 期间指标值,
/// the result): a file repeats the same targets and results over and over, so most rows are a lookup instead of
/// a parse (the parse was ~60% of validation time in <c>bench etl</c>). Bounded, so memory stays flat on any file.
/// </summary>
internal sealed class ParsedIndicatorCache(SubmissionKind kind)
{
    private const int Capacity = 100_000;

    private readonly record struct Key(string? Target, string? Comparator, string? Unit, string? Level3, string? PeriodTarget, string? Actual);

    private readonly int _target = kind.IndexOf("annual_target"), _comparator = kind.IndexOf("comparator"), _unit = kind.IndexOf("unit"),
        _level3 = kind.IndexOf("level3"), _periodTarget = kind.IndexOf("period_target"),
        _actual = kind.IndexOf("period_actual") is >= 0 and var a ? a : kind.IndexOf("actual");

    private readonly Dictionary<Key, (object?[]? Parsed, IndicatorColumns.CellProblem[] Problems)> _known = [];

    public (object?[]? Parsed, IndicatorColumns.CellProblem[] Problems) Derive(object?[] values)
    {
        var key = new Key(At(values, _target), At(values, _comparator), At(values, _unit), At(values, _level3),
            At(values, _periodTarget), At(values, _actual));
        if (_known.TryGetValue(key, out var known)) return known;
        var problems = new List<IndicatorColumns.CellProblem>();
        var result = (IndicatorColumns.Derive(kind, values, problems), problems.ToArray());
        if (_known.Count < Capacity) _known[key] = result;
        return result;
    }

    private static string? At(object?[] values, int index) => index >= 0 ? values[index] as string : null;
}
