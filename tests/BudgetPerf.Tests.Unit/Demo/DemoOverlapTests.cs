using BudgetPerf.Etl.Demo;

namespace BudgetPerf.Tests.Unit.Demo;

/// <summary>The demo's planted 交叉重复 truth (issue 14) and its 区划: what `bench overlap` measures against.</summary>
public sealed class DemoOverlapTests(DemoFiles demo) : IClassFixture<DemoFiles>
{
    private Dictionary<string, Dictionary<string, string>> Master() =>
        DemoFiles.Rows(demo.File("项目信息.csv")).ToDictionary(r => r["项目编码"]);

    [Fact]
    public void A_true_overlap_repeats_its_twins_goal_and_unit_and_a_look_alike_does_not()
    {
        var master = Master();
        var pairs = new DemoGenerator(DemoFiles.Options).PlantedPairs(2026).ToList();

        // 4 true overlaps and 5 look-alikes in ProjectCatalog.NearDuplicates, every department of them is never dropped
        Assert.Equal(4, pairs.Count(p => p.IsOverlap));
        Assert.Equal(5, pairs.Count(p => !p.IsOverlap));
        foreach (var p in pairs)
        {
            var (a, b) = (master[p.ProjectA], master[p.ProjectB]);
            Assert.NotEqual(a["主管部门编码"], b["主管部门编码"]);
            Assert.Equal(p.IsOverlap, a["年度总体目标"] == b["年度总体目标"]);
            Assert.Equal(p.IsOverlap, a["实施单位"] == b["实施单位"]);
        }
    }

    [Fact]
    public void Every_project_carries_its_counties_region_code_and_names()
    {
        Assert.All(Master().Values, r =>
        {
            Assert.Equal("660121", r["区划代码"]);
            Assert.Equal("河西省", r["省级区划"]);
            Assert.Equal("金川市", r["市级区划"]);
            Assert.Equal("示范县", r["县级区划"]);
        });
    }
}
