namespace BudgetPerf.Etl.Demo;

/// <summary>
/// The self-evaluation (自评) scores of DESIGN §3, used to make the published 得分 the departments write — mostly
/// equal to the rule's, sometimes rounded up or given in full, as real forms are.
/// </summary>
internal static class SelfEvalScoring
{
    /// <summary>预算执行率: w × min(1, 全年执行数 / 全年预算数).</summary>
    public static decimal Budget(decimal executed, decimal budget, decimal w) =>
        budget <= 0 ? w : Round(w * Math.Min(1m, executed / budget));

    /// <summary>≥ and =: B ≥ A → w, else w × B / A; ≤: full to A, falling to 0 at 2A.</summary>
    public static decimal Numeric(string comparator, decimal a, decimal b, decimal w)
    {
        if (comparator == "≤")
        {
            if (b <= a) return w;
            if (a <= 0) return 0;
            return b >= 2 * a ? 0 : Round(w * (1 - (b - a) / a));
        }
        if (a == 0) return b <= 0 ? w : 0;
        if (b >= a) return w;
        return Round(w * Math.Max(0, b) / a);
    }

    /// <summary>达成 w, 部分达成 0.7w, 未达成 0.3w (band 0, 1, 2).</summary>
    public static decimal Qualitative(int band, decimal w) => Round(band switch { 0 => w, 1 => 0.7m * w, _ => 0.3m * w });

    /// <summary>The 得分 a department publishes for a recomputed score: usually the same, at times generous.</summary>
    public static decimal? Published(decimal recomputed, decimal w, Random rng) => rng.Next(1000) switch
    {
        < 860 => recomputed,
        < 940 => Math.Min(w, Math.Ceiling(recomputed)),
        < 997 => w,
        _ => null,
    };

    public static decimal Round(decimal x) => Math.Round(x, 2, MidpointRounding.AwayFromZero);
}
