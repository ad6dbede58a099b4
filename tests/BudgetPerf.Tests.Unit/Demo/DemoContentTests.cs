using System.Globalization;
using System.Text.RegularExpressions;
using BudgetPerf.Etl.Demo;
using BudgetPerf.Etl.Submissions;

namespace BudgetPerf.Tests.Unit.Demo;

/// <summary>What the demo files hold: the spec's headers, framework indicators, weights, realistic spreads.</summary>
public sealed partial class DemoContentTests(DemoFiles demo) : IClassFixture<DemoFiles>
{
    /// <summary>The <c>*</c> columns of spec/submissions.md, by the family in the file name.</summary>
    private static readonly Dictionary<string, string[]> Required = new()
    {
        ["项目信息"] = ["项目编码", "项目名称", "主管部门编码", "主管部门"],
        ["监控资金"] = ["年度", "期间", "项目编码", "资金类别", "年初预算数", "期间执行数"],
        ["监控指标"] = ["年度", "期间", "项目编码", "一级指标", "二级指标", "三级指标", "年度指标值", "期间执行情况", "完成目标可能性"],
        ["自评资金"] = ["年度", "项目编码", "资金类别", "全年预算数", "全年执行数"],
        ["自评指标"] = ["年度", "项目编码", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值"],
        ["纠偏"] = ["年度", "季度", "项目编码", "一级指标", "二级指标", "三级指标"],
        ["调整"] = ["年度", "项目编码", "调整原因及依据"],
        ["部门整体监控资金"] = ["年度", "期间", "部门编码", "资金类别", "年初预算数", "期间执行数"],
        ["部门整体监控指标"] = ["年度", "期间", "部门编码", "一级指标", "二级指标", "三级指标", "年度指标值", "期间执行情况", "完成目标可能性"],
        ["部门整体自评资金"] = ["年度", "部门编码", "资金类别", "全年预算数", "全年执行数"],
        ["部门整体自评指标"] = ["年度", "部门编码", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值"],
    };

    private static string Family(string path) => Path.GetFileNameWithoutExtension(path).Split('_')[^1];

    private IEnumerable<string> FilesOf(params string[] families) => demo.Paths.Where(p => families.Contains(Family(p)));

    [Fact]
    public void Every_file_has_the_spec_required_headers_and_is_recognised_as_its_family()
    {
        foreach (var path in demo.Paths)
        {
            var headers = DemoFiles.Headers(path);
            var family = Family(path);

            Assert.All(Required[family], h => Assert.Contains(h, headers));
            Assert.Equal(headers.Count, headers.Distinct().Count());
            Assert.Equal(family, SubmissionKinds.Recognize(headers)?.Title);
        }
    }

    [Fact]
    public void Every_indicator_row_is_a_row_of_the_framework()
    {
        var framework = IndicatorFramework.LoadDefault();
        var rows = FilesOf("监控指标", "自评指标", "纠偏", "部门整体监控指标", "部门整体自评指标").SelectMany(DemoFiles.Rows)
            .Concat(FilesOf("调整").SelectMany(DemoFiles.Rows).Where(r => r["三级指标"].Length > 0));

        var count = 0;
        foreach (var r in rows)
        {
            Assert.True(framework.Contains(r["一级指标"], r["二级指标"], r["三级指标"]), $"{r["一级指标"]}/{r["二级指标"]}/{r["三级指标"]}");
            count++;
        }
        Assert.True(count > 40_000, $"{count} indicator rows");
    }

    [Fact]
    public void The_framework_covers_every_category_with_units_comparators_and_sectors()
    {
        var framework = IndicatorFramework.LoadDefault();
        var level2 = framework.Indicators.Select(i => i.Level2).ToHashSet();

        Assert.Subset(level2, new HashSet<string>
        {
            "数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标", "服务对象满意度指标",
        });
        Assert.Subset(framework.Indicators.Select(i => i.Level3).ToHashSet(),
            new HashSet<string> { "培训人次", "新建校舍面积", "验收合格率", "项目完成及时率", "设备购置成本", "带动农民增收", "受益群众满意度", "制度健全性" });
        Assert.All(framework.Indicators, i => Assert.Contains(i.Comparator, new[] { "≥", "≤", "=", "定性" }));
        Assert.All(framework.Indicators.Where(i => i.IsQualitative), i => Assert.Null(i.Unit));
        Assert.Subset(framework.Indicators.Select(i => i.Sector).ToHashSet(), new HashSet<string> { "通用", "教育", "卫生", "农业", "水利", "交通", "民政", "文化", "部门整体" });
    }

    [Fact]
    public void Self_evaluation_weights_sum_to_exactly_100_per_project_and_department()
    {
        // 10 on the 年度资金总额 line (预算执行率) + 90 over the indicators
        var sums = new Dictionary<string, decimal>();
        void Add(string key, string weight)
        {
            if (weight.Length == 0) return;
            sums[key] = sums.GetValueOrDefault(key) + decimal.Parse(weight, CultureInfo.InvariantCulture);
        }
        foreach (var r in DemoFiles.Rows(demo.File("2025_自评资金.csv")))
        {
            Assert.Equal(r["资金类别"] == "年度资金总额" ? "10" : "", r["分值"]);
            Add("p" + r["项目编码"], r["分值"]);
        }
        foreach (var r in DemoFiles.Rows(demo.File("2025_自评指标.csv"))) Add("p" + r["项目编码"], r["分值"]);
        foreach (var r in DemoFiles.Rows(demo.File("2025_部门整体自评资金.csv"))) Add("d" + r["部门编码"], r["分值"]);
        foreach (var r in DemoFiles.Rows(demo.File("2025_部门整体自评指标.csv"))) Add("d" + r["部门编码"], r["分值"]);

        Assert.True(sums.Count > 1_300);
        Assert.All(sums, kv => Assert.Equal(100m, kv.Value));
    }

    [Fact]
    public void Projects_carry_8_to_20_indicators()
    {
        var counts = DemoFiles.Rows(demo.File("2026_1-6月_监控指标.csv")).CountBy(r => r["项目编码"]).Select(kv => kv.Value).ToList();

        Assert.InRange(counts.Min(), 8, 20);
        Assert.InRange(counts.Max(), 8, 20);
    }

    [Fact]
    public void Mid_year_execution_is_mostly_35_to_60_percent_with_a_lagging_tail_and_a_few_ahead()
    {
        var rates = DemoFiles.Rows(demo.File("2026_1-6月_监控资金.csv"))
            .Where(r => r["资金类别"] == "年度资金总额")
            .Select(r => Amount(r["期间执行数"]) / Amount(r["调整后预算数"].Length > 0 ? r["调整后预算数"] : r["年初预算数"]))
            .ToList();
        double Share(Func<decimal, bool> p) => rates.Count(p) / (double)rates.Count;

        Assert.InRange(Share(x => x is >= 0.35m and <= 0.60m), 0.55, 0.80);
        Assert.InRange(Share(x => x < 0.20m), 0.04, 0.20);
        Assert.InRange(Share(x => x > 0.65m), 0.01, 0.12);
    }

    [Fact]
    public void Monitoring_has_doubtful_targets_with_causes_blank_results_and_carry_over_lines()
    {
        var indicators = DemoFiles.Rows(demo.File("2025_1-6月_监控指标.csv")).ToList();
        var funds = DemoFiles.Rows(demo.File("2025_1-6月_监控资金.csv")).ToList();

        var impossible = indicators.Where(r => r["完成目标可能性"] == "完全不可能").ToList();
        Assert.NotEmpty(impossible);
        Assert.Contains(indicators, r => r["完成目标可能性"] == "有可能");
        Assert.All(impossible, r => Assert.NotEqual("", r["偏差原因"]));
        Assert.Contains(indicators, r => r["改进措施"].Length > 0);
        Assert.Contains(indicators, r => r["期间执行情况"].Length == 0);
        var carry = funds.Where(r => r["资金类别"] == "上年结转资金").ToList();
        Assert.NotEmpty(carry);
        Assert.All(carry, r => Assert.InRange(int.Parse(r["结转年数"], CultureInfo.InvariantCulture), 1, 3));
        Assert.Contains(carry, r => r["结转年数"] != "1");
    }

    [Fact]
    public void Published_scores_sometimes_differ_from_the_rule()
    {
        // the rule for the 预算执行率 line: 10 × min(1, 全年执行数 / 全年预算数), to 2 decimals
        var totals = DemoFiles.Rows(demo.File("2025_自评资金.csv")).Where(r => r["资金类别"] == "年度资金总额").ToList();
        var differing = totals.Count(r => r["得分"].Length > 0 &&
            Amount(r["得分"]) != Math.Round(10 * Math.Min(1, Amount(r["全年执行数"]) / Amount(r["全年预算数"])), 2, MidpointRounding.AwayFromZero));

        Assert.InRange(differing / (double)totals.Count, 0.02, 0.30);
    }

    [Fact]
    public void Corrections_and_adjustments_are_present_for_known_projects()
    {
        var projects = DemoFiles.Rows(demo.File("2025_1-6月_监控资金.csv")).Select(r => r["项目编码"]).ToHashSet();
        var corrections = DemoFiles.Rows(demo.File("2025_纠偏.csv")).ToList();
        var adjustments = DemoFiles.Rows(demo.File("2025_调整.csv")).ToList();

        Assert.InRange(corrections.Count, 20, 1_000);
        Assert.InRange(adjustments.Count, 10, 1_000);
        Assert.All(corrections.Concat(adjustments), r => Assert.Contains(r["项目编码"], projects));
        Assert.All(adjustments, r => Assert.NotEqual("", r["调整原因及依据"]));
    }

    [Fact]
    public void A_handful_of_near_duplicate_projects_sit_in_different_departments()
    {
        var byName = DemoFiles.Rows(demo.File("项目信息.csv")).ToDictionary(r => r["项目名称"], r => r["主管部门编码"]);

        Assert.NotEqual(byName["国土绿化造林项目"], byName["国土绿化植树造林项目"]);
        Assert.NotEqual(byName["农民工职业技能提升培训项目"], byName["农民职业技能提升培训项目"]);
    }

    [Fact]
    public void Amounts_are_invariant_numbers_with_at_most_4_decimals()
    {
        var columns = new[] { "年初预算数", "调整后预算数", "期间计划执行数", "期间执行数", "全年预计执行数", "全年预算数", "全年执行数", "分值", "得分" };
        foreach (var path in FilesOf("监控资金", "自评资金", "部门整体监控资金", "部门整体自评资金"))
        foreach (var r in DemoFiles.Rows(path))
        foreach (var c in columns.Where(r.ContainsKey).Where(c => r[c].Length > 0))
            Assert.Matches(AmountPattern(), r[c]);
    }

    private static decimal Amount(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^-?\d+(\.\d{1,4})?$")]
    private static partial Regex AmountPattern();
}
