using System.Diagnostics;

namespace BudgetPerf.Etl.Demo;

/// <summary>
/// Writes demo submissions (spec/submissions.md, flat CSV families) for a county or a whole province: a project
/// master, then per fiscal year 1-6月 monitoring, 纠偏, 调整, year-end self-evaluation (all but the last year) and
/// the 部门整体 tables. Deterministic: the same <see cref="DemoOptions"/> give byte-identical files. Rows are streamed
/// to the files as they are made; at province scale one county is in memory at a time.
/// </summary>
public sealed class DemoGenerator
{
    /// <summary>The project master's file name.</summary>
    public const string ProjectFileName = "项目信息.csv";

    private readonly IndicatorPlanner _planner;

    /// <param name="options">Defaults: county scale, 3 years to 2026, seed 42.</param>
    /// <param name="framework">Defaults to the seed file under <see cref="BudgetPerf.Warehouse.SqlAssets.Seeds"/>.</param>
    public DemoGenerator(DemoOptions? options = null, IndicatorFramework? framework = null)
    {
        Options = options ?? new DemoOptions();
        Options.Validate();
        Framework = framework ?? IndicatorFramework.LoadDefault();
        _planner = new IndicatorPlanner(Framework);
    }

    public DemoOptions Options { get; }
    public IndicatorFramework Framework { get; }

    /// <summary>
    /// Writes the files into <paramref name="outputDirectory"/> (created if missing; files of the same names are
    /// overwritten, others left alone) and returns their paths in load order: 项目信息 first, then year by year.
    /// </summary>
    /// <param name="progress">Receives a line per step (file written, county done) for a terminal.</param>
    public IReadOnlyList<string> Generate(
        string outputDirectory, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(outputDirectory);
        var counties = UniverseBuilder.Counties(Options);
        var written = new List<string>();
        var clock = Stopwatch.StartNew();

        using (var master = new SubmissionWriter(Path.Combine(outputDirectory, ProjectFileName), SubmissionFamilies.Project))
        {
            foreach (var county in counties)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var d in UniverseBuilder.BuildCounty(county, Options))
                foreach (var p in d.Projects)
                    WriteProject(master, p, county);
            }
            written.Add(master.Path);
            progress?.Report($"{ProjectFileName}: {master.Rows:N0} projects ({clock.Elapsed.TotalSeconds:F1} s)");
        }

        var projectYear = new ProjectYearSimulator(_planner);
        var departmentYear = new DepartmentYearSimulator(_planner);
        for (var year = Options.FirstYear; year <= Options.LastYear; year++)
        {
            using var files = new YearFiles(outputDirectory, year, selfEvaluation: year < Options.LastYear);
            for (var c = 0; c < counties.Count; c++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var d in UniverseBuilder.BuildCounty(counties[c], Options))
                {
                    var sums = new DepartmentYear();
                    foreach (var p in d.Projects)
                        if (p.ActiveIn(year)) projectYear.Run(p, year, files, sums);
                    departmentYear.Run(d, year, sums, files);
                }
                if (counties.Count > 1 && (c + 1) % 10 == 0)
                    progress?.Report($"{year}: {c + 1}/{counties.Count} counties, {files.MonitoringIndicator.Rows:N0} indicator rows ({clock.Elapsed.TotalSeconds:F1} s)");
            }
            foreach (var w in files.InLoadOrder)
            {
                written.Add(w.Path);
                progress?.Report($"{Path.GetFileName(w.Path)}: {w.Rows:N0} rows");
            }
            progress?.Report($"{year} done ({clock.Elapsed.TotalSeconds:F1} s)");
        }
        return written;
    }

    /// <summary>
    /// The 交叉重复 pairs planted in the run's counties (issue 14), both projects active in <paramref name="year"/>:
    /// true overlaps (one department's forms repeat another's content) and look-alikes (names alike, content not) —
    /// the truth `bench overlap` measures the 调整 rule's precision and recall against.
    /// </summary>
    public IEnumerable<DemoPlantedPair> PlantedPairs(int year)
    {
        foreach (var county in UniverseBuilder.Counties(Options))
        foreach (var (a, b, plant) in UniverseBuilder.PlantedProjects(UniverseBuilder.BuildCounty(county, Options)))
            if (a.ActiveIn(year) && b.ActiveIn(year))
                yield return new DemoPlantedPair(a.Code, b.Code, plant.IsOverlap, a.Name, b.Name);
    }

    private static void WriteProject(SubmissionWriter w, DemoProject p, DemoCounty county)
    {
        var goalPick = p.Content.Seed & 0xFF;
        w.Text(p.Code).Text(p.Name).Text(p.Department.Code).Text(p.Department.Name).Text(p.ImplementingUnit)
            .Text(p.TypeName).Text(p.Level).Text(p.FundNature)
            .Text($"{p.StartYear}-{p.StartMonth:D2}-01").Text(p.EndYear is { } e ? $"{e}-12-31" : null)
            .Text(p.IsKey ? "是" : "否").Text(DemoTexts.AnnualGoal(p.Content, goalPick))
            .Text(county.Region).Text(DemoCounty.ProvinceName).Text(county.CityName).Text(county.CountyName)
            .End();
    }
}

/// <summary>A planted pair of the demo: two projects of two departments of one county, a true overlap or a look-alike.</summary>
public sealed record DemoPlantedPair(string ProjectA, string ProjectB, bool IsOverlap, string NameA, string NameB);
