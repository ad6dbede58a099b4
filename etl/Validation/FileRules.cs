using BudgetPerf.Etl.Submissions;

namespace BudgetPerf.Etl.Validation;

/// <summary>
/// Checks across the rows of one file, kept streaming (small per-key sums, never the rows themselves), reported
/// once the last row has been read:
/// duplicate indicator (or fund) rows; self-evaluation 分值 per project summing to 100 (error) and the 60% rule
/// (warning); a 年度资金总额 row that is zero while its detail rows are not (warning: models use the detail sum).
/// </summary>
internal sealed class FileRules
{
    /// <summary>Level-1 indicators whose 分值 must together reach 60: 产出、成本、效益、满意度 (project), 履职、效益、满意度 (department).</summary>
    private static readonly string[] CoreLevel1 = ["产出", "成本", "效益", "满意度", "履职"];

    private readonly SubmissionKind _kind;
    private readonly Func<int, string, decimal?> _budgetWeightOf;
    private readonly int[] _keyColumns;
    private readonly int _year, _code, _period, _level1, _level3, _weight, _fundLine, _budget, _executed;
    private readonly bool _weighted;
    private readonly FirstRows _seen = new();
    private readonly Dictionary<(int Year, string Code), WeightSum> _weights = [];
    private readonly Dictionary<(int Year, string? Period, string Code), FundSum> _funds = [];

    private sealed class WeightSum
    {
        public int FirstRow;
        public decimal Total, Core;
        public bool HasBudgetRate;
    }

    private sealed class FundSum
    {
        public int TotalRow;
        public decimal? TotalBudget, TotalExecuted;
        public decimal DetailBudget, DetailExecuted;
    }

    /// <param name="budgetWeightOf">
    /// The 预算执行率 分值 already submitted for (年度, 编码) in a self-evaluation fund file, when known; 10 otherwise.
    /// </param>
    public FileRules(SubmissionKind kind, Func<int, string, decimal?>? budgetWeightOf = null)
    {
        _kind = kind;
        _budgetWeightOf = budgetWeightOf ?? ((_, _) => null);
        _year = kind.IndexOf("fiscal_year");
        _code = kind.IndexOf("project_code") is >= 0 and var p && kind.Fields[p].Required ? p : kind.IndexOf("department_code");
        _period = kind.IndexOf("period") is >= 0 and var q ? q : kind.IndexOf("quarter");
        _level1 = kind.IndexOf("level1");
        _level3 = kind.IndexOf("level3");
        _weight = kind.IndexOf("weight");
        _fundLine = kind.IndexOf("fund_line");
        _budget = kind.IndexOf("initial_budget") is >= 0 and var b && kind.IndexOf("annual_budget") < 0 ? b : kind.IndexOf("annual_budget");
        _executed = kind.IndexOf("executed") is >= 0 and var e ? e : kind.IndexOf("annual_executed");
        _weighted = kind.Code.EndsWith("selfeval_indicator", StringComparison.Ordinal);

        int[] identity = kind.Code == "project" ? [kind.IndexOf("project_code")] : [_year, _period, _code];
        _keyColumns = _level3 >= 0 && kind.Fields[_level3].Required ? [.. identity, _level1, kind.IndexOf("level2"), _level3]
                    : _fundLine >= 0 ? [.. identity, _fundLine]
                    : kind.Code == "project" ? identity : [];
        _keyColumns = [.. _keyColumns.Where(i => i >= 0)];
    }

    public void Observe(int row, object?[] values, Action<int, string, object?, Severity, string> report)
    {
        if (_keyColumns.Length > 0)
        {
            if (_seen.FirstOrAdd(Hash(values), row) is var first and > 0)
                report(row, _kind.Fields[_keyColumns[^1]].Header, values[_keyColumns[^1]], Severity.Error,
                    $"与第{first}行重复（{string.Join("、", _keyColumns.Select(i => _kind.Fields[i].Header))}相同）");
        }
        if (_year < 0 || _code < 0 || values[_year] is not int year || values[_code] is not string code) return;

        if (_weighted && values[_weight] is decimal w)
        {
            if (!_weights.TryGetValue((year, code), out var sum)) _weights[(year, code)] = sum = new WeightSum { FirstRow = row };
            sum.Total += w;
            if (values[_level1] is string l1 && CoreLevel1.Any(l1.StartsWith)) sum.Core += w;
            sum.HasBudgetRate |= values[_level3] as string == RowRules.BudgetRateIndicator;
        }

        if (_fundLine >= 0 && values[_fundLine] is string line)
        {
            var period = _period >= 0 ? values[_period] as string : null;
            if (!_funds.TryGetValue((year, period, code), out var f)) _funds[(year, period, code)] = f = new FundSum();
            var budget = _budget >= 0 ? values[_budget] as decimal? : null;
            var executed = _executed >= 0 ? values[_executed] as decimal? : null;
            if (line == RowRules.TotalLine)
            {
                f.TotalRow = row;
                f.TotalBudget = budget;
                f.TotalExecuted = executed;
            }
            else
            {
                f.DetailBudget += budget ?? 0;
                f.DetailExecuted += executed ?? 0;
            }
        }
    }

    public void Finish(Action<int, string, object?, Severity, string> report)
    {
        foreach (var ((year, code), sum) in _weights)
        {
            // the 预算执行率 分值 sits on the fund block (年度资金总额 line) unless the file lists it as an indicator
            var budgetWeight = sum.HasBudgetRate ? 0m : _budgetWeightOf(year, code) ?? RowRules.BudgetWeight;
            if (sum.Total + budgetWeight != 100m)
                report(sum.FirstRow, "分值", sum.Total, Severity.Error, sum.HasBudgetRate
                    ? $"{code} 的指标分值合计为 {sum.Total}，应为 100"
                    : $"{code} 的指标分值合计为 {sum.Total}，加上预算执行率 {budgetWeight} 分为 {sum.Total + budgetWeight}，应为 100");
            if (sum.Core < 60m)
                report(sum.FirstRow, "分值", sum.Core, Severity.Warning,
                    $"{code} 的产出、成本、效益、满意度（部门整体为履职、效益、满意度）指标分值合计 {sum.Core}，低于 60 分");
        }

        foreach (var ((_, _, code), f) in _funds.Where(kv => kv.Value.TotalRow > 0))
        {
            if (f.TotalBudget == 0 && f.DetailBudget != 0)
                report(f.TotalRow, _kind.Fields[_budget].Header, 0m, Severity.Warning,
                    $"{code} 的年度资金总额{_kind.Fields[_budget].Header}为 0，而明细行合计为 {f.DetailBudget}：按明细合计计算");
            if (f.TotalExecuted == 0 && f.DetailExecuted != 0)
                report(f.TotalRow, _kind.Fields[_executed].Header, 0m, Severity.Warning,
                    $"{code} 的年度资金总额{_kind.Fields[_executed].Header}为 0，而明细行合计为 {f.DetailExecuted}：按明细合计计算");
        }
    }

    /// <summary>FNV-1a (64-bit) of the key cells: 8 bytes a row instead of the strings (a collision is ~1 in 10^7 at 10^6 rows).</summary>
    private ulong Hash(object?[] values)
    {
        var h = 14695981039346656037UL;
        foreach (var i in _keyColumns)
        {
            switch (values[i])
            {
                case string text:
                    foreach (var c in text) h = (h ^ c) * 1099511628211UL;
                    break;
                case int n:   // the year: mixed in as a number, without formatting it
                    h = (h ^ (uint)n ^ 0x1_0000_0000UL) * 1099511628211UL;
                    break;
                case { } other:
                    foreach (var c in other.ToString() ?? "") h = (h ^ c) * 1099511628211UL;
                    break;
            }
            h = (h ^ 0x1F) * 1099511628211UL;
        }
        return h;
    }
}
