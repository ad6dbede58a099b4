using System.Globalization;
using BudgetPerf.Etl.Demo;

namespace BudgetPerf.Tests.Unit.Demo;

public sealed class DemoGeneratorTests(DemoFiles demo) : IClassFixture<DemoFiles>
{
    [Fact]
    public void Same_seed_gives_byte_identical_files()
    {
        // given a second run with the same options, under another culture (decimal comma) to catch culture leaks
        var dir = DemoFiles.Temp("again");
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var again = new DemoGenerator(DemoFiles.Options).Generate(dir);

            // then every file hashes the same
            Assert.Equal(DemoFiles.Hashes(demo.Paths), DemoFiles.Hashes(again));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Different_seed_gives_different_files()
    {
        var dir = DemoFiles.Temp("other");
        try
        {
            var other = new DemoGenerator(DemoFiles.Options with { Seed = 43 }).Generate(dir);

            var mine = DemoFiles.Hashes(demo.Paths);
            var theirs = DemoFiles.Hashes(other);
            Assert.Equal(mine.Keys.Order(), theirs.Keys.Order());
            Assert.All(mine, kv => Assert.NotEqual(kv.Value, theirs[kv.Key]));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Files_come_in_load_order_with_the_project_master_first()
    {
        var names = demo.Paths.Select(Path.GetFileName).ToList();

        Assert.Equal(
        [
            "项目信息.csv",
            "2025_1-6月_监控资金.csv", "2025_1-6月_监控指标.csv", "2025_纠偏.csv", "2025_调整.csv",
            "2025_自评资金.csv", "2025_自评指标.csv",
            "2025_1-6月_部门整体监控资金.csv", "2025_1-6月_部门整体监控指标.csv", "2025_部门整体自评资金.csv", "2025_部门整体自评指标.csv",
            "2026_1-6月_监控资金.csv", "2026_1-6月_监控指标.csv", "2026_纠偏.csv", "2026_调整.csv",
            "2026_1-6月_部门整体监控资金.csv", "2026_1-6月_部门整体监控指标.csv",
        ], names);
        Assert.All(demo.Paths, p => Assert.True(File.Exists(p), p));
    }

    [Fact]
    public void Files_are_utf8_with_bom_as_excel_saves_them()
    {
        Assert.All(demo.Paths, p => Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, File.ReadAllBytes(p)[..3]));
    }

    [Theory]
    [InlineData(2025)]
    [InlineData(2026)]
    public void A_county_has_70_to_90_departments_and_1300_to_1700_projects_a_year(int year)
    {
        var funds = DemoFiles.Rows(demo.File($"{year}_1-6月_监控资金.csv")).ToList();
        var departments = funds.Select(r => r["主管部门编码"]).Distinct().Count();
        var projects = funds.Select(r => r["项目编码"]).Distinct().Count();
        var departmentRows = DemoFiles.Rows(demo.File($"{year}_1-6月_部门整体监控资金.csv"))
            .Select(r => r["部门编码"]).Distinct().Count();

        Assert.InRange(departments, 70, 90);
        Assert.InRange(projects, 1_300, 1_700);
        Assert.Equal(departments, departmentRows);
    }

    [Fact]
    public void Most_projects_persist_into_the_next_year_under_the_same_code()
    {
        var codes2025 = DemoFiles.Rows(demo.File("2025_1-6月_监控资金.csv")).Select(r => r["项目编码"]).ToHashSet();
        var codes2026 = DemoFiles.Rows(demo.File("2026_1-6月_监控资金.csv")).Select(r => r["项目编码"]).ToHashSet();
        var master = DemoFiles.Rows(demo.File("项目信息.csv")).Select(r => r["项目编码"]).ToHashSet();

        Assert.InRange(codes2025.Intersect(codes2026).Count() / (double)codes2025.Count, 0.6, 0.95);
        Assert.Subset(master, codes2025.Union(codes2026).ToHashSet());
    }

    [Fact]
    public void The_latest_year_has_monitoring_only()
    {
        Assert.False(File.Exists(demo.File("2026_自评资金.csv")));
        Assert.False(File.Exists(demo.File("2026_自评指标.csv")));
        Assert.True(File.Exists(demo.File("2025_自评指标.csv")));
    }
}
