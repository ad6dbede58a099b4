using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Policy;

namespace BudgetPerf.Tests.Integration.Web;

/// <summary>
/// Who may export is the 政策参数 export_roles (issue 18): every role by default; a 管理员's narrower list applies after
/// the rebuild the change causes; a list naming no real role is refused. Its own host: the change would leak into the
/// access matrix.
/// </summary>
public sealed class ExportPolicyTests(ExportPolicyTests.Host host) : IClassFixture<ExportPolicyTests.Host>
{
    /// <summary>A dashboard of its own (the class fixture of the matrix is another instance).</summary>
    public sealed class Host : DashboardHost;

    [Fact]
    public async Task Export_roles_policy_decides_who_exports_and_takes_effect_after_the_rebuild()
    {
        Assert.Equal(200, (int)(await (await host.SignInAsync("leader")).GetAsync("/export/ranking?format=csv")).StatusCode);
        Assert.Equal(200, (int)(await (await host.SignInAsync("finance")).GetAsync("/export/cuts?format=xlsx")).StatusCode);

        var store = new PolicyStore(host.Engine);
        Assert.Contains("校长", await store.ProblemAsync(PolicyStore.ExportRoles, "分析;校长"));
        await store.SetAsync(PolicyStore.ExportRoles, "分析;部门", "admin", "只许分析和部门导出");
        using var target = new Support.TempDir();
        Assert.True((await new ModelRunner(host.Engine).BuildAsync(new BuildOptions { ArtifactsDir = target.File("t") })).Success);

        Assert.Equal(403, (int)(await (await host.SignInAsync("leader")).GetAsync("/export/ranking?format=csv")).StatusCode);
        Assert.Equal(403, (int)(await (await host.SignInAsync("admin")).GetAsync("/export/ranking?format=csv")).StatusCode);
        Assert.Equal(200, (int)(await (await host.SignInAsync("analyst")).GetAsync("/export/ranking?format=csv")).StatusCode);
        Assert.Equal(200, (int)(await (await host.SignInAsync("dept")).GetAsync("/export/ranking?format=csv")).StatusCode);
    }
}
