namespace BudgetPerf.Etl.Demo;

/// <summary>A department's project figures summed over one year, plus its head counts, for the 部门整体 tables.</summary>
internal sealed class DepartmentYear
{
    public FundLine Total { get; } = new(FundLine.Total);
    public FundLine Appropriation { get; } = new(FundLine.Appropriation);
    public FundLine CarryOver { get; } = new(FundLine.CarryOver);
    public FundLine Other { get; } = new(FundLine.Other);
    public int Projects { get; private set; }
    /// <summary>Projects that had spent something by 1-6月.</summary>
    public int Started { get; private set; }

    public void Add(List<FundLine> lines, bool started)
    {
        foreach (var l in lines)
        {
            var into = l.Name switch
            {
                FundLine.Total => Total,
                FundLine.CarryOver => CarryOver,
                FundLine.Other => Other,
                _ => Appropriation,
            };
            into.Add(l, true, true, true);
        }
        Projects++;
        if (started) Started++;
    }
}

/// <summary>
/// 部门整体 monitoring (表1-2) and self-evaluation (表1-3-2): the department's projects plus its 基本支出, and
/// the 决策 / 过程 / 履职 / 效益 / 满意度 indicators, some measured from the money itself (预算完成率 …).
/// </summary>
internal sealed class DepartmentYearSimulator(IndicatorPlanner planner)
{
    public void Run(DemoDepartment d, int year, DepartmentYear sums, YearFiles files)
    {
        var rng = DemoRandom.For(d.Seed, 40, year);
        var lines = Lines(d, sums, rng);
        foreach (var l in lines)
            files.DeptMonitoringFund.Text(year.ToString()).Text(YearFiles.Period).Text(d.Code).Text(d.Name).Text(l.Name)
                .Amount(l.Initial).Amount(l.Adjusted).Amount(l.Planned).Amount(l.Executed).Amount(l.Forecast).Int(null)
                .End();

        var total = lines[0];
        var pace = IndicatorSimulator.Draw(rng, d.Quality);
        var indicators = planner.ForDepartment(d, sums.Projects);
        var candid = rng.Chance(3);
        foreach (var pi in indicators)
        {
            var (target, comparator, unit) = IndicatorText.Target(pi, d.Style, rng);
            var indicatorPace = IndicatorSimulator.ForIndicator(pace, rng);
            var m = MidYear(pi, total, sums, d.Style, rng) ?? IndicatorSimulator.Monitoring(pi, indicatorPace, d.Style, rng);
            var possibility = MonitoringRows.Possibility(m, candid, rng);
            var w = files.DeptMonitoringIndicator.Text(year.ToString()).Text(YearFiles.Period).Text(d.Code)
                .Text(pi.Def.Level1).Text(pi.Def.Level2).Text(pi.Def.Level3).Text(comparator).Text(target).Text(unit)
                .Text(m.PeriodTarget).Text(m.Actual).Text(m.Forecast);
            MonitoringRows.WriteCauses(w, possibility, m, rng);
            w.Text(possibility).Text(null).End();
        }

        if (files.DeptSelfEvalFund is not { } selfFunds || files.DeptSelfEvalIndicator is not { } selfIndicators) return;
        foreach (var l in lines)
        {
            var isTotal = l.Name == FundLine.Total;
            var score = isTotal ? SelfEvalScoring.Published(SelfEvalScoring.Budget(l.YearEndExecuted, l.Final, 10), 10, rng) : null;
            selfFunds.Text(year.ToString()).Text(d.Code).Text(d.Name).Text(l.Name)
                .Amount(l.Initial).Amount(l.Final).Amount(l.YearEndExecuted).Amount(isTotal ? 10 : null).Amount(score)
                .End();
        }
        foreach (var pi in indicators)
        {
            var (target, comparator, unit) = IndicatorText.Target(pi, d.Style, rng);
            var r = YearEnd(pi, total, sums, d.Style, rng)
                ?? IndicatorSimulator.YearEnd(pi, IndicatorSimulator.ForIndicator(pace, rng), d.Style, rng);
            selfIndicators.Text(year.ToString()).Text(d.Code)
                .Text(pi.Def.Level1).Text(pi.Def.Level2).Text(pi.Def.Level3).Text(comparator).Text(target).Text(unit)
                .Text(r.Actual).Amount(pi.Weight)
                .Amount(r.Score is { } s ? SelfEvalScoring.Published(s, pi.Weight, rng) : null)
                .Text(MonitoringRows.YearEndNote(r, pi.Weight, rng))
                .End();
        }
    }

    /// <summary>The projects' lines with the department's 基本支出 on the appropriation line.</summary>
    private static List<FundLine> Lines(DemoDepartment d, DepartmentYear sums, Random rng)
    {
        var basic = Math.Round(d.BasicSpending * rng.Fraction(9500, 10800), 2);
        var main = new FundLine(FundLine.Appropriation);
        main.Add(sums.Appropriation, true, true, true);
        main.Initial += basic;
        main.Adjusted += basic;
        main.Planned += Math.Round(basic * 0.5m, 2);
        main.Executed += Math.Round(basic * rng.Fraction(4500, 5500), 4);
        main.Forecast += Math.Round(basic * rng.Fraction(9600, 10000), 2);
        main.Final += basic;
        main.YearEndExecuted += Math.Round(basic * rng.Fraction(9600, 10000), 4);

        var lines = new List<FundLine> { main };
        if (sums.CarryOver.Initial > 0) lines.Add(sums.CarryOver);
        if (sums.Other.Initial > 0) lines.Add(sums.Other);
        var total = new FundLine(FundLine.Total);
        foreach (var l in lines) total.Add(l, true, true, true);
        lines.Insert(0, total);
        return lines;
    }

    private static decimal Percent(decimal part, decimal whole) => whole <= 0 ? 0 : Math.Round(part / whole * 100, 2);

    /// <summary>Indicators the department measures from its own books at 1-6月.</summary>
    private static MonitoringResult? MidYear(PlannedIndicator pi, FundLine total, DepartmentYear sums, FormStyle style, Random rng)
    {
        var executed = Percent(total.Executed, total.Effective);
        switch (pi.Def.Level3)
        {
            case "预算完成率":
            case "支付进度率":
                var half = 50m;
                var value = pi.Def.Level3 == "支付进度率" ? Math.Round(executed * rng.Fraction(9600, 10000), 2) : executed;
                return new(IndicatorText.Value(pi, value, style), IndicatorText.Bound(pi, half, style), null,
                    Math.Round(value / half * 100, 1), IndicatorText.Bound(pi, half, ProjectYearSimulator.Combined));
            case "结转结余率":
                return new(DemoTexts.NotYetMeasured[2], null, null, null, IndicatorText.Bound(pi, pi.Target, ProjectYearSimulator.Combined));
            case "预算调整率":
                var adjusted = Percent(Math.Abs(total.Effective - total.Initial), total.Initial);
                return new(IndicatorText.Value(pi, adjusted, style), null, null, adjusted <= pi.Target ? 100 : 50,
                    IndicatorText.Bound(pi, pi.Target, ProjectYearSimulator.Combined));
            case "部门预算项目实施数":
                // Every project is under way by mid-year: the period target is the whole count, not half of it.
                return new(IndicatorText.Value(pi, sums.Started, style), IndicatorText.Bound(pi, pi.Target, style), null,
                    pi.Target > 0 ? Math.Round(sums.Started / pi.Target * 100, 1) : 100, IndicatorText.Bound(pi, pi.Target, ProjectYearSimulator.Combined));
            default:
                return null;
        }
    }

    /// <summary>The same indicators at year end, scored.</summary>
    private static YearEndResult? YearEnd(PlannedIndicator pi, FundLine total, DepartmentYear sums, FormStyle style, Random rng)
    {
        var executed = Percent(total.YearEndExecuted, total.Final);
        decimal? value = pi.Def.Level3 switch
        {
            "预算完成率" => executed,
            "支付进度率" => Math.Round(executed * rng.Fraction(9800, 10000), 2),
            "结转结余率" => 100 - executed,
            "预算调整率" => Percent(Math.Abs(total.Final - total.Initial), total.Initial),
            "部门预算项目实施数" => Math.Max(0, sums.Projects - rng.Between(0, 2)),
            _ => null,
        };
        if (value is not { } v) return null;
        return new(IndicatorText.Value(pi, v, style), SelfEvalScoring.Numeric(pi.Comparator, pi.Target, v, pi.Weight), false);
    }
}
