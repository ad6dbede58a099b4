namespace BudgetPerf.Etl.Demo;

/// <summary>The judgement cells departments add to their numbers: 完成目标可能性, 偏差原因, 纠偏 rows, 自评 notes.</summary>
internal static class MonitoringRows
{
    public const string Certain = "确定能";
    public const string Possible = "有可能";
    public const string Impossible = "完全不可能";

    /// <summary>
    /// 完成目标可能性, mostly consistent with the progress, not always. Only a <paramref name="candid"/> project (most
    /// of them stalled) admits 完全不可能; the others write 有可能 however far behind they are.
    /// </summary>
    public static string Possibility(MonitoringResult m, bool candid, Random rng)
    {
        ReadOnlySpan<int> weights = m.Progress switch
        {
            null => [75, 25, 0],
            < 60 when candid => [10, 40, 50],
            < 60 => [30, 69, 1],
            < 80 => [60, 40, 0],
            _ => [97, 3, 0],
        };
        return rng.PickWeighted(weights) switch { 0 => Certain, 1 => Possible, _ => Impossible };
    }

    /// <summary>偏差原因, 偏差原因说明, 改进措施: filled when the target is in doubt.</summary>
    public static void WriteCauses(SubmissionWriter w, string possibility, MonitoringResult m, Random rng)
    {
        var explain = possibility != Certain || (m.Progress < 80 && rng.Chance(50));
        if (!explain)
        {
            w.Text(null).Text(null).Text(null);
            return;
        }
        var first = rng.Pick(DemoTexts.CauseKinds);
        var causes = first;
        if (rng.Chance(35))
        {
            var second = rng.Pick(DemoTexts.CauseKinds);
            if (second != first) causes += rng.Chance(70) ? "；" + second : "、" + second;
        }
        w.Text(causes).Text(rng.Chance(92) ? rng.Pick(DemoTexts.CauseNotes) : null)
            .Text(rng.Chance(90) ? rng.Pick(DemoTexts.Improvements) : null);
    }

    /// <summary>附件2 rows for the one or two worst indicators of a project going badly.</summary>
    public static void WriteCorrections(
        SubmissionWriter w, int year, string projectCode, List<(PlannedIndicator Indicator, MonitoringResult Result)> troubled,
        Random rng)
    {
        var worst = troubled.OrderBy(t => t.Result.Progress ?? 0m).Take(rng.Between(1, 2));
        foreach (var (pi, m) in worst)
        {
            var final = pi.Kind == IndicatorKind.Qualitative ? pi.Text : IndicatorText.Bound(pi, pi.Target, ProjectYearSimulator.Combined);
            var gap = m.Progress is { } r ? 100 - r : (decimal?)null;
            var deviation = gap switch
            {
                null => "未按期完成",
                _ when rng.Chance(70) => "-" + IndicatorText.Num(gap.Value, 1) + "%",
                _ => "滞后" + IndicatorText.Num(gap.Value, 1) + "个百分点",
            };
            w.Text(year.ToString()).Text(YearFiles.Quarter).Text(projectCode)
                .Text(pi.Def.Level1).Text(pi.Def.Level2).Text(pi.Def.Level3)
                .Text(final).Text(m.ExpectedText).Text(m.Actual ?? "未完成").Text(deviation)
                .Text(rng.Pick(DemoTexts.Problems)).Text(rng.Pick(DemoTexts.Improvements))
                .End();
        }
    }

    /// <summary>偏差原因分析及改进措施: usually given when points were lost; often missing when the target was beaten by far.</summary>
    public static string? YearEndNote(YearEndResult r, decimal weight, Random rng)
    {
        if (r.Overshoot) return rng.Chance(40) ? rng.Pick(DemoTexts.OvershootNotes) : null;
        if (r.Score is { } s && s < weight && rng.Chance(80))
            return string.Format(rng.Pick(DemoTexts.ShortfallNotes), rng.Pick(DemoTexts.CauseNotes), rng.Pick(DemoTexts.Improvements));
        if (r.Actual is null or "未开展") return "年底前未完成数据统计";
        return null;
    }
}
