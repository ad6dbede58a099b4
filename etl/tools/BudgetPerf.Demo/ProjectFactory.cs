namespace BudgetPerf.Etl.Demo;

/// <summary>
/// Creates one department's projects over the run's years: a first-year portfolio, then each later year the
/// projects that ended are replaced by new ones, so a department runs about the same number every year.
/// </summary>
internal sealed class ProjectFactory(
    DemoDepartment department, string? town, DemoCounty county, DemoOptions options, HashSet<string> countyNames)
{
    private readonly Random _rng = DemoRandom.For(department.Seed, 3);
    private readonly ProjectTemplate[] _own = ProjectCatalog.ForDepartment(department.Code[^3..], department.Sector);
    private ProjectTemplate[]? _templates;
    private int _serial;

    /// <summary>Towns draw town work; a department with work of its own falls back on general office work, not on its sector's.</summary>
    private ProjectTemplate[] Templates => _templates ??= town is not null ? ProjectCatalog.For("乡镇")
        : _own.Length > 0 ? ProjectCatalog.For("综合").Select(t => t with { Sector = department.Sector }).ToArray()
        : ProjectCatalog.For(department.Sector);

    public void Fill(int perYear, IReadOnlyList<(string Name, string Sector)> planted)
    {
        var first = options.FirstYear;
        foreach (var (name, sector) in planted)
            Add(first, name, sector, ProjectKind.Recurring, initial: true);
        while (department.Projects.Count < perYear)
            Add(first, null, null, null, initial: true);

        for (var year = first + 1; year <= options.LastYear; year++)
        {
            var target = perYear + _rng.Between(-1, 1);
            var active = department.Projects.Count(p => p.ActiveIn(year));
            for (var k = active; k < target; k++) Add(year, null, null, null, initial: false);
        }
    }

    private void Add(int year, string? fixedName, string? fixedSector, ProjectKind? fixedKind, bool initial)
    {
        var template = Template();
        if (initial && template.Kind == ProjectKind.OneOff && _rng.Chance(50)) template = Template();
        var kind = fixedKind ?? _rng.Next(100) switch
        {
            < 85 => template.Kind,
            < 95 => ProjectKind.Recurring,
            _ => ProjectKind.MultiYear,
        };
        int start;
        int? endYear;
        switch (kind)
        {
            case ProjectKind.Recurring:
                start = initial ? year - _rng.Between(0, 6) : year;
                endYear = _rng.Chance(93) ? null : year + _rng.Between(0, options.Years + 2);
                break;
            case ProjectKind.MultiYear:
                var span = _rng.Between(2, 3);
                start = initial ? year - _rng.Between(0, span - 1) : year;
                endYear = start + span - 1;
                break;
            default:
                start = year;
                endYear = year;
                break;
        }

        var (name, unit) = fixedName is null ? Name(template, kind, start) : (fixedName, department.Name);

        _serial++;
        var budget = Budget(kind);
        var sector = fixedSector ?? template.Sector;
        var level = kind == ProjectKind.Recurring && sector is "教育" or "卫生" or "农业" or "民政" or "人社" && _rng.Chance(50)
            ? "归口管理项目" : "部门项目";
        var fundRoll = _rng.Next(100);
        var landHeavy = sector is "住建" or "交通" or "自然资源";
        var nature = fundRoll < 2 ? "国有资本经营预算" : fundRoll < (landHeavy ? 27 : 10) ? "政府性基金预算" : "一般公共预算";
        department.Projects.Add(new DemoProject
        {
            Code = $"{department.Code}-{start}-{_serial:D3}",
            Name = name,
            Department = department,
            ImplementingUnit = unit,
            Kind = kind,
            Sector = sector,
            Level = level,
            FundNature = nature,
            IsKey = _rng.Chance(budget >= 500m ? 45 : 6),
            StartYear = start,
            EndYear = endYear,
            StartMonth = kind == ProjectKind.Recurring ? 1 : _rng.Between(1, 9),
            BaseBudget = budget,
            Seed = DemoRandom.Mix(department.Seed, 4, _serial),
        });
    }

    /// <summary>
    /// A project name unique within the county, and the unit that carries it out. Tries a few templates; a generic
    /// name already taken gets the year (one-off and multi-year work) or the department's name in front, and only
    /// when all that is taken a （二期）, （三期） ….
    /// </summary>
    private (string Name, string Unit) Name(ProjectTemplate template, ProjectKind kind, int year)
    {
        var name = "";
        var unit = department.Name;
        for (var attempt = 0; attempt < 25; attempt++)
        {
            var t = attempt == 0 ? template : Template();
            (name, unit) = Fill(t.Pattern);
            if (countyNames.Add(name)) return (name, unit);
            if (t.Pattern.Contains('{')) continue;
            if (kind != ProjectKind.Recurring && countyNames.Add($"{year}年{name}")) return ($"{year}年{name}", unit);
            if (countyNames.Add(department.ShortName + name)) return (department.ShortName + name, unit);
        }
        for (var phase = 2; ; phase++)
        {
            var numbered = $"{name}（{Phase(phase)}期）";
            if (countyNames.Add(numbered)) return (numbered, unit);
        }
    }

    private static string Phase(int n) => n < 10 ? "零一二三四五六七八九"[n].ToString() : n.ToString();

    private (string Name, string Unit) Fill(string pattern)
    {
        var unit = department.Name;
        var name = pattern;
        if (name.Contains("{校}"))
        {
            var school = _rng.Pick(DepartmentCatalog.Schools);
            name = name.Replace("{校}", school);
            unit = county.Prefix + school;
        }
        if (name.Contains("{镇}"))
        {
            var place = town ?? _rng.Pick(DepartmentCatalog.Towns);
            name = name.Replace("{镇}", place);
            if (town is null && _rng.Chance(30)) unit = county.Prefix + place + "人民政府";
        }
        if (name.Contains("{村}"))
        {
            var village = _rng.Pick(DepartmentCatalog.Villages);
            name = name.Replace("{村}", town is not null && _rng.Chance(70) ? town + village : village);
            if (town is null && _rng.Chance(20)) unit = county.Prefix + village + "村民委员会";
        }
        if (unit == department.Name && department.Units.Length > 0 && _rng.Chance(40))
            unit = _rng.Pick(department.Units);
        return (name, unit);
    }

    private ProjectTemplate Template() => _own.Length > 0 && _rng.Chance(60) ? _rng.Pick(_own) : _rng.Pick(Templates);

    /// <summary>A typical year's budget (万元): most projects are small, a few very large.</summary>
    private decimal Budget(ProjectKind kind)
    {
        ReadOnlySpan<int> weights = kind == ProjectKind.OneOff ? [22, 40, 25, 11, 2] : [14, 35, 32, 16, 3];
        var (lo, hi) = _rng.PickWeighted(weights) switch
        {
            0 => (2, 10),
            1 => (10, 50),
            2 => (50, 200),
            3 => (200, 1000),
            _ => (1000, 3000),
        };
        var cents = lo * 100 + _rng.Next((hi - lo) * 100);
        var amount = cents / 100m;
        return _rng.Next(10) switch
        {
            < 4 => Math.Max(lo, Math.Round(amount, 0)),
            < 6 => Math.Round(amount, 1),
            _ => amount,
        };
    }
}
