using BudgetPerf.Dashboard.Charts;
using BudgetPerf.Warehouse.Queries;

using static BudgetPerf.Dashboard.Reports.MonitoringReport;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>
/// The department-level 项目支出绩效监控报告: 一、总体情况 (totals and a table of all its projects, worst 偏差指数 first),
/// 二、偏差热力图 (the department's row of the heatmap as an image), 三、one short section per red or yellow project,
/// 四、年末执行预测 (<see cref="DepartmentReportForecast"/>).
/// </summary>
public static class DepartmentReport
{
    public const int HeatmapWidth = 800, HeatmapHeight = 300;

    public static void Write(DepartmentReportData data, Stream stream)
    {
        using var doc = OfficialDocument.Create(stream);
        var name = data.Department.DepartmentName;
        doc.Title($"{name}项目支出绩效监控报告");
        doc.Body($"（{data.Year}年{data.Period}）");
        Overview(doc, data);
        Heatmap(doc, data);
        FlaggedProjects(doc, data);
        TargetChanges(doc, data);
        DepartmentReportForecast.Write(doc, data);
    }

    /// <summary>四、目标未经调整即变更: each flagged project with the first change and the article it breaks.</summary>
    private static void TargetChanges(OfficialDocument doc, DepartmentReportData data)
    {
        doc.Heading1("四、绩效目标未经调整即变更情况");
        if (data.TargetChanges.Count == 0)
        {
            doc.Body("本年度未发现未经调整即变更绩效目标的项目。");
            return;
        }
        doc.Body($"以下{data.TargetChanges.Count}个项目在监控、纠偏或自评表中填报的绩效目标与申报目标不一致，且未报送调整表：");
        foreach (var c in data.TargetChanges)
            doc.Body($"{c.ProjectName ?? c.ProjectCode}：{c.Reason}。" + (c.Basis is null ? "" : $"依据：{c.BasisQuote ?? c.Basis}。"));
    }

    private static void Overview(OfficialDocument doc, DepartmentReportData data)
    {
        doc.Heading1("一、项目预算执行及偏差总体情况");
        var projects = data.Projects;
        if (projects.Count == 0 || data.Totals is not { } totals)
        {
            doc.Body($"本部门{data.Year}年{data.Period}未报送项目监控数据。");
            return;
        }
        var rate = totals.ExecutionRate is { } r ? IndicatorSentence.Percent(r) : "无法计算（预算为0）";
        var schedule = totals.ScheduleRate is { } s ? IndicatorSentence.Percent(s) : "未知";
        doc.Body($"截至{data.Period}，本部门共{totals.ProjectCount}个项目纳入监控，预算合计{Money(totals.Budget ?? 0)}万元，已执行{Money(totals.Executed ?? 0)}万元，"
                 + $"预算执行率为{rate}，序时进度为{schedule}。其中红灯{totals.RedCount}个、黄灯{totals.YellowCount}个、"
                 + $"绿灯{totals.GreenCount + totals.BlueCount}个。各项目按偏差指数从高到低排列如下（金额单位：万元）：");
        doc.Table(["项目", "预算", "执行数", "执行率", "序时进度", "偏差指数", "预警"],
            projects.Select(p => (IReadOnlyList<string>)
            [
                p.ProjectName ?? p.ProjectCode, Money(p.Budget), Money(p.Executed),
                p.ExecutionRate is { } pr ? IndicatorSentence.Percent(pr) : "—",
                p.ScheduleRate is { } sr ? IndicatorSentence.Percent(sr) : "—",
                p.DeviationIndex is { } d ? Index(d) : "—", LightName(p.Warning),
            ]), [28, 12, 12, 12, 12, 12, 10]);
    }

    /// <summary>偏差指数 (0–100) to one decimal.</summary>
    public static string Index(decimal index) =>
        Math.Round(index, 1, MidpointRounding.AwayFromZero).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

    private static void Heatmap(OfficialDocument doc, DepartmentReportData data)
    {
        doc.Heading1("二、绩效指标偏差分布");
        if (HeatmapImage(data) is not { } png)
        {
            doc.Body($"本部门{data.Year}年{data.Period}没有可计算偏差的绩效指标。");
            return;
        }
        var worst = data.Heatmap.Where(c => c.MeanShortfall is not null).MaxBy(c => c.MeanShortfall)!;
        doc.Body($"按指标类别计算的平均差距中，{worst.IndicatorCategory}类指标差距最大（平均差距{IndicatorSentence.Percent(worst.MeanShortfall!.Value)}，"
                 + $"红灯{worst.RedCount}个）。");
        doc.Image(png, HeatmapWidth, HeatmapHeight, $"{data.Year}年{data.Period}偏差热力图（本部门 × 指标类别）");
    }

    /// <summary>The department's row of the deviation heatmap (ChartImages.Heatmap), or null when it has no cell with a value.</summary>
    public static byte[]? HeatmapImage(DepartmentReportData data)
    {
        var cells = data.Heatmap;
        if (!cells.Any(c => c.MeanShortfall is not null)) return null;
        var columns = cells.Select(c => c.IndicatorCategory).ToList();
        var values = new double[1, columns.Count];
        for (var c = 0; c < columns.Count; c++) values[0, c] = cells[c].MeanShortfall is { } m ? (double)m : double.NaN;
        return ChartImages.Heatmap($"{data.Year} 年 {data.Period} 偏差热力图", [data.Department.DepartmentName], columns, values,
            HeatmapWidth, HeatmapHeight);
    }

    private static void FlaggedProjects(OfficialDocument doc, DepartmentReportData data)
    {
        doc.Heading1("三、红灯、黄灯项目情况");
        if (data.Flagged.Count == 0)
        {
            doc.Body("本期没有亮红灯或黄灯的项目。");
            return;
        }
        var n = 0;
        foreach (var (p, deviating, consequences) in data.Flagged)
        {
            doc.Heading2($"（{ChineseNumbers[n++ % ChineseNumbers.Length]}）{p.ProjectName ?? p.ProjectCode}（{LightName(p.Warning)}）");
            var rate = p.ExecutionRate is { } r ? IndicatorSentence.Percent(r) : "无法计算（预算为0）";
            doc.Body($"项目编码{p.ProjectCode}，预算{Money(p.Budget)}万元，已执行{Money(p.Executed)}万元，预算执行率为{rate}，"
                     + $"序时进度为{(p.ScheduleRate is { } s ? IndicatorSentence.Percent(s) : "未知")}，偏差指数为{(p.DeviationIndex is { } d ? Index(d) : "—")}。");
            foreach (var row in deviating)
                doc.Body($"{row.Level3}（{LightName(row.Light)}）：{IndicatorSentence.For(row, data.Year, data.Period)}"
                         + (row.DeviationCauses is null ? "" : $"偏差原因：{row.DeviationCauses}。"));
            foreach (var c in consequences)
                doc.Body($"{c.Flag}：{c.Reason}。");
        }
    }
}
