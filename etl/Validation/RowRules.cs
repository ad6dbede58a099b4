using BudgetPerf.Etl.Submissions;

namespace BudgetPerf.Etl.Validation;

/// <summary>
/// Checks of one typed row that relate its cells (DESIGN §3): 执行数 above 预算数 (warning), a 预算执行率 分值 other
/// than 10 (warning: some provinces use 20).
/// </summary>
internal sealed class RowRules(SubmissionKind kind)
{
    /// <summary>The standard 分值 of 预算执行率.</summary>
    public const decimal BudgetWeight = 10m;

    public const string TotalLine = "年度资金总额";
    public const string BudgetRateIndicator = "预算执行率";

    private readonly int _fundLine = kind.IndexOf("fund_line");
    private readonly int _initial = kind.IndexOf("initial_budget");
    private readonly int _adjusted = kind.IndexOf("adjusted_budget");
    private readonly int _executed = kind.IndexOf("executed");
    private readonly int _annualBudget = kind.IndexOf("annual_budget");
    private readonly int _annualExecuted = kind.IndexOf("annual_executed");
    private readonly int _weight = kind.IndexOf("weight");
    private readonly int _planned = kind.IndexOf("planned_execution");
    private readonly int _level3 = kind.IndexOf("level3");

    public void Check(int row, object?[] values, Action<int, string, object?, Severity, string> report)
    {
        // a monitoring fund line needs a budget to be judged: 年初预算数, 调整后预算数, or (表2-2 / 表1-2) 期间计划执行数
        if (_planned >= 0 && _initial >= 0 && At(values, _initial) is null && At(values, _adjusted) is null && At(values, _planned) is null)
            report(row, "年初预算数", null, Severity.Error, "年初预算数、调整后预算数与期间计划执行数都为空：至少填写一项（表2-2 以半年计划执行数为准）");

        if (_executed >= 0 && values[_executed] is decimal executed
            && (At(values, _adjusted) ?? At(values, _initial)) is { } budget && executed > budget)
            report(row, "期间执行数", executed, Severity.Warning,
                $"期间执行数 {executed} 大于预算数 {budget}（预算数取调整后预算数，未填时取年初预算数），请核实");

        if (_annualExecuted >= 0 && values[_annualExecuted] is decimal done && At(values, _annualBudget) is { } annual && done > annual)
            report(row, "全年执行数", done, Severity.Warning, $"全年执行数 {done} 大于全年预算数 {annual}，请核实");

        var isBudgetWeight = _fundLine >= 0 ? values[_fundLine] as string == TotalLine
                           : _level3 >= 0 && values[_level3] as string == BudgetRateIndicator;
        if (_weight >= 0 && isBudgetWeight && values[_weight] is decimal w && w != BudgetWeight)
            report(row, "分值", w, Severity.Warning, $"预算执行率分值为 {w}，通常为 {BudgetWeight}（部分省份为 20），请核实");
    }

    private static decimal? At(object?[] values, int index) => index >= 0 ? values[index] as decimal? : null;
}
