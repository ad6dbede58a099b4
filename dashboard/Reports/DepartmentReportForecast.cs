using BudgetPerf.Warehouse.Queries;

using static BudgetPerf.Dashboard.Reports.MonitoringReport;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>
/// 四、年末执行预测 of the department-level 监控报告 (issue 17 item 3): the department's forecast year-end 执行率 with its
/// interval (mart_department_forecast), its projects at 预计结转 risk in a table (mart_execution_forecast), and the rule's
/// articles. Figures come from the marts; this only words them.
/// </summary>
public static class DepartmentReportForecast
{
    public static void Write(OfficialDocument doc, DepartmentReportData data)
    {
        doc.Heading1("五、年末执行预测");
        if (data.Forecast is not { } f)
        {
            doc.Body($"本部门{data.Year}年{data.Period}没有可预测年末执行的项目。");
            return;
        }
        doc.Body($"按本期执行率、各项目填报的全年预计执行数和本部门往年同期执行的兑现情况预测，本部门{f.ProjectCount}个项目"
                 + $"预计年末执行率为{ForecastText.WithInterval(f)}（当前{ForecastText.Percent(f.CurrentRate)}"
                 + (f.StatedRate is { } s ? $"，填报预计{ForecastText.Percent(s)}" : "")
                 + $"），预计结转{Money(f.ExpectedCarryover)}万元；{ForecastText.Rule(f.CarryoverMin)}，"
                 + (f.CarryoverRisk ? "本部门整体存在预计结转风险" : "本部门整体未达风险线")
                 + $"，其中{f.ProjectsAtRisk}个项目存在预计结转风险。");
        var atRisk = data.ProjectForecasts.Where(p => p.CarryoverRisk).ToList();
        if (atRisk.Count > 0)
            doc.Table(["项目", "预算", "当前执行率", "填报预计", "预计年末执行率（区间）", "预计结转"],
                atRisk.Select(p => (IReadOnlyList<string>)
                [
                    p.ProjectName ?? p.ProjectCode, Money(p.Budget), ForecastText.Percent(p.CurrentRate),
                    ForecastText.Percent(p.StatedRate), ForecastText.WithInterval(p), Money(p.ExpectedCarryover),
                ]), [30, 12, 12, 12, 22, 12]);
        if (f.Basis is { Length: > 0 } basis) doc.Body($"依据：{basis}。");
    }
}
