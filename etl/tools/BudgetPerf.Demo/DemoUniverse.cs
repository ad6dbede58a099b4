namespace BudgetPerf.Etl.Demo;

/// <summary>A county of the demo: one at county scale, about 130 at province scale.</summary>
/// <param name="AreaCode">Six-digit 行政区划代码 put before department codes at province scale; empty at county scale, where codes are the bare 部门编码.</param>
/// <param name="Prefix">The county's name put before department names at province scale (清河县); else empty.</param>
/// <param name="Region">The county's 区划代码 (the project master's 区划代码, at either scale).</param>
/// <param name="CityName">Its 市 (市级区划).</param>
/// <param name="CountyName">Its own name (县级区划).</param>
internal sealed record DemoCounty(int Index, string AreaCode, string Prefix, string Region, string CityName, string CountyName)
{
    /// <summary>The demo province (省级区划); 66 is no real province's code.</summary>
    public const string ProvinceName = "河西省";
}

/// <summary>How a department's budget system exports its forms, fixed for the department.</summary>
/// <param name="SplitTarget">四川 layout: 年度指标值 holds the bare number, 指标性质 and 计量单位 the rest.</param>
/// <param name="ComparatorColumn">Fills 指标性质 even when the target carries its comparator.</param>
/// <param name="UnitInActual">Writes the unit after reported numbers (<c>650人次</c> rather than <c>650</c>).</param>
internal sealed record FormStyle(bool SplitTarget, bool ComparatorColumn, bool UnitInActual);

/// <summary>A 预算部门 (主管部门) of a county.</summary>
/// <param name="Quality">0 well run, 1 average, 2 poorly run: shifts its projects' execution and results.</param>
internal sealed class DemoDepartment
{
    public required int Index { get; init; }
    public required string Code { get; init; }
    public required string Name { get; init; }
    /// <summary>The name without the county's (教育局), to tell apart generic project names.</summary>
    public required string ShortName { get; init; }
    public required string Sector { get; init; }
    public required string[] Units { get; init; }
    public required int Quality { get; init; }
    public required FormStyle Style { get; init; }
    public required int Seed { get; init; }
    /// <summary>基本支出 of the department per year (万元), besides its projects.</summary>
    public required decimal BasicSpending { get; init; }
    public List<DemoProject> Projects { get; } = [];

    private SpendingHabit? _habit;

    /// <summary>How it spends after mid-year and fills 全年预计执行数 (<see cref="SpendingHabit"/>).</summary>
    public SpendingHabit Habit => _habit ??= SpendingHabit.Of(this);
}

/// <summary>A 项目 with its life span; the same 项目编码 recurs every year it is active.</summary>
internal sealed class DemoProject
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required DemoDepartment Department { get; init; }
    /// <summary>实施单位; a planted true overlap takes its twin's.</summary>
    public required string ImplementingUnit { get; set; }
    public required ProjectKind Kind { get; init; }
    public required string Sector { get; init; }
    public required string Level { get; init; }
    public required string FundNature { get; init; }
    public required bool IsKey { get; init; }
    public required int StartYear { get; init; }
    /// <summary>Last year inclusive; null while the project goes on.</summary>
    public required int? EndYear { get; init; }
    public required int StartMonth { get; init; }
    /// <summary>Budget of a typical year (万元).</summary>
    public required decimal BaseBudget { get; init; }
    public required int Seed { get; init; }

    /// <summary>
    /// A planted 交叉重复 (issue 14): the project whose content this one repeats — the same 年度总体目标, indicators,
    /// 实施单位 and 受益对象 under another department's name for it. Null for every other project.
    /// </summary>
    public DemoProject? ContentTwin { get; set; }

    /// <summary>The project whose content (goal, indicators) this one's forms carry: its twin's, else its own.</summary>
    public DemoProject Content => ContentTwin ?? this;

    public bool ActiveIn(int year) => StartYear <= year && (EndYear is null || year <= EndYear);

    public string TypeName => Kind switch
    {
        ProjectKind.Recurring => "常年",
        ProjectKind.MultiYear => "分年",
        _ => "一次性",
    };
}
