using BudgetPerf.Dashboard.Reports;
using BudgetPerf.Warehouse.Queries;

namespace BudgetPerf.Tests.Unit.Reports;

/// <summary>Issue 13: a submitted target is echoed without a doubled comparator; a missing 项目起止时间 is said once.</summary>
public sealed class ReportTextTests
{
    private static IndicatorDerivationRow Row(string comparator, string target, string unit) => new()
    {
        Level3 = "借阅量", Comparator = comparator, AnnualTarget = target, Unit = unit, PeriodActual = "6000",
        TargetComparator = "≥", TargetValue = 12000m, TargetUnit = "卷", ActualValue = 6000m, ExpectedValue = 6000m,
        // mart_indicator_derivation's figures for these values: 100 × 6000 / 12000 = 50.0; 100 × (6000 − 6000) / 6000 = 0.0
        CompletionPercent = 50.0m, DeviationPercent = 0.0m, DeviationDirection = "符合序时进度",
    };

    [Theory]
    [InlineData("≥", "≧１２０００", "卷", "≧１２０００卷")]    // the value carries a full-width comparator: not ≥≧
    [InlineData("≥", "≥12000", "卷", "≥12000卷")]
    [InlineData("≥", "12000", "卷", "≥12000卷")]              // a bare number takes the 指标性质 symbol
    [InlineData("≥", "不低于12000卷", "卷", "不低于12000卷")]
    [InlineData("定性", "达到国家相关质量标准", "", "达到国家相关质量标准")]
    public void A_target_is_echoed_with_one_comparator(string comparator, string target, string unit, string expected) =>
        Assert.Equal(expected, IndicatorSentence.TargetText(Row(comparator, target, unit)));

    [Fact]
    public void The_forms_sentence_never_doubles_the_comparator()
    {
        // 6000 / 12000 = 50.0%; (6000 − 6000) / 6000 = 0 → 符合序时进度
        Assert.Equal("2024年度目标值为≧１２０００卷，1-6月执行情况为6000卷，完成年度目标值的50.0%，偏差率为0.0%（符合序时进度）。",
            IndicatorSentence.For(Row("≥", "≧１２０００", "卷"), 2024, "1-6月"));
    }

    [Theory]
    [InlineData(null, null, "未填报")]
    [InlineData("", "", "未填报")]
    [InlineData("2024年1月", null, "2024年1月起（结束日期未填报）")]
    [InlineData(null, "2024年12月", "至2024年12月（开始日期未填报）")]
    [InlineData("2024年1月", "2024年12月", "2024年1月至2024年12月")]
    public void Project_start_and_end_say_a_missing_date_once(string? start, string? end, string expected) =>
        Assert.Equal(expected, MonitoringReport.StartEnd(start, end));
}
