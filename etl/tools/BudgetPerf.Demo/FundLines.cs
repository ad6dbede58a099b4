namespace BudgetPerf.Etl.Demo;

/// <summary>One 资金类别 row of a project (or department) year: mid-year monitoring and year-end figures, 万元.</summary>
internal sealed class FundLine(string name)
{
    public const string Total = "年度资金总额";
    public const string Appropriation = "本年一般公共预算拨款";
    public const string CarryOver = "上年结转资金";
    public const string Other = "其他资金";

    public string Name { get; } = name;
    public decimal Initial { get; set; }
    /// <summary>调整后预算数; null when the form leaves it blank.</summary>
    public decimal? Adjusted { get; set; }
    public decimal? Planned { get; set; }
    public decimal Executed { get; set; }
    public decimal? Forecast { get; set; }
    public int? CarryYears { get; set; }
    /// <summary>全年预算数 at year end, after any 调整.</summary>
    public decimal Final { get; set; }
    public decimal YearEndExecuted { get; set; }

    public decimal Effective => Adjusted ?? Initial;

    /// <summary>Adds another line's figures into this one (for totals).</summary>
    public void Add(FundLine o, bool adjustedGiven, bool plannedGiven, bool forecastGiven)
    {
        Initial += o.Initial;
        if (adjustedGiven) Adjusted = (Adjusted ?? 0) + o.Effective;
        if (plannedGiven) Planned = (Planned ?? 0) + (o.Planned ?? 0);
        Executed += o.Executed;
        if (forecastGiven) Forecast = (Forecast ?? 0) + (o.Forecast ?? 0);
        Final += o.Final;
        YearEndExecuted += o.YearEndExecuted;
    }
}

/// <summary>A project year's fund lines: 年度资金总额 first, then its sources.</summary>
internal static class FundLines
{
    /// <summary>期间执行数 as a share of budget, in basis points, by pace: most 35–60% at 1-6月.</summary>
    private static decimal MidYearRate(Pace pace, Random rng) => pace switch
    {
        Pace.Ahead => rng.Fraction(6500, 9500),
        Pace.Normal => rng.Fraction(3500, 6000),
        Pace.Lagging => rng.Fraction(2000, 3500),
        _ => rng.Chance(30) ? 0m : rng.Fraction(100, 2000),
    };

    private static decimal YearEndRate(Pace pace, Random rng) => pace switch
    {
        Pace.Ahead => rng.Chance(40) ? 1m : rng.Fraction(9700, 10000),
        Pace.Normal => rng.Chance(35) ? 1m : rng.Fraction(8800, 10000),
        Pace.Lagging => rng.Fraction(7000, 9700),
        _ => rng.Fraction(2500, 8500),
    };

    /// <param name="habit">The department's year-end behaviour (<see cref="SpendingHabit"/>).</param>
    /// <param name="shock">The department-year's <see cref="SpendingHabit.Shock"/>.</param>
    /// <param name="yearEndRng">The project-year's own stream for the habit's noise (keeps <paramref name="rng"/>'s draws as they were).</param>
    public static List<FundLine> Build(
        decimal budget, bool hadLastYear, Pace pace, Random rng, SpendingHabit habit, decimal shock, Random yearEndRng)
    {
        var precise = rng.Chance(45);
        decimal Money(decimal x) => Math.Round(x, precise ? 4 : 2, MidpointRounding.AwayFromZero);

        var carry = hadLastYear && rng.Chance(14) ? Math.Round(budget * rng.Fraction(500, 4000), 2) : 0m;
        var other = rng.Chance(8) ? Math.Round(budget * rng.Fraction(500, 3000), 2) : 0m;
        var lines = new List<FundLine>(4) { new(FundLine.Appropriation) { Initial = budget - carry - other } };
        if (carry > 0) lines.Add(new FundLine(FundLine.CarryOver) { Initial = carry, CarryYears = rng.PickWeighted([70, 20, 10]) + 1 });
        if (other > 0) lines.Add(new FundLine(FundLine.Other) { Initial = other });

        var adjustMode = rng.PickWeighted([35, 45, 20]);
        var plannedGiven = rng.Chance(80);
        var forecastGiven = rng.Chance(85);
        var rate = MidYearRate(pace, rng);
        foreach (var line in lines)
        {
            line.Adjusted = adjustMode switch
            {
                0 => null,
                2 when line.Name == FundLine.Appropriation => Math.Round(line.Initial * rng.Fraction(8000, 12000), 2),
                _ => line.Initial,
            };
            var lineRate = line.CarryYears switch
            {
                >= 2 => rng.Chance(60) ? 0m : rate * rng.Fraction(1000, 5000),
                1 => Math.Min(1m, rate * rng.Fraction(8000, 13000)),
                _ when line.Name == FundLine.Other => Math.Min(1m, rate * rng.Fraction(5000, 12000)),
                _ => Math.Min(1m, rate * rng.Fraction(9000, 11000)),
            };
            line.Executed = Money(line.Effective * lineRate);
            if (plannedGiven) line.Planned = Math.Round(line.Effective * rng.Fraction(4000, 6500), 2);
            var yearEnd = line.CarryYears >= 2
                ? rng.Fraction(0, 3000)
                : habit.YearEnd(line.Effective > 0 ? line.Executed / line.Effective : lineRate, YearEndRate(pace, rng), shock, yearEndRng);
            line.YearEndExecuted = Math.Max(line.Executed, Money(line.Effective * yearEnd));
            if (forecastGiven)
                line.Forecast = Math.Max(line.Executed, Math.Round(line.Effective * habit.Stated(ForecastRate(pace, rng), yearEndRng), 2));
            line.Final = line.Effective;
        }

        var total = new FundLine(FundLine.Total);
        foreach (var line in lines) total.Add(line, adjustMode != 0, plannedGiven, forecastGiven);
        lines.Insert(0, total);
        return lines;
    }

    private static decimal ForecastRate(Pace pace, Random rng) => pace switch
    {
        Pace.Ahead or Pace.Normal => rng.Chance(50) ? 1m : rng.Fraction(9500, 10000),
        Pace.Lagging => rng.Fraction(8000, 9800),
        _ => rng.Fraction(4000, 9000),
    };

    /// <summary>Moves a year-end 调整 onto the appropriation line and the total.</summary>
    public static void ApplyAdjustment(List<FundLine> lines, decimal newTotal)
    {
        var delta = newTotal - lines[0].Final;
        var main = lines[1];
        var before = main.Final;
        main.Final += delta;
        var scaled = before > 0 ? Math.Round(main.YearEndExecuted * main.Final / before, 4, MidpointRounding.AwayFromZero) : 0m;
        main.YearEndExecuted = Math.Min(main.Final, Math.Max(scaled, Math.Min(main.Executed, main.Final)));
        lines[0].Final = newTotal;
        lines[0].YearEndExecuted = lines.Skip(1).Sum(l => l.YearEndExecuted);
    }
}
