namespace BudgetPerf.Etl.Demo;

/// <summary>How much demo data to make.</summary>
public enum DemoScale
{
    /// <summary>One county: ≈80 departments, ≈1,500 projects a year.</summary>
    County,

    /// <summary>A province of ≈130 counties: ≈200k projects and ≈3M indicator rows a year.</summary>
    Province,
}

/// <summary>Options of <see cref="DemoGenerator"/>. The same options give byte-identical files.</summary>
public sealed record DemoOptions
{
    public DemoScale Scale { get; init; } = DemoScale.County;

    /// <summary>Fiscal years to generate, ending at <see cref="LastYear"/>.</summary>
    public int Years { get; init; } = 3;

    public int Seed { get; init; } = 42;

    /// <summary>
    /// The latest fiscal year: it has 1-6月 monitoring only; every earlier year has 1-6月 monitoring and the
    /// year-end self-evaluation (自评).
    /// </summary>
    public int LastYear { get; init; } = 2026;

    public int FirstYear => LastYear - Years + 1;

    internal void Validate()
    {
        if (Years is < 1 or > 20) throw new ArgumentOutOfRangeException(nameof(Years), Years, "Years must be 1–20.");
        if (LastYear is < 2000 or > 2100) throw new ArgumentOutOfRangeException(nameof(LastYear), LastYear, "LastYear must be 2000–2100.");
    }
}
