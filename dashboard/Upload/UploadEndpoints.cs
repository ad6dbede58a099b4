using BudgetPerf.Dashboard.Security;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Etl.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;

namespace BudgetPerf.Dashboard.Upload;

/// <summary>
/// <c>POST /upload?name=FILE.csv</c>: the raw file as the request body (for scripts; no multipart form, so no antiforgery
/// token; the auth cookie is SameSite=Strict), answered as JSON <c>{status, file, rows, errors:[{file, sheet, row, column,
/// value, message}]}</c> — 200 loaded (or already loaded), 422 rejected, 413 over the size limit, 400 a name that is no
/// .csv/.xlsx. <c>GET /upload/errors/{id}</c>: a rejected upload's errors.csv, for the user who uploaded it only.
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
        var status = file.Refusal == UploadRefusal.TooLarge ? "too-large" : r.Status.ToString().ToLowerInvariant();
        var errors = r.Issues.Where(i => i.Severity == Severity.Error)
            .Select(i => new UploadError(i.File, i.Sheet, i.Row, i.Column, i.Value, i.Message)).ToList();
        var body = new UploadResponse(status, r.File, r.Rows, file.ErrorsId is { } id ? $"/upload/errors/{id}" : null, errors)
        {
            Kind = r.Kind, BatchId = r.BatchId, Warnings = r.WarningCount, Rebuilt = outcome.Build?.Success,
        };
        return Results.Json(body, statusCode: file.Refusal switch
        {
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

    /// <summary>Whether the warehouse rebuilt cleanly after the load (null when nothing loaded).</summary>
    public bool? Rebuilt { get; init; }
}

/// <summary>One error of a rejected upload, named as the loader names it.</summary>
public sealed record UploadError(string File, string? Sheet, int? Row, string? Column, string? Value, string Message);
