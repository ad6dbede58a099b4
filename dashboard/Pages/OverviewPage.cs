using System.Net;
using System.Text;
using BudgetPerf.Warehouse.Queries;

namespace BudgetPerf.Dashboard.Pages;

/// <summary>
/// 总览: a server-rendered first page over the marts (execution against 序时进度), until the Blazor dashboard lands.
/// </summary>
public static class OverviewPage
{
    public static void MapOverviewPage(this WebApplication app)
    {
        app.MapGet("/", async (OverviewQueries queries) =>
            Results.Content(Render(await queries.TotalsAsync(), await queries.MostBehindAsync(50)), "text/html; charset=utf-8"));
        app.MapGet("/health", () => Results.Text("ok"));
    }

    private static string Render(IReadOnlyList<OverviewTotals> totals, IReadOnlyList<ProjectExecutionRow> behind)
    {
        var html = new StringBuilder("""
            <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>BudgetPerf 预算绩效总览</title>
            <style>body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em}table{border-collapse:collapse}
            td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:nth-child(-n+3){text-align:left}
            .red{color:#c62828}.yellow{color:#b28704}.green{color:#2e7d32}</style></head><body>
            <h1>预算绩效运行监控总览</h1>
            """);
        if (totals.Count == 0)
            return html.Append("<p>数仓中还没有数据：运行 <code>budgetperf demo</code> 或 <code>budgetperf load 文件</code>。</p></body></html>").ToString();

        html.Append("<h2>各年度执行情况</h2><table><tr><th>年度</th><th>期间</th><th>项目数</th><th>预算数(万元)</th><th>执行数(万元)</th><th>红灯</th><th>黄灯</th></tr>");
        foreach (var t in totals)
            html.Append($"<tr><td>{t.FiscalYear}</td><td>{E(t.Period)}</td><td>{t.Projects:N0}</td><td>{t.Budget:N2}</td><td>{t.Executed:N2}</td><td class=red>{t.RedCount:N0}</td><td class=yellow>{t.YellowCount:N0}</td></tr>");
        html.Append("</table><h2>执行进度最落后的项目</h2><table><tr><th>部门</th><th>项目</th><th>期间</th><th>预算数</th><th>执行数</th><th>执行率</th><th>序时进度</th><th>预警</th></tr>");
        foreach (var p in behind)
            html.Append($"<tr><td>{E(p.DepartmentName)}</td><td>{E(p.ProjectName)}</td><td>{E(p.Period)}</td><td>{p.Budget:N2}</td><td>{p.Executed:N2}</td><td>{p.ExecutionRate:P1}</td><td>{p.ScheduleRate:P1}</td><td class={p.Warning}>{LightText(p.Warning)}</td></tr>");
        return html.Append("</table></body></html>").ToString();
    }

    private static string LightText(string? warning) => warning switch
    {
        "red" => "红灯", "yellow" => "黄灯", "green" => "绿灯", "blue" => "蓝灯", _ => "",
    };

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
}
