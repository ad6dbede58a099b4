using BudgetPerf.Dashboard.Security;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Etl.Queue;
using BudgetPerf.Etl.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;

namespace BudgetPerf.Dashboard.Upload;

/// <summary>
/// <c>POST /upload?name=FILE.csv</c>: the raw file as the request body (for scripts; no multipart form, so no antiforgery
/// token; the auth cookie is SameSite=Strict), validated at once and answered as JSON <c>{status, file, rows,
/// errors:[{file, sheet, row, column, value, message}]}</c> — 202 valid and queued (<c>submissionId</c>, <c>statusUrl</c>,
/// a Location header), 200 already loaded, 422 rejected, 413 over the size limit, 400 a name that is no .csv/.xlsx.
/// <c>GET /upload/submissions/{id}</c>: a queued submission's state (JSON, <see cref="SubmissionStatus"/>), for its uploader
/// only. <c>GET /upload/errors/{id}</c>: a rejected upload's errors.csv, for the user who uploaded it only.
/// The caller is always the signed-in user of the request (name and department scope).
/// </summary>
public static class UploadEndpoints
{
    public static void MapUploadEndpoints(this WebApplication app)
    {
        // 部门 (its own departments) and 管理员 upload; errors.csv is signed-in only (the fallback policy) and its owner's
        app.MapPost("/upload", UploadAsync).WithOrder(-1)   // before the /upload page, whose endpoint takes POST (forms) too
            .RequireAuthorization(new AuthorizeAttribute { Roles = CallerClaims.Uploaders });
        app.MapGet("/upload/errors/{id}", async (string id, HttpContext http, UploadService uploads, CancellationToken ct) =>
            await uploads.ErrorsCsvAsync(id, CallerClaims.NameOf(http.User), ct) is { } csv
                // with the byte-order mark the file was written with, so Excel opens the Chinese right
                ? Results.File([.. System.Text.Encoding.UTF8.Preamble, .. System.Text.Encoding.UTF8.GetBytes(csv)], "text/csv; charset=utf-8", "errors.csv")
                : Results.NotFound());
        app.MapGet("/upload/submissions/{id:long}", async (long id, HttpContext http, UploadService uploads, CancellationToken ct) =>
            await uploads.Queue.FindAsync(id, ct) is { } s && s.SubmittedBy == CallerClaims.NameOf(http.User)
                ? Results.Json(SubmissionStatus.Of(s))
                : Results.NotFound());
    }

    private static async Task<IResult> UploadAsync(HttpContext http, UploadService uploads, string? name, CancellationToken ct)
    {
        if (UploadService.SafeName(name) is null)
            return Results.Json(new UploadResponse("bad-request", name ?? "", 0, null,
                [new UploadError(name ?? "", null, null, null, null, "请用 ?name=文件名.csv、.xlsx 或 .xls 指明上报文件名")]), statusCode: 400);
        // the service counts the bytes against its own limit; Kestrel's default cap (30 MB) would cut a 50 MB upload short
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = null;

        var caller = new UploadCaller(CallerClaims.NameOf(http.User), http.User.ScopeOf());
        var outcome = await uploads.UploadAsync([(name!, () => http.Request.Body)], caller, ct);
        var file = outcome.Files[0];
        var r = file.Result;
        var status = file.Refusal == UploadRefusal.TooLarge ? "too-large" : file.SubmissionId is not null ? "queued" : r.Status.ToString().ToLowerInvariant();
        var errors = r.Issues.Where(i => i.Severity == Severity.Error)
            .Select(i => new UploadError(i.File, i.Sheet, i.Row, i.Column, i.Value, i.Message)).ToList();
        var body = new UploadResponse(status, r.File, r.Rows, file.ErrorsId is { } id ? $"/upload/errors/{id}" : null, errors)
        {
            Kind = r.Kind, BatchId = r.BatchId, Warnings = r.WarningCount, SubmissionId = file.SubmissionId, StatusUrl = file.StatusUrl,
        };
        if (file.StatusUrl is { } url) http.Response.Headers.Location = url;
        return Results.Json(body, statusCode: file.Refusal switch
        {
            _ when file.SubmissionId is not null => StatusCodes.Status202Accepted,
            UploadRefusal.TooLarge => StatusCodes.Status413PayloadTooLarge,
            UploadRefusal.BadName => StatusCodes.Status400BadRequest,
            _ => r.Status == LoadStatus.Rejected ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status200OK,
        });
    }
}

/// <summary>The JSON answer of <c>POST /upload</c>.</summary>
public sealed record UploadResponse(string Status, string File, long Rows, string? ErrorsCsv, IReadOnlyList<UploadError> Errors)
{
    public string? Kind { get; init; }
    public long? BatchId { get; init; }
    public int Warnings { get; init; }

    /// <summary>The queued submission (202): its id and the URL of its state.</summary>
    public long? SubmissionId { get; init; }
    public string? StatusUrl { get; init; }
}

/// <summary>
/// The JSON of <c>GET /upload/submissions/{id}</c>: <c>state</c> (queued, loading, building, visible, rejected, failed),
/// its Chinese word (排队中 / 入库中 / 构建中 / 已生效 / 已拒绝 / 失败), the times (queued, taken by a worker, loaded, figures
/// visible, finished), the batch and rows, and the reason of a rejection or failure.
/// </summary>
public sealed record SubmissionStatus(long SubmissionId, string File, string State, string StateText, bool Finished,
    DateTime QueuedAt, DateTime? StartedAt, DateTime? LoadedAt, DateTime? VisibleAt, DateTime? FinishedAt,
    long RowsValidated, long? RowsLoaded, long? BatchId, string? Error, string? ErrorsCsv)
{
    public static SubmissionStatus Of(QueuedSubmission s) => new(s.SubmissionId, s.FileName, s.State, SubmissionState.Chinese(s.State),
        SubmissionState.IsFinished(s.State), s.QueuedAt, s.StartedAt, s.LoadedAt, s.VisibleAt, s.FinishedAt, s.RowsValidated,
        s.RowsLoaded, s.BatchId, s.Error, s.ErrorsId is { } e ? $"/upload/errors/{e}" : null);
}

/// <summary>One error of a rejected upload, named as the loader names it.</summary>
public sealed record UploadError(string File, string? Sheet, int? Row, string? Column, string? Value, string Message);
