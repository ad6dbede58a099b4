using BudgetPerf.Dashboard;
using BudgetPerf.Dashboard.Security;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Security;

/// <summary>政策参数: a 管理员 changes a policy option, the models rebuild with it; others may not; bad values are refused.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PolicyTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<WarehouseEngine> BuiltAsync(string engineName) => HandMade.BuildAsync(engineName, _dir, postgres,
        ("mf.csv", MonitoringFundHeader + "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n"));

    private static System.Security.Claims.ClaimsPrincipal As(string role) =>
        CallerClaims.PrincipalOf(new AppUser { UserName = "u-" + role, Roles = role });

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task An_administrators_change_of_the_schedule_basis_reaches_the_marts(string engineName)
    {
        var engine = await BuiltAsync(engineName);
        var policy = new PolicyService(engine, new WarehouseRebuild(engine));
        Assert.Equal(0.5m, (await new ProjectDrillQueries(engine).DeviationAsync(DataScope.All, "M01")).Single().ScheduleRate);

        // others may not; bad values are refused with the reason, nothing recorded
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => policy.ChangeAsync(As("财政"), "schedule_basis", "day", null));
        Assert.Contains("month / day", (await policy.ChangeAsync(As("管理员"), "schedule_basis", "week", null)).Problem);
        Assert.Contains("应为数字", (await policy.ChangeAsync(As("管理员"), "year_end_execution_min", "八成", null)).Problem);
        Assert.Contains("没有监控期间", (await policy.ChangeAsync(As("管理员"), "default_period", "1-13月", null)).Problem);
        Assert.Contains("没有名为", (await policy.ChangeAsync(As("管理员"), "no_such_setting", "1", null)).Problem);
        Assert.All(await policy.Store.ListAsync(), s => Assert.Null(s.ChangedBy));

        // when the administrator switches 序时进度 to the day basis
        var change = await policy.ChangeAsync(As("管理员"), "schedule_basis", "day", "按日计算序时进度");
        Assert.Null(change.Problem);
        Assert.True(change.Build!.Success);

        // then 1-6月 of 2025 is 181/365 = 0.4959 in the marts, the option says who changed it, and the audit log has it
        Assert.Equal(0.4959m, (await new ProjectDrillQueries(engine).DeviationAsync(DataScope.All, "M01")).Single().ScheduleRate);
        var basis = Assert.Single(await policy.Store.ListAsync(), s => s.Setting == "schedule_basis");
        Assert.Equal(("day", "month", "u-管理员"), (basis.Value, basis.DefaultValue, basis.ChangedBy));
        Assert.Contains(await new UserStore(engine).RecentAuditAsync(10),
            e => e.Action == "policy.set" && e.Detail == "schedule_basis: month → day（按日计算序时进度）");
    }
}
