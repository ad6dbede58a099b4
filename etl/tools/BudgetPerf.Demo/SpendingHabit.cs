namespace BudgetPerf.Etl.Demo;

/// <summary>How a department spends in the second half of the year (下半年支出习惯), fixed for the department.</summary>
internal enum SpendingKind
{
    /// <summary>年底突击: slow to mid-year, then most of the rest goes out in Q4.</summary>
    BackLoaded,

    /// <summary>平稳: spends most of what it still has, a little short.</summary>
    Steady,

    /// <summary>推进迟缓: stalls; a large share of the budget is carried over (结转) at year end.</summary>
    Stalling,
}

/// <summary>
/// A department's year-end behaviour and how it fills 全年预计执行数 (issue 17 item 3). It turns a fund line's
/// mid-year rate and the pace-based year-end and stated rates the project stream already drew into the figures the
/// forms carry: year end = mid + (pace-based year end − mid) × (catch-up + a department-year shock) + noise, capped
/// at the budget; the stated forecast is the pace-based one plus the department's optimism (some departments write
/// the whole budget whatever happens). None of this is the warehouse forecast's formula (a per-department ratio of
/// what was delivered to what was stated): the forecast has to learn the habits from the earlier years' figures.
/// Draws come from their own streams, so the mid-year figures of every year stay what they were.
/// </summary>
internal sealed record SpendingHabit(SpendingKind Kind, decimal CatchUp, decimal Optimism, bool StatesFullBudget, int Seed)
{
    public static SpendingHabit Of(DemoDepartment d)
    {
        var rng = DemoRandom.For(d.Seed, 61);
        var kind = (SpendingKind)rng.PickWeighted(d.Quality switch
        {
            0 => [40, 52, 8],
            1 => [35, 50, 15],
            _ => [30, 45, 25],
        });
        var catchUp = kind switch
        {
            SpendingKind.BackLoaded => rng.Fraction(10000, 11500),
            SpendingKind.Steady => rng.Fraction(8500, 9800),
            _ => rng.Fraction(4500, 7500),
        };
        var optimism = kind switch
        {
            SpendingKind.BackLoaded => rng.Fraction(0, 200),
            SpendingKind.Steady => rng.Fraction(100, 500),
            _ => rng.Fraction(500, 1500),
        };
        return new SpendingHabit(kind, catchUp, optimism, rng.Chance(20), d.Seed);
    }

    /// <summary>The department's good or bad year: −0.06 … +0.06 on its catch-up, the same for all its projects.</summary>
    public decimal Shock(int year) => DemoRandom.For(Seed, 62, year).Fraction(-600, 600);

    /// <summary>The year-end rate of a line: between its mid-year rate and the budget.</summary>
    /// <param name="mid">期间执行数 ÷ 预算数 at 1-6月.</param>
    /// <param name="paceYearEnd">The year-end rate the project's pace alone would give.</param>
    public decimal YearEnd(decimal mid, decimal paceYearEnd, decimal shock, Random rng)
    {
        var rate = mid + (paceYearEnd - mid) * (CatchUp + shock) + rng.Fraction(-400, 400);
        return Math.Clamp(rate, Math.Min(mid, 1m), 1m);
    }

    /// <summary>全年预计执行数 ÷ 预算数 as the department states it.</summary>
    /// <param name="paceStated">What the project's pace alone would make it state.</param>
    public decimal Stated(decimal paceStated, Random rng) =>
        StatesFullBudget ? 1m : Math.Min(1m, paceStated + Optimism + rng.Fraction(-200, 200));
}
