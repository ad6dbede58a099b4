namespace BudgetPerf.Etl.Demo;

/// <summary>How a project (or one of its indicators) is going: the latent cause of its numbers.</summary>
internal enum Pace { Ahead, Normal, Lagging, Stalled }

/// <summary>The cells of one 监控指标 row besides the keys and the target.</summary>
/// <param name="Progress">r = actual / expected × 100 as the rules read it; null when 未填报.</param>
/// <param name="ExpectedText">本季度应完成值 for a 纠偏 row.</param>
internal readonly record struct MonitoringResult(
    string? Actual, string? PeriodTarget, string? Forecast, decimal? Progress, string ExpectedText);

/// <summary>The 实际完成值 of a self-evaluation row and the score the rules give it.</summary>
internal readonly record struct YearEndResult(string? Actual, decimal? Score, bool Overshoot);

/// <summary>Draws an indicator's reported results from its pace, as departments report them.</summary>
internal static class IndicatorSimulator
{
    /// <summary>序时进度 of 1-6月.</summary>
    public const decimal Schedule = 0.5m;

    public const string Achieved = "达成年度指标";
    public const string Partial = "部分达成年度指标并具有一定效果";
    public const string Missed = "未达成年度指标";

    public static Pace Draw(Random rng, int quality) => (Pace)rng.PickWeighted(quality switch
    {
        0 => [8, 80, 8, 4],
        1 => [5, 72, 14, 9],
        _ => [3, 57, 22, 18],
    });

    /// <summary>Most indicators follow their project; some run ahead of it or behind.</summary>
    public static Pace ForIndicator(Pace project, Random rng) => rng.Next(100) switch
    {
        < 85 => project,
        < 95 => project == Pace.Ahead ? Pace.Normal : project - 1,
        _ => project == Pace.Stalled ? Pace.Lagging : project + 1,
    };

    /// <summary>Half a year's results.</summary>
    public static MonitoringResult Monitoring(PlannedIndicator pi, Pace pace, FormStyle style, Random rng)
    {
        var growing = pi.Cumulative && pi.Comparator == "≥";
        decimal? periodTarget = null;
        if (growing && rng.Chance(35)) periodTarget = Math.Max(1m, Math.Round(pi.Target * rng.Fraction(4000, 6000), pi.Decimals));
        else if (pi.Kind == IndicatorKind.Rate && rng.Chance(15)) periodTarget = pi.Target;
        var expected = periodTarget ?? (growing ? pi.Target * Schedule : pi.Target);
        var periodText = periodTarget is { } pt ? IndicatorText.Bound(pi, pt, style) : null;
        var expectedText = pi.Kind == IndicatorKind.Qualitative ? pi.Text : IndicatorText.Bound(pi, RoundUp(expected, pi.Decimals), ProjectYearSimulator.Combined);
        var forecast = rng.Chance(60) ? Forecast(pi, pace, style, rng) : null;

        if (rng.Next(1000) < 25) return new(null, periodText, forecast, null, expectedText);
        if (pi.Def.Level2.Contains("满意度") && rng.Chance(55))
            return new(rng.Chance(85) ? DemoTexts.NotYetMeasured[0] : null, periodText, forecast, null, expectedText);

        if (pi.Kind == IndicatorKind.Qualitative)
        {
            var (text, progress) = pace switch
            {
                Pace.Ahead or Pace.Normal => rng.Next(100) switch
                {
                    < 40 => (pi.Text, 100m),
                    < 88 => (Achieved, 100m),
                    < 93 => ("完成", 100m),
                    _ => ("按计划推进", (decimal?)null),
                },
                Pace.Lagging => (Partial, 70m),
                _ => rng.Chance(60) ? (Missed, 40m) : (Partial, 70m),
            };
            return new(text, periodText, forecast, progress, expectedText);
        }

        var value = MidYearValue(pi, pace, expected, rng);
        return new(IndicatorText.Value(pi, value, style), periodText, forecast, Progress(pi, value, expected), expectedText);
    }

    private static decimal MidYearValue(PlannedIndicator pi, Pace pace, decimal expected, Random rng)
    {
        var t = pi.Target;
        if (pi.Comparator == "≥" && pi.Cumulative)
        {
            var factor = pace switch
            {
                Pace.Ahead => rng.Fraction(12000, 19000),
                Pace.Normal => rng.Fraction(8000, 12500),
                Pace.Lagging => rng.Fraction(4500, 8500),
                _ => rng.Chance(30) ? 0m : rng.Fraction(500, 5000),
            };
            return Math.Round(expected * factor, pi.Decimals);
        }
        return Level(pi, pace, rng, t);
    }

    /// <summary>Values of rates, durations, caps: the same at mid-year as at year end, less sure.</summary>
    private static decimal Level(PlannedIndicator pi, Pace pace, Random rng, decimal t)
    {
        if (pi.Comparator == "≤")
        {
            if (t == 0) return pace <= Pace.Normal ? -rng.Fraction(0, 50000) : rng.Fraction(5000, 50000);
            var factor = pace switch
            {
                Pace.Ahead or Pace.Normal => rng.Chance(3) ? rng.Fraction(10500, 14000) : rng.Fraction(6000, 10000),
                Pace.Lagging => rng.Fraction(9000, 12500),
                _ => rng.Fraction(10000, 16000),
            };
            if (pi.Kind == IndicatorKind.Count) return Math.Max(0, Math.Round(t * factor - 1));
            return Math.Round(t * factor, pi.Decimals);
        }
        if (pi.Kind == IndicatorKind.Duration) return t;
        if (pi.Kind == IndicatorKind.Rate)
        {
            return pace switch
            {
                Pace.Ahead or Pace.Normal => t >= 100 || rng.Chance(40) ? t : Math.Min(100, t + rng.Fraction(0, 40000)),
                Pace.Lagging => Math.Round(t * rng.Fraction(8500, 9900), 1),
                _ => Math.Round(t * rng.Fraction(4000, 8500), 1),
            };
        }
        return Math.Round(t * (pace <= Pace.Normal ? rng.Fraction(10000, 11500) : rng.Fraction(5000, 9500)), pi.Decimals);
    }

    /// <summary>An expected count of 0.5 is written as 1, not 0.</summary>
    private static decimal RoundUp(decimal value, int decimals) => decimals == 0 ? Math.Ceiling(value) : Math.Round(value, decimals);

    private static decimal? Progress(PlannedIndicator pi, decimal value, decimal expected)
    {
        if (pi.Comparator == "≤") return value <= pi.Target ? 100 : 50;
        if (expected <= 0) return 100;
        return Math.Round(value / expected * 100, 1);
    }

    private static string Forecast(PlannedIndicator pi, Pace pace, FormStyle style, Random rng)
    {
        if (pi.Kind == IndicatorKind.Qualitative) return pace <= Pace.Normal ? Achieved : Partial;
        if (pi.Comparator != "≥" || !pi.Cumulative) return IndicatorText.Value(pi, pi.Target, style);
        var factor = pace switch
        {
            Pace.Ahead => rng.Fraction(10500, 14000),
            Pace.Normal => rng.Chance(70) ? 1m : rng.Fraction(10000, 11000),
            Pace.Lagging => rng.Fraction(8500, 10000),
            _ => rng.Fraction(5000, 9000),
        };
        return IndicatorText.Value(pi, Math.Round(pi.Target * factor, pi.Decimals), style);
    }

    /// <summary>The year's result and its recomputed score (DESIGN §3 自评).</summary>
    public static YearEndResult YearEnd(PlannedIndicator pi, Pace pace, FormStyle style, Random rng)
    {
        var w = pi.Weight;
        if (pi.Kind == IndicatorKind.Qualitative)
        {
            var band = pace switch
            {
                Pace.Ahead or Pace.Normal => 0,
                Pace.Lagging => 1,
                _ => rng.Chance(50) ? 2 : 1,
            };
            var text = band switch { 0 => rng.Chance(50) ? pi.Text : Achieved, 1 => Partial, _ => Missed };
            return new(text, SelfEvalScoring.Qualitative(band, w), false);
        }

        decimal value;
        var t = pi.Target;
        if (pi.Def.Level2.Contains("满意度"))
            value = pace switch
            {
                Pace.Ahead or Pace.Normal => rng.Fraction(900000, 985000),
                Pace.Lagging => rng.Fraction(850000, 920000),
                _ => rng.Fraction(750000, 900000),
            };
        else if (pi.Comparator == "≥" && pi.Cumulative)
            value = t * pace switch
            {
                Pace.Ahead => rng.Chance(35) ? rng.Fraction(13000, 16000) : rng.Fraction(10000, 13000),
                Pace.Normal => rng.Chance(60) ? 1m : rng.Fraction(10000, 11500),
                Pace.Lagging => rng.Fraction(7500, 9800),
                _ => rng.Fraction(3000, 8000),
            };
        else if (pi.Kind == IndicatorKind.Duration && pi.Comparator == "≤")
            value = t * pace switch
            {
                Pace.Ahead or Pace.Normal => rng.Fraction(8000, 10000),
                Pace.Lagging => rng.Fraction(10500, 14000),
                _ => rng.Fraction(13000, 21000),
            };
        else
            value = Level(pi, pace, rng, t);

        value = Math.Round(value, pi.Decimals);
        var score = SelfEvalScoring.Numeric(pi.Comparator, t, value, w);
        var overshoot = pi.Comparator == "≥" && t > 0 && value >= t * 1.3m;
        return new(IndicatorText.Value(pi, value, style), score, overshoot);
    }
}
