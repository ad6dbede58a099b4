using System.IO.Compression;
using BudgetPerf.Dashboard.Caching;
using BudgetPerf.Dashboard.Security;
using BudgetPerf.Warehouse.Caching;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;
using Microsoft.AspNetCore.Mvc;

namespace BudgetPerf.Dashboard.Export;

/// <summary>
/// What every <c>/export</c> grid shares, bound from the request (<c>[AsParameters]</c>): the format, the header style,
/// the year, period and 区划 filters, the caller. <see cref="SendAsync"/> streams the grid's whole query into the file,
/// audits it (as <c>{grid}.{format}</c> with the filters and the row count) and names it <c>{title}_{year}_{period}.{format}</c>.
/// </summary>
public sealed record GridDownload(
    HttpContext Http,
    WarehouseEngine Engine,
    UserAccounts Accounts,
    [FromQuery(Name = "format")] string? Format,
    [FromQuery(Name = "headers")] string? Headers,
    [FromQuery(Name = "year")] string? Year,
    [FromQuery(Name = "period")] string? Period,
    [FromQuery(Name = "region")] string? Region,
    CancellationToken Ct)
{
    /// <summary>A filter's value, or null when it is absent or empty.</summary>
    public static string? Given(string? value) => value is { Length: > 0 } ? value : null;

    /// <summary>The grouping's name as 趋势 shows it.</summary>
    public static string GroupName(string by) => by switch { "fund" => "资金性质", "category" => "指标类别", _ => "部门" };

    /// <summary>
    /// The grid's file: 404 for an unknown format, 403 when the role may not see the grid, 404 (a sentence) while the mart is
    /// not built. <paramref name="query"/> gets the caller's scope (the page's 区划 narrows it, never widens it) and the year.
    /// CSV and Parquet come from the result cache (issue 15: the same request, the caller's scope and the warehouse version)
    /// unless <paramref name="cacheable"/> is false (a per-user grid); xlsx is made for each request (its 说明 sheet names the
    /// user and the export time). Every download is audited, from the cache or not. <paramref name="readsUpToYear"/>: the grid
    /// reads no 年度 after its year filter (its rows are the year's, computed from that year and earlier ones), so its kept
    /// file stays valid while only later years change (<see cref="ReadCacheKeys.GetOrAddAsync{T}"/>).
    /// </summary>
    public async Task<IResult> SendAsync(MartQueries reader, string grid, string title, Func<DataScope, int?, CancellationToken, Task<GridQuery>> query,
        IReadOnlyDictionary<string, string>? headerOverrides = null, bool allowed = true, bool cacheable = true, bool readsUpToYear = false)
    {
        var format = Given(Format) ?? "csv";
        if (!GridExport.Formats.Contains(format)) return Results.NotFound();
        if (!allowed) return Results.StatusCode(403);
        var q = Http.Request.Query;
        int? year = int.TryParse(Year, out var y) ? y : null;
        var scope = Http.User.ScopeOf();
        Task<ExportFile?> Write(long keep, CancellationToken ct) => WriteAsync(reader, title, query, scope, year, format, headerOverrides, keep, ct);
        ExportFile? file;
        if (cacheable && format != "xlsx")
        {
            var found = await ReadCacheKeys.GetOrAddAsync(Http, scope, (cache, c) => Write(cache.MaxEntryBytes, c),
                f => f is { Bytes: { } bytes } ? bytes.Length : long.MaxValue, Ct, readsUpToYear ? year : null,
                unkept: f => { if (f?.Path is { } written) File.Delete(written); });   // refreshed, too large to keep: nobody sends it
            file = found.Value;
            // a file too large to keep is the computing request's own: a request that waited for it writes its own
            if (file is { Bytes: null } && found.Outcome is not (CacheOutcome.Miss or CacheOutcome.Bypass)) file = await Write(0, Ct);
        }
        else file = await Write(0, Ct);
        if (file is null) return Results.Text("暂无数据：该数据集尚未构建。", "text/plain; charset=utf-8", statusCode: 404);
        var filters = string.Join("&", q.Where(kv => kv.Key is not "format" and not "headers").Select(kv => $"{kv.Key}={kv.Value}"));
        await Accounts.Store.AuditAsync(CallerClaims.NameOf(Http.User), "export", $"{grid}.{format} {filters} 行数 {file.Rows}", "ok", Ct);
        var suffix = string.Join("_", new[] { Year ?? "", Period ?? "" }.Where(s => s.Length > 0));
        var name = $"{title}{(suffix.Length > 0 ? "_" + suffix : "")}.{format}";
        if (file.Bytes is { } kept) return KeptFile(kept, file.Gzipped, format, name);
        var stream = new FileStream(file.Path!, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        return Readers.ReaderTurn.Of(Http).Sending(Results.File(stream, GridExport.ContentType(format), name));
    }

    /// <summary>
    /// A kept export as the asker takes it: a gzip-compressed CSV as it is kept (<c>Content-Encoding: gzip</c>) to a client
    /// that accepts gzip — every browser; the browser saves the CSV itself — and inflated on the way to one that does not.
    /// Bytes sent as kept hold the reader slot for a slice at most (<see cref="Readers.ReaderTurn.Sending"/>); inflating is
    /// work, done in the slot.
    /// </summary>
    private IResult KeptFile(byte[] kept, bool gzipped, string format, string name)
    {
        var turn = Readers.ReaderTurn.Of(Http);
        if (!gzipped) return turn.Sending(Results.File(kept, GridExport.ContentType(format), name));
        Http.Response.Headers.Vary = "Accept-Encoding";
        if (!AcceptsGzip(Http.Request)) return Results.File(new GZipStream(new MemoryStream(kept), CompressionMode.Decompress), GridExport.ContentType(format), name);
        Http.Response.Headers.ContentEncoding = "gzip";
        return turn.Sending(Results.File(kept, GridExport.ContentType(format), name));
    }

    private static bool AcceptsGzip(HttpRequest request) =>
        request.GetTypedHeaders().AcceptEncoding.Any(coding =>
            coding.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && (coding.Quality ?? 1) > 0);

    /// <summary>
    /// A written export: its bytes when it is at most the size to keep (the file then deleted), else its file. A CSV is kept
    /// gzip-compressed (<paramref name="Gzipped"/>; issue 15: the province's whole-year 偏差排名 is 48 MB of CSV, 15 MB
    /// compressed in 0.2 s, and a 200-upload burst served it about 600 times from the cache: a third of the bytes to copy
    /// for each, and a third of the transfer over a county's intranet link).
    /// </summary>
    private sealed record ExportFile(byte[]? Bytes, string? Path, long Rows, bool Gzipped = false);

    /// <summary>Streams the grid's whole query into a file; null while its mart is not built.</summary>
    private async Task<ExportFile?> WriteAsync(MartQueries reader, string title, Func<DataScope, int?, CancellationToken, Task<GridQuery>> query,
        DataScope scope, int? year, string format, IReadOnlyDictionary<string, string>? headerOverrides, long keep, CancellationToken ct)
    {
        var whole = await query(scope.Within(Given(Region)), year, ct);
        var opened = await reader.OpenReaderAsync(whole, ct);
        if (opened is not { } o) return null;
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"budgetperf-export-{Guid.NewGuid():N}.{format}");
        var options = new ExportOptions
        {
            UseFieldNames = Headers == ExportOptions.FieldHeaders, Title = title, User = CallerClaims.NameOf(Http.User),
            Filters = FiltersOf(Http.Request.Query), HeaderOverrides = headerOverrides ?? new Dictionary<string, string>(),
            BuiltAt = format == "xlsx" ? await MartExport.BuiltAtAsync(Engine, ct) : null, // only xlsx's 说明 sheet shows it
        };
        long rows;
        var turn = Readers.ReaderTurn.Of(Http);
        await using (o.Connection)
        await using (o.Reader)
            rows = await GridExport.WriteAsync(o.Reader, format, path, options, ct, turn.YieldAsync);
        if (format == "csv" && keep > 0)
        {
            var compressed = await GzipAsync(path, turn, ct);
            if (compressed.Length > keep) return new ExportFile(null, path, rows);
            File.Delete(path);
            return new ExportFile(compressed, null, rows, Gzipped: true);
        }
        if (new FileInfo(path).Length > keep) return new ExportFile(null, path, rows);
        var bytes = await File.ReadAllBytesAsync(path, ct);
        File.Delete(path);
        return new ExportFile(bytes, null, rows);
    }

    /// <summary>The file gzip-compressed, a megabyte at a time (offering the reader slot between: 48 MB take about 0.2 s).</summary>
    private static async Task<byte[]> GzipAsync(string path, Readers.ReaderTurn turn, CancellationToken ct)
    {
        using var compressed = new MemoryStream();
        var buffer = new byte[1 << 20];
        await using (var file = File.OpenRead(path))
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            for (int read; (read = await file.ReadAsync(buffer, ct)) > 0; await turn.YieldAsync())
                await gzip.WriteAsync(buffer.AsMemory(0, read), ct);
        return compressed.ToArray();
    }

    /// <summary>The page's filter names (the 说明 sheet lists the filters as the page shows them).</summary>
    private static readonly Dictionary<string, string> FilterLabels = new()
    {
        ["year"] = "年度", ["period"] = "期间", ["dept"] = "部门", ["light"] = "预警", ["fund"] = "资金性质", ["cat"] = "指标类别",
        ["key"] = "重点项目", ["q"] = "搜索", ["by"] = "分组", ["a"] = "方案", ["b"] = "对比方案",
    };

    private static IReadOnlyList<(string Label, string Value)> FiltersOf(IQueryCollection q) =>
        q.Where(kv => FilterLabels.ContainsKey(kv.Key) && kv.Value.ToString().Length > 0)
            .Select(kv => (FilterLabels[kv.Key], kv.Key switch
            {
                "key" => kv.Value == "1" ? "是" : "否",
                "light" => ExportColumns.LightName(kv.Value.ToString()),
                "by" => GroupName(kv.Value.ToString()),
                _ => kv.Value.ToString(),
            }))
            .ToArray();
}
