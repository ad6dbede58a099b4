namespace BudgetPerf.Etl.Demo;

/// <summary>
/// Builds the counties, departments and projects of a demo run. A county is rebuilt from its seed whenever a
/// file needs it, so at province scale only one county's projects are held at a time.
/// </summary>
internal static class UniverseBuilder
{
    /// <summary>Projects a county runs per year, about.</summary>
    public const int CountyProjectsPerYear = 1500;

    /// <summary>Counties of a province: ≈200k projects a year.</summary>
    public const int ProvinceCounties = 133;

    public static IReadOnlyList<DemoCounty> Counties(DemoOptions options)
    {
        if (options.Scale == DemoScale.County) return [new DemoCounty(0, "", "", "660121", DepartmentCatalog.CityNames[0], "示范县")];
        var rng = DemoRandom.For(options.Seed, 900);
        var used = new HashSet<string>();
        var counties = new List<DemoCounty>(ProvinceCounties);
        var cities = DepartmentCatalog.CityNames.Length;
        for (var i = 0; i < ProvinceCounties; i++)
        {
            string stem;
            do stem = rng.Pick(DepartmentCatalog.CountyHeads) + rng.Pick(DepartmentCatalog.CountyTails);
            while (stem[0] == stem[1] || !used.Add(stem));
            var city = i % cities;
            var within = i / cities;
            var (suffix, number) = within switch
            {
                < 2 => ("区", 2 + within),
                _ when within % 6 == 5 => ("市", 81 + within / 6),
                _ => ("县", 21 + within),
            };
            var code = $"66{city + 1:D2}{number:D2}";
            counties.Add(new DemoCounty(i, code, stem + suffix, code, DepartmentCatalog.CityNames[city], stem + suffix));
        }
        return counties;
    }

    public static List<DemoDepartment> BuildCounty(DemoCounty county, DemoOptions options)
    {
        var rng = DemoRandom.For(options.Seed, 1, county.Index);
        var specs = new List<(DepartmentSpec Spec, string? Town)>();
        var dropped = rng.Between(0, 4);
        var optional = DepartmentCatalog.Agencies.Where(a => a.Optional).ToList();
        var drop = new HashSet<string>();
        while (drop.Count < dropped) drop.Add(rng.Pick(optional).Code);
        specs.AddRange(DepartmentCatalog.Agencies.Where(a => !drop.Contains(a.Code)).Select(a => (a, (string?)null)));
        var towns = rng.Between(10, 16);
        for (var t = 0; t < towns; t++)
        {
            var town = DepartmentCatalog.Towns[t];
            specs.Add((new DepartmentSpec($"9{t + 1:D2}", town + "人民政府", "乡镇", DepartmentCatalog.TownWeight, false, []), town));
        }

        var departments = new List<DemoDepartment>(specs.Count);
        for (var i = 0; i < specs.Count; i++)
        {
            var (spec, town) = specs[i];
            var quality = rng.PickWeighted([25, 55, 20]);
            var style = new FormStyle(rng.Chance(15), rng.Chance(70), rng.Chance(55));
            var basic = spec.Weight * rng.Between(20, 80) + rng.Between(50, 300) + (town is null ? 0 : rng.Between(250, 600));
            departments.Add(new DemoDepartment
            {
                Index = i,
                Code = county.AreaCode + spec.Code,
                Name = Prefixed(county.Prefix, spec.Name),
                ShortName = spec.Name,
                Sector = spec.Sector,
                Units = spec.Units.Select(u => Prefixed(county.Prefix, u)).ToArray(),
                Quality = quality,
                Style = style,
                Seed = DemoRandom.Mix(options.Seed, 2, county.Index, i),
                BasicSpending = basic + rng.Next(100) / 100m,
            });
        }

        var perYear = CountyProjectsPerYear + rng.Between(-60, 60);
        var totalWeight = specs.Sum(s => s.Spec.Weight);
        var names = new HashSet<string>();
        var planted = Planted(specs.Select(s => s.Spec.Code));
        foreach (var d in planted)
        {
            names.Add(d.NameA);
            names.Add(d.NameB);
        }

        for (var i = 0; i < departments.Count; i++)
        {
            var share = Math.Max(2, (int)Math.Round((decimal)perYear * specs[i].Spec.Weight / totalWeight));
            var mine = planted.SelectMany(d => new[] { (d.DeptA, d.NameA, Sector: d.Sector), (d.DeptB, d.NameB, Sector: d.IsOverlap ? d.Sector : specs.First(s => s.Spec.Code == d.DeptB).Spec.Sector) })
                .Where(x => x.Item1 == specs[i].Spec.Code)
                .Select(x => (x.Item2, x.Sector))
                .ToList();
            new ProjectFactory(departments[i], specs[i].Town, county, options, names).Fill(share, mine);
        }
        foreach (var (a, b, plant) in PlantedProjects(departments, planted))
            if (plant.IsOverlap)
            {
                b.ContentTwin = a;
                b.ImplementingUnit = a.ImplementingUnit;
            }
        return departments;
    }

    /// <summary>The planted pairs (ProjectCatalog.NearDuplicates) whose two departments the county has.</summary>
    private static List<PlantedPair> Planted(IEnumerable<string> departmentCodes)
    {
        var codes = departmentCodes.ToHashSet();
        return ProjectCatalog.NearDuplicates.Where(d => codes.Contains(d.DeptA) && codes.Contains(d.DeptB)).ToList();
    }

    /// <summary>Each planted pair's two projects in a built county.</summary>
    internal static IEnumerable<(DemoProject A, DemoProject B, PlantedPair Plant)> PlantedProjects(
        IReadOnlyList<DemoDepartment> departments, IReadOnlyList<PlantedPair>? planted = null)
    {
        planted ??= Planted(departments.Select(d => d.Code[^3..]));
        foreach (var plant in planted)
        {
            var a = departments.Where(d => d.Code[^3..] == plant.DeptA).SelectMany(d => d.Projects).FirstOrDefault(p => p.Name == plant.NameA);
            var b = departments.Where(d => d.Code[^3..] == plant.DeptB).SelectMany(d => d.Projects).FirstOrDefault(p => p.Name == plant.NameB);
            if (a is not null && b is not null) yield return (a, b, plant);
        }
    }

    /// <summary>Puts a county's name before a department's: 县委办公室 → 清河县委办公室, 教育局 → 清河县教育局.</summary>
    private static string Prefixed(string prefix, string name)
    {
        if (prefix.Length == 0) return name;
        if (name.Contains("县委")) return name.Replace("县委", prefix + "委");
        return prefix + name;
    }
}
