using BudgetPerf.Dashboard.Security;
using BudgetPerf.Warehouse.Security;
using BudgetPerf.Warehouse.Engines;
using Microsoft.AspNetCore.Mvc;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>
/// <c>GET /report/{kind}?project=CODE|department=CODE&amp;year=Y&amp;period=1-6月</c> (kind: monitoring, feedback,
/// correction, adjustment): the files of <c>budgetperf report</c>, for the signed-in user's scope only — a project or
/// department outside it is 404, like an unknown one. Every download is audited. One route per kind under
/// <c>/report</c>; the request and its answer are <see cref="ReportDownload"/>'s.
/// </summary>
public static class ReportEndpoints
{
    public static RouteGroupBuilder MapReportEndpoints(this WebApplication app)
    {
        var reports = app.MapGroup("/report");
        reports.MapGet("/monitoring", ([AsParameters] ReportDownload download) => download.SendAsync(ReportKind.Monitoring));
        reports.MapGet("/feedback", ([AsParameters] ReportDownload download) => download.SendAsync(ReportKind.Feedback));
        reports.MapGet("/correction", ([AsParameters] ReportDownload download) => download.SendAsync(ReportKind.Correction));
        reports.MapGet("/adjustment", ([AsParameters] ReportDownload download) => download.SendAsync(ReportKind.Adjustment));
        return reports;
    }
}

/// <summary>A report request as the query string gives it, with what answering it needs (bound by <c>[AsParameters]</c>).</summary>
public sealed record ReportDownload(
    HttpContext Http,
    WarehouseEngine Engine,
    UserAccounts Accounts,
    [FromQuery(Name = "project")] string? Project,
    [FromQuery(Name = "department")] string? Department,
    [FromQuery(Name = "year")] int? Year,
    [FromQuery(Name = "period")] string? Period,
    CancellationToken Ct)
{
    /// <summary>The file of <paramref name="kind"/> for the caller's scope: 404 without a year or outside the scope, 400 for a malformed request.</summary>
    public async Task<IResult> SendAsync(ReportKind kind)
    {
        if (Year is not { } y) return Results.NotFound();
        var request = new ReportRequest(Project, Department, y, string.IsNullOrWhiteSpace(Period) ? "1-6月" : Period, kind)
        {
            Scope = Http.User.ScopeOf(),
        };
        if (request.Problem is { } problem) return Results.Text(problem, "text/plain; charset=utf-8", statusCode: 400);
        var file = await ReportFiles.BuildAsync(Engine, request, Ct);
        await Accounts.Store.AuditAsync(CallerClaims.NameOf(Http.User), "report",
            $"{kind} {request.Subject} {y} {request.Period}", file is null ? "refused" : "ok", Ct);
        return file is null ? Results.NotFound() : Results.File(file.Content, file.ContentType, file.FileName);
    }
}
