namespace BudgetPerf.Etl.Demo;

/// <summary>What an indicator measures, which decides how its target scales and how its results are drawn.</summary>
internal enum IndicatorKind { Qualitative, Rate, Money, Duration, Count }

/// <summary>An indicator of one project (or department) in one year: the framework row, its target and weight.</summary>
internal sealed class PlannedIndicator
{
    public required FrameworkIndicator Def { get; init; }
    public required IndicatorKind Kind { get; init; }
    /// <summary>Stable per project and indicator, to draw its results.</summary>
    public required int Salt { get; init; }
    /// <summary>The numeric 年度指标值 (not used when qualitative).</summary>
    public decimal Target { get; set; }
    /// <summary>The qualitative 年度指标值 (健全, 效果明显 …).</summary>
    public string Text { get; set; } = "";
    /// <summary>分值 at self-evaluation.</summary>
    public decimal Weight { get; set; }

    public string Comparator => Def.Comparator;
    public string? Unit => Def.Unit;

    /// <summary>Counts, money, people, area: the expected value at a period is the target times 序时进度.</summary>
    public bool Cumulative => Kind is IndicatorKind.Count or IndicatorKind.Money;

    /// <summary>Decimals reported values carry.</summary>
    public int Decimals => Kind switch
    {
        IndicatorKind.Rate => 1,
        IndicatorKind.Money => 2,
        _ => Def.Unit is "公里" or "平方公里" ? 1 : 0,
    };

    public static IndicatorKind KindOf(FrameworkIndicator def) => def switch
    {
        { IsQualitative: true } => IndicatorKind.Qualitative,
        { Unit: "%" or "‰" } => IndicatorKind.Rate,
        { Unit: "万元" or "元" } => IndicatorKind.Money,
        { Unit: "天" or "年" } => IndicatorKind.Duration,
        _ => IndicatorKind.Count,
    };
}

/// <summary>
/// Chooses a project's 8–20 indicators from the framework (its sector's rows and the generic ones, preferring those
/// whose names share words with the project's), sets realistic targets for the year's budget and the 分值 that sum to
/// 90 (the remaining 10 sit on 预算执行率).
/// </summary>
internal sealed class IndicatorPlanner(IndicatorFramework framework)
{
    private static readonly (string Level1, string Level2, int Min, int Max)[] ProjectGroups =
    [
        ("产出指标", "数量指标", 2, 6), ("产出指标", "质量指标", 1, 3), ("产出指标", "时效指标", 1, 2),
        ("产出指标", "成本指标", 0, 2), ("效益指标", "经济效益指标", 0, 1), ("效益指标", "社会效益指标", 1, 3),
        ("效益指标", "生态效益指标", 0, 1), ("效益指标", "可持续影响指标", 1, 2), ("满意度指标", "服务对象满意度指标", 1, 2),
    ];

    private static readonly (string Level1, string Level2, int Min, int Max)[] DepartmentGroups =
    [
        ("决策", "目标设定", 1, 2), ("决策", "预算配置", 1, 2), ("过程", "预算执行", 3, 5), ("过程", "预算管理", 1, 3),
        ("过程", "资产管理", 0, 2), ("履职", "数量指标", 1, 2), ("履职", "质量指标", 1, 1), ("履职", "时效指标", 1, 1),
        ("履职", "成本指标", 0, 1), ("效益", "社会效益指标", 1, 1), ("效益", "经济效益指标", 0, 1), ("效益", "生态效益指标", 0, 1),
        ("效益", "可持续影响指标", 1, 1), ("满意度", "服务对象满意度指标", 1, 2),
    ];

    /// <summary>产出 / 效益 / 满意度 shares of the 90 indicator points, with how often each split is used.</summary>
    private static readonly (int Output, int Benefit, int Satisfaction, int Weight)[] ProjectSplits =
        [(50, 30, 10, 60), (40, 40, 10, 20), (60, 20, 10, 15), (45, 30, 15, 5)];

    private static readonly Dictionary<string, int> DepartmentSplit = new()
    {
        ["决策"] = 8, ["过程"] = 17, ["履职"] = 35, ["效益"] = 20, ["满意度"] = 10,
    };

    private static readonly HashSet<string> CommonWords =
    [
        "项目", "工程", "建设", "数量", "面积", "人数", "人次", "改造", "管理", "服务", "经费", "补助", "资金", "合格",
        "及时", "完成", "成本", "满意", "意度", "公共", "群众", "情况", "水平", "能力", "发展", "保障", "实施", "达标",
    ];

    public List<PlannedIndicator> ForProject(DemoProject project, decimal budget)
    {
        var rng = DemoRandom.For(project.Seed, 11);
        var counts = ProjectGroups.Select(g => rng.Between(g.Min, g.Max)).ToArray();
        Tilt(counts, project.Sector, rng);
        var picked = new List<PlannedIndicator>(20);
        for (var g = 0; g < ProjectGroups.Length; g++)
        {
            var pool = framework.Pool(project.Sector, ProjectGroups[g].Level2);
            foreach (var def in Sample(pool, counts[g], project.Name, project.Sector, rng))
                picked.Add(Plan(def, budget, rng));
        }

        var split = ProjectSplits[rng.PickWeighted(ProjectSplits.Select(s => s.Weight).ToArray())];
        Distribute(picked, "产出指标", split.Output);
        Distribute(picked, "效益指标", split.Benefit);
        Distribute(picked, "满意度指标", split.Satisfaction);
        return picked;
    }

    public List<PlannedIndicator> ForDepartment(DemoDepartment department, int projectCount)
    {
        var rng = DemoRandom.For(department.Seed, 12);
        var picked = new List<PlannedIndicator>(24);
        foreach (var group in DepartmentGroups)
        {
            var pool = framework.Pool(FrameworkIndicator.DepartmentWide, group.Level2)
                .Where(d => d.Level1 == group.Level1).ToArray();
            foreach (var def in Sample(pool, rng.Between(group.Min, group.Max), "", FrameworkIndicator.DepartmentWide, rng))
            {
                var planned = Plan(def, 100m, rng);
                if (def.Level3 == "部门预算项目实施数") planned.Target = Math.Max(1, projectCount);
                if (def.Level3 == "重点工作任务完成数") planned.Target = rng.Between(8, 40);
                picked.Add(planned);
            }
        }
        foreach (var (level1, points) in DepartmentSplit) Distribute(picked, level1, points);
        return picked;
    }

    /// <summary>Sectors whose projects always report an economic or an ecological benefit.</summary>
    private static void Tilt(int[] counts, string sector, Random rng)
    {
        if (sector is "农业" or "人社" or "文化") counts[4] = 1;
        if (sector is "水利" or "林草" or "生态环境" or "住建" or "自然资源") counts[6] = 1;
        while (counts.Sum() < 8) counts[rng.Next(3)]++;
        while (counts.Sum() > 20) counts[0]--;
    }

    /// <summary>Draws without replacement, weighting rows that fit the project's name.</summary>
    private static List<FrameworkIndicator> Sample(FrameworkIndicator[] pool, int count, string name, string sector, Random rng)
    {
        var weights = new int[pool.Length];
        for (var i = 0; i < pool.Length; i++) weights[i] = Relevance(pool[i], name, sector);
        var chosen = new List<FrameworkIndicator>(count);
        while (chosen.Count < count)
        {
            if (weights.Sum() == 0) break;
            var i = rng.PickWeighted(weights);
            chosen.Add(pool[i]);
            weights[i] = 0;
        }
        return chosen;
    }

    private static int Relevance(FrameworkIndicator def, string name, string sector)
    {
        if (sector == FrameworkIndicator.DepartmentWide) return 1;
        var level3 = def.Level3;
        if (level3.Contains('训') && !(name.Contains('训') || name.Contains("培育"))) return 0;
        if (level3.Contains("设备") && !(name.Contains("设备") || name.Contains("装备") || name.Contains("购置"))) return 0;
        var weight = def.Sector == FrameworkIndicator.Generic ? 2 : 3;
        for (var i = 0; i + 1 < level3.Length; i++)
        {
            var word = level3.Substring(i, 2);
            if (!CommonWords.Contains(word) && name.Contains(word, StringComparison.Ordinal)) return weight * 6;
        }
        return weight;
    }

    /// <summary>Spreads <paramref name="points"/> over the group's indicators in whole points.</summary>
    private static void Distribute(List<PlannedIndicator> indicators, string level1, int points)
    {
        var group = indicators.Where(i => i.Def.Level1 == level1).ToList();
        if (group.Count == 0) return;
        var each = points / group.Count;
        var extra = points % group.Count;
        for (var i = 0; i < group.Count; i++) group[i].Weight = each + (i < extra ? 1 : 0);
    }

    private static PlannedIndicator Plan(FrameworkIndicator def, decimal budget, Random rng)
    {
        var planned = new PlannedIndicator { Def = def, Kind = PlannedIndicator.KindOf(def), Salt = rng.Next() };
        var jitter = rng.Between(70, 140) / 100.0;
        var example = def.ExampleNumber;
        switch (planned.Kind)
        {
            case IndicatorKind.Qualitative:
                planned.Text = def.TargetExample;
                break;
            case IndicatorKind.Rate:
                planned.Target = RateTarget(def, example, rng);
                break;
            case IndicatorKind.Money when def.Comparator == "≤":
                var share = def.Level3.Contains("总成本") ? 1m : rng.Fraction(4000, 9000);
                var cap = budget * share;
                planned.Target = cap >= 10 ? Math.Ceiling(cap) : Math.Ceiling(cap * 10) / 10;
                break;
            case IndicatorKind.Duration:
                planned.Target = def.Unit == "天" ? Math.Max(30, Math.Round(example * (decimal)jitter / 10) * 10) : example;
                break;
            case IndicatorKind.Count when def.Comparator == "≤":
                planned.Target = example;
                break;
            default:
                planned.Target = Nice((double)example * Scale(budget) * jitter, planned.Decimals);
                break;
        }
        planned.Target = Math.Round(planned.Target, planned.Decimals, MidpointRounding.AwayFromZero);
        return planned;
    }

    private static decimal RateTarget(FrameworkIndicator def, decimal example, Random rng)
    {
        if (def.Comparator != "≥" || example < 80) return example;
        if (def.Level2.Contains("满意度")) return rng.PickWeighted([60, 15, 25]) switch { 0 => 90, 1 => 85, _ => 95 };
        return rng.Next(10) switch
        {
            < 6 => example,
            < 8 => example - 5,
            _ => Math.Min(100, example + 3),
        };
    }

    /// <summary>How targets grow with the budget: a 100万元 project gets the framework's example.</summary>
    private static double Scale(decimal budget) => Math.Clamp(Math.Pow((double)budget / 100.0, 0.75), 0.03, 20);

    /// <summary>Two significant figures, at least 1 (or 0.5 for lengths and areas).</summary>
    private static decimal Nice(double value, int decimals)
    {
        if (decimals > 0 && value < 10) return Math.Max(0.5m, Math.Round((decimal)value, 1));
        if (value < 1) return 1;
        var magnitude = Math.Max(1, Math.Pow(10, Math.Floor(Math.Log10(value)) - 1));
        return Math.Max(1, (decimal)(Math.Round(value / magnitude) * magnitude));
    }
}
