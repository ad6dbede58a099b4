using BudgetPerf.Dashboard.Security;
using BudgetPerf.Warehouse.Engines;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>
/// <c>GET /report/{kind}?project=CODE|department=CODE&amp;year=Y&amp;period=1-6月</c> (kind: monitoring, feedback,
/// correction, adjustment): the files of <c>budgetperf report</c>, for the signed-in user's scope only — a project or
/// department outside it is 404, like an unknown one. Every download is audited.
/// </summary>
public static class ReportEndpoints
{
    public static RouteHandlerBuilder MapReportEndpoints(this WebApplication app) =>
        app.MapGet("/report/{kind}", async (string kind, string? project, string? department, int? year, string? period,
            HttpContext http, WarehouseEngine engine, UserAccounts accounts, CancellationToken ct) =>
        {
            if (!Enum.TryParse<ReportKind>(kind, ignoreCase: true, out var reportKind) || year is not { } y) return Results.NotFound();
            var request = new ReportRequest(project, department, y, string.IsNullOrWhiteSpace(period) ? "1-6月" : period, reportKind)
            {
                Scope = http.User.ScopeOf(),
            };
            if (request.Problem is { } problem) return Results.Text(problem, "text/plain; charset=utf-8", statusCode: 400);
            var file = await ReportFiles.BuildAsync(engine, request, ct);
            await accounts.Store.AuditAsync(CallerClaims.NameOf(http.User), "report",
                $"{reportKind} {request.Subject} {y} {request.Period}", file is null ? "refused" : "ok", ct);
            return file is null ? Results.NotFound() : Results.File(file.Content, file.ContentType, file.FileName);
        });
}
