using System.Globalization;

namespace BudgetPerf.Warehouse.Scenarios;

/// <summary>
/// 预算安排模拟方案 (allocation_scenario, migration 0090): a named set of allocation rules for one evaluated year. Its
/// percentages are of the amount concerned (negative = cut); <see cref="ExecutionMin"/> is a ratio (0.8 = 80%).
/// </summary>
public sealed class AllocationScenario
{
    public long ScenarioId { get; set; }
    public string Name { get; set; } = "";
    public string Owner { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public int FiscalYear { get; set; }
    /// <summary>优先保障 (优/良) 上调比例 %.</summary>
    public decimal SupportedChangePct { get; set; }
    /// <summary>从紧安排 (中) 调整比例 %.</summary>
    public decimal MidChangePct { get; set; }
    /// <summary>削减 (差) 调整比例 %.</summary>
    public decimal PoorChangePct { get; set; }
    /// <summary>整改未到位 再削减比例 %.</summary>
    public decimal AgainChangePct { get; set; }
    /// <summary>年末执行率 削减阈值 (ratio).</summary>
    public decimal ExecutionMin { get; set; }
    /// <summary>结转资金 收回年数.</summary>
    public int RecoverYears { get; set; }
    public string? Note { get; set; }

    /// <summary>The parameters in one line, for the audit log and the page (e.g. 优良 +0%，中 −10%，差 −30% …).</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{FiscalYear} 年：优/良 {Pct(SupportedChangePct)}，中 {Pct(MidChangePct)}，差 {Pct(PoorChangePct)}，整改未到位 {Pct(AgainChangePct)}，" +
        $"执行率阈值 {ExecutionMin * 100:0.##}%，收回结转 {RecoverYears} 年");

    private static string Pct(decimal value) => (value > 0 ? "+" : "") + value.ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>Why the parameters cannot be saved, or null: a name, percentages within −100…+100, a ratio within 0…1.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Name)) return "方案名称不能为空";
        if (Name.Trim().Length > 100) return "方案名称不能超过 100 字";
        foreach (var (label, value) in new[] { ("优/良 上调", SupportedChangePct), ("中 调整", MidChangePct), ("差 削减", PoorChangePct), ("整改未到位", AgainChangePct) })
            if (value is < -100 or > 100) return $"{label} 比例应在 −100% 与 +100% 之间（收到 {value}）";
        if (ExecutionMin is < 0 or > 1) return $"执行率阈值应在 0% 与 100% 之间（收到 {ExecutionMin * 100}%）";
        if (RecoverYears is < 1 or > 10) return $"收回结转年数应在 1 与 10 之间（收到 {RecoverYears}）";
        return null;
    }
}

/// <summary>
/// One line of <c>sql/queries/what_if_allocation.sql</c>: a side (0 = the policy in force, else a scenario id), a
/// department (null on the scope total) and a rule (null on a total line), with 本年预算, 建议调整 and 下年建议安排 (万元).
/// </summary>
public sealed class WhatIfLine
{
    public long Side { get; set; }
    /// <summary>现行政策 or the scenario's name.</summary>
    public string? SideName { get; set; }
    public string? DepartmentCode { get; set; }
    public string? DepartmentName { get; set; }
    public string? Flag { get; set; }
    public int IsScopeTotal { get; set; }
    public int IsRuleTotal { get; set; }
    public long Projects { get; set; }
    public decimal? Budget { get; set; }
    public decimal? Change { get; set; }
    public decimal? Allocation { get; set; }
}
