namespace BudgetPerf.Etl.Demo;

/// <summary>
/// One project in one year: its 监控资金 and 监控指标 rows at 1-6月, a 纠偏 when it is going badly, now and then a
/// 调整, and — for a finished year — its 自评资金 and 自评指标 rows. Everything comes from one stream seeded by
/// (project, year).
/// </summary>
internal sealed class ProjectYearSimulator(IndicatorPlanner planner)
{
    /// <summary>Tables without 计量单位 / 指标性质 columns write the whole bound: <c>≥1200人次</c>.</summary>
    public static readonly FormStyle Combined = new(false, false, true);

    public void Run(DemoProject p, int year, YearFiles files, DepartmentYear department)
    {
        var rng = DemoRandom.For(p.Seed, 20, year);
        var style = p.Department.Style;
        var pace = IndicatorSimulator.Draw(rng, p.Department.Quality);
        var budget = YearBudget(p, year);
        var habit = p.Department.Habit;
        var lines = FundLines.Build(budget, p.StartYear < year, pace, rng, habit, habit.Shock(year), DemoRandom.For(p.Seed, 60, year));
        WriteMonitoringFunds(p, year, lines, files.MonitoringFund);

        var indicators = planner.ForProject(p.Content, budget);
        var paces = indicators.Select(_ => IndicatorSimulator.ForIndicator(pace, rng)).ToArray();
        var candid = pace == Pace.Stalled ? rng.Chance(35) : rng.Chance(1);
        var troubled = new List<(PlannedIndicator Indicator, MonitoringResult Result)>();
        for (var i = 0; i < indicators.Count; i++)
        {
            var pi = indicators[i];
            var (target, comparator, unit) = IndicatorText.Target(pi, style, rng);
            var m = IndicatorSimulator.Monitoring(pi, paces[i], style, rng);
            var possibility = MonitoringRows.Possibility(m, candid, rng);
            var w = files.MonitoringIndicator
                .Text(year.ToString()).Text(YearFiles.Period).Text(p.Code)
                .Text(pi.Def.Level1).Text(pi.Def.Level2).Text(pi.Def.Level3).Text(comparator).Text(target).Text(unit)
                .Text(m.PeriodTarget).Text(m.Actual).Text(m.Forecast);
            MonitoringRows.WriteCauses(w, possibility, m, rng);
            w.Text(possibility).Text(rng.Next(100) < 3 ? rng.Pick(DemoTexts.Remarks) : null).End();
            if (m.Progress < 60 || possibility == MonitoringRows.Impossible) troubled.Add((pi, m));
        }

        if (troubled.Count > 0 && rng.Chance(40))
            MonitoringRows.WriteCorrections(files.Correction, year, p.Code, troubled, rng);

        if (rng.Chance(troubled.Count > 0 ? 12 : 4))
            Adjust(p, year, lines, indicators, troubled.Select(t => t.Indicator).ToHashSet(), files.Adjustment, rng);

        if (files.SelfEvalFund is { } selfFunds && files.SelfEvalIndicator is { } selfIndicators)
        {
            WriteSelfEvalFunds(p, year, lines, selfFunds, rng);
            var yearPace = YearEndPace(pace, rng);
            var blank = rng.Next(1000) < 20 ? rng.Next(indicators.Count) : -1;
            for (var i = 0; i < indicators.Count; i++)
            {
                var pi = indicators[i];
                var (target, comparator, unit) = IndicatorText.Target(pi, style, rng);
                var r = i == blank
                    ? new YearEndResult(rng.Chance(50) ? null : "未开展", null, false)
                    : IndicatorSimulator.YearEnd(pi, IndicatorSimulator.ForIndicator(yearPace, rng), style, rng);
                selfIndicators
                    .Text(year.ToString()).Text(p.Code)
                    .Text(pi.Def.Level1).Text(pi.Def.Level2).Text(pi.Def.Level3).Text(comparator).Text(target).Text(unit)
                    .Text(r.Actual).Amount(pi.Weight)
                    .Amount(r.Score is { } s ? SelfEvalScoring.Published(s, pi.Weight, rng) : null)
                    .Text(MonitoringRows.YearEndNote(r, pi.Weight, rng))
                    .End();
            }
        }

        department.Add(lines, lines[0].Executed > 0);
    }

    /// <summary>The year's budget: recurring projects move around their usual size, others keep theirs.</summary>
    private static decimal YearBudget(DemoProject p, int year)
    {
        if (p.Kind == ProjectKind.OneOff) return p.BaseBudget;
        var rng = DemoRandom.For(p.Seed, 30, year);
        var amount = p.BaseBudget * rng.Fraction(9000, 11500);
        return rng.Chance(40) ? Math.Max(1m, Math.Round(amount, 0)) : Math.Round(amount, 2);
    }

    /// <summary>By year end most late projects catch up part of the way.</summary>
    private static Pace YearEndPace(Pace midYear, Random rng) => midYear switch
    {
        Pace.Ahead => Pace.Ahead,
        Pace.Normal => rng.Chance(90) ? Pace.Normal : Pace.Lagging,
        Pace.Lagging => rng.Chance(50) ? Pace.Normal : Pace.Lagging,
        _ => rng.Chance(40) ? Pace.Lagging : Pace.Stalled,
    };

    private static void WriteMonitoringFunds(DemoProject p, int year, List<FundLine> lines, SubmissionWriter w)
    {
        foreach (var l in lines)
            w.Text(year.ToString()).Text(YearFiles.Period).Text(p.Code).Text(p.Name)
                .Text(p.Department.Code).Text(p.Department.Name).Text(p.ImplementingUnit).Text(l.Name)
                .Amount(l.Initial).Amount(l.Adjusted).Amount(l.Planned).Amount(l.Executed).Amount(l.Forecast).Int(l.CarryYears)
                .End();
    }

    private static void WriteSelfEvalFunds(DemoProject p, int year, List<FundLine> lines, SubmissionWriter w, Random rng)
    {
        foreach (var l in lines)
        {
            var total = l.Name == FundLine.Total;
            var score = total ? SelfEvalScoring.Published(SelfEvalScoring.Budget(l.YearEndExecuted, l.Final, 10), 10, rng) : null;
            w.Text(year.ToString()).Text(p.Code).Text(p.Name).Text(p.Department.Code).Text(p.Department.Name).Text(l.Name)
                .Amount(l.Initial).Amount(l.Final).Amount(l.YearEndExecuted).Amount(total ? 10 : null).Amount(score)
                .End();
        }
    }

    /// <summary>附件3: money and/or indicator targets changed after monitoring; the self-evaluation uses the new ones.</summary>
    private static void Adjust(
        DemoProject p, int year, List<FundLine> lines, List<PlannedIndicator> indicators, HashSet<PlannedIndicator> troubled,
        SubmissionWriter w, Random rng)
    {
        var reason = string.Format(rng.Pick(DemoTexts.AdjustmentReasons), year, rng.Between(3, 45));
        var changeMoney = rng.Chance(65);
        decimal? original = null, revised = null;
        if (changeMoney)
        {
            original = lines[0].Final;
            var delta = Math.Round(lines[1].Final * rng.Fraction(-3000, 2000), 2);
            if (delta == 0) delta = -1;
            revised = Math.Max(0.5m, original.Value + delta);
            FundLines.ApplyAdjustment(lines, revised.Value);
        }

        var candidates = indicators
            .Where(i => i.Kind is IndicatorKind.Count or IndicatorKind.Money or IndicatorKind.Rate && i.Comparator == "≥")
            .OrderBy(i => troubled.Contains(i) ? 0 : 1)
            .ToList();
        var changes = !changeMoney || rng.Chance(70) ? Math.Min(candidates.Count, rng.Between(1, 3)) : 0;
        var repeatMoney = rng.Chance(50);
        if (changes == 0)
        {
            w.Text(year.ToString()).Text(p.Code).Text(reason).Amount(original).Amount(revised)
                .Text(null).Text(null).Text(null).Text(null).Text(null).Text(null).End();
            return;
        }
        for (var k = 0; k < changes; k++)
        {
            var pi = candidates[k];
            var before = pi.Target;
            var factor = troubled.Contains(pi) || revised < original ? rng.Fraction(6000, 9000) : rng.Fraction(11000, 13000);
            var after = pi.Kind == IndicatorKind.Rate
                ? Math.Round(before * rng.Fraction(8500, 9700), 1)
                : Math.Max(1, Math.Round(before * factor, pi.Decimals));
            if (after == before) after = before > 1 && factor < 1 ? before - 1 : before + 1;
            pi.Target = after;
            var money = k == 0 || repeatMoney;
            w.Text(year.ToString()).Text(p.Code).Text(reason).Amount(money ? original : null).Amount(money ? revised : null)
                .Text(pi.Def.Level1).Text(pi.Def.Level2).Text(pi.Def.Level3)
                .Text(IndicatorText.Bound(pi, before, Combined)).Text(IndicatorText.Bound(pi, after, Combined))
                .Text(pi.Def.Level3 + rng.Pick(DemoTexts.Explanations))
                .End();
        }
    }
}
