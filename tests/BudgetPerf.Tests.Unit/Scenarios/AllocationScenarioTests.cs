using BudgetPerf.Warehouse.Scenarios;

namespace BudgetPerf.Tests.Unit.Scenarios;

/// <summary>预算安排模拟方案's checks before saving, and the one-line description the audit log and the page show.</summary>
public sealed class AllocationScenarioTests
{
    private static AllocationScenario Valid() => new()
    {
        Name = "差 −50%", FiscalYear = 2025, SupportedChangePct = 5, MidChangePct = -10, PoorChangePct = -50, AgainChangePct = -30,
        ExecutionMin = 0.8m, RecoverYears = 2,
    };

    [Fact]
    public void A_scenario_within_the_bounds_may_be_saved_and_describes_its_parameters()
    {
        var s = Valid();
        Assert.Null(s.Problem());
        Assert.Equal("2025 年：优/良 +5%，中 -10%，差 -50%，整改未到位 -30%，执行率阈值 80%，收回结转 2 年", s.Describe());
    }

    [Theory]
    [InlineData("name", "方案名称不能为空")]
    [InlineData("poor", "差 削减 比例应在 −100% 与 +100% 之间")]
    [InlineData("execution", "执行率阈值应在 0% 与 100% 之间")]
    [InlineData("recover", "收回结转年数应在 1 与 10 之间")]
    public void A_scenario_out_of_bounds_is_refused_with_the_reason(string field, string reason)
    {
        var s = Valid();
        switch (field)
        {
            case "name": s.Name = "  "; break;
            case "poor": s.PoorChangePct = -130; break;
            case "execution": s.ExecutionMin = 1.2m; break;
            default: s.RecoverYears = 0; break;
        }
        Assert.StartsWith(reason, s.Problem());
    }
}
