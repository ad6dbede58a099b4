using System.Collections.Concurrent;
using System.Security.Cryptography;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Etl.Validation;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Dashboard.Upload;

/// <summary>Why a file was turned away before the loader saw it.</summary>
public enum UploadRefusal { None, TooLarge, BadName }

/// <summary>One uploaded file's outcome, with the id of its <c>errors.csv</c> when it was rejected.</summary>
public sealed record UploadedFile(LoadResult Result, string? ErrorsId, UploadRefusal Refusal = UploadRefusal.None);

/// <summary>What one upload did: per-file results and, when something loaded, the model rebuild.</summary>
public sealed record UploadOutcome(IReadOnlyList<UploadedFile> Files, BuildResult? Build);

/// <summary>Who uploads: the signed-in user's name (audit, <c>etl_batch.submitted_by</c>, errors.csv owner) and data scope.</summary>
public sealed record UploadCaller(string UserName, DataScope Scope);

/// <summary>
/// 数据上报 in-process: the dashboard owns the DuckDB file, so uploads go through the same loader as
/// <c>budgetperf load</c>, then the models rebuild. Each file is streamed to its own generated folder (the uploaded
/// name is never a path), counting bytes as they arrive: past the limit (<c>BudgetPerf:UploadLimitMB</c>, default
/// 50 MB; a declared length is never trusted) the partial file is deleted and nothing loads. Rows outside the
/// caller's departments are refused by the loader. Every file is audited (actor, name, SHA-256, result, rows).
/// One load at a time.
/// </summary>
public sealed class UploadService(WarehouseEngine engine, IConfiguration? configuration = null, WarehouseRebuild? rebuild = null)
{
    private readonly WarehouseRebuild _rebuild = rebuild ?? new WarehouseRebuild(engine);
    public const string LimitSetting = "BudgetPerf:UploadLimitMB";
    public const int DefaultLimitMB = 50;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, (string Path, string Owner)> _errorFiles = new();
    private readonly string _root = Path.Combine(Path.GetTempPath(), "budgetperf-uploads");
    private readonly UserStore _audit = new(engine);

    /// <summary>The size limit of one file, in MB.</summary>
    public int LimitMB { get; } = configuration?.GetValue<int?>(LimitSetting) is > 0 and var mb ? mb : DefaultLimitMB;

    public long LimitBytes => LimitMB * 1024L * 1024;

    /// <summary>The file name to store and report: the last segment of what the client sent, or null when it is no .csv/.xlsx/.xls name.</summary>
    public static string? SafeName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var last = name.Replace('\\', '/').Split('/')[^1].Trim();
        foreach (var c in Path.GetInvalidFileNameChars()) last = last.Replace(c, '_');
        last = new string(last.Select(c => char.IsControl(c) ? '_' : c).ToArray());
        var extension = Path.GetExtension(last).ToLowerInvariant();
        return extension is ".csv" or ".xlsx" or ".xls" && last.Length > extension.Length && last.Length <= 200 ? last : null;
    }

    public async Task<UploadOutcome> UploadAsync(IReadOnlyList<(string Name, Func<Stream> Open)> files, UploadCaller caller,
        CancellationToken ct = default) =>
        await CommitAsync(await StageAsync(files, ct), caller, ct);

    /// <summary>
    /// The files received and kept on disk, not loaded: each workbook with how it would be read (预览: form, blocks,
    /// captions → fields, rows taken and skipped), so the uploader confirms before anything is committed.
    /// </summary>
    public async Task<StagedUpload> StageAsync(IReadOnlyList<(string Name, Func<Stream> Open)> files, CancellationToken ct = default)
    {
        var batch = Path.Combine(_root, Guid.NewGuid().ToString("N"));
        var received = new List<StagedFile>();
        for (var i = 0; i < files.Count; i++)   // streamed to disk before the gate: a slow client holds up no one else
        {
            var (name, open) = files[i];
            if (SafeName(name) is not { } safe)
            {
                received.Add(new StagedFile(name, null, null, Refuse(name, UploadRefusal.BadName, $"文件名“{name}”不是 .csv、.xlsx 或 .xls 文件，已拒绝"), []));
                continue;
            }
            var dir = Path.Combine(batch, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, safe);
            var sha = await SaveAsync(open, path, ct);
            received.Add(sha is null
                ? new StagedFile(safe, null, null, Refuse(safe, UploadRefusal.TooLarge, $"文件“{safe}”超过上传大小上限 {LimitMB} MB，已拒绝（未入库）"), [])
                : new StagedFile(safe, path, sha, null,
                    safe.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? [] : await FormPreview.OfAsync(engine, path, ct)));
        }
        return new StagedUpload(received);
    }

    /// <summary>A staged upload abandoned at its preview: its files are deleted, nothing was loaded.</summary>
    public static void Discard(StagedUpload staged)
    {
        foreach (var f in staged.Files.Where(f => f.Path is not null)) File.Delete(f.Path!);
    }

    public async Task<UploadOutcome> CommitAsync(StagedUpload staged, UploadCaller caller, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var loader = new SubmissionLoader(engine);
            var options = new LoadOptions { Scope = caller.Scope, SubmittedBy = caller.UserName };
            var results = new List<UploadedFile>();
            foreach (var (name, path, sha, refused, _) in staged.Files)
            {
                var file = refused ?? await LoadAsync(loader, path!, options, caller, ct);
                results.Add(file);
                await AuditAsync(caller, name, sha, file, ct);
                if (path is not null) File.Delete(path);   // the errors.csv beside it stays for its download
            }
            BuildResult? build = null;
            if (results.Any(r => r.Result.Status == LoadStatus.Loaded))
                build = await _rebuild.RunAsync(ct);
            return new UploadOutcome(results, build);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Copies the upload to <paramref name="path"/> counting bytes; its SHA-256, or null (file deleted) past the limit.</summary>
    private async Task<string?> SaveAsync(Func<Stream> open, string path, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        try
        {
            await using var target = File.Create(path);
            await using var source = open();
            int n;
            while ((n = await source.ReadAsync(buffer, ct)) > 0)
            {
                total += n;
                if (total > LimitBytes) break;
                hash.AppendData(buffer, 0, n);
                await target.WriteAsync(buffer.AsMemory(0, n), ct);
            }
        }
        catch
        {
            File.Delete(path);   // a client that went away leaves no partial file
            throw;
        }
        if (total <= LimitBytes) return Convert.ToHexStringLower(hash.GetHashAndReset());
        File.Delete(path);
        return null;
    }

    private async Task<UploadedFile> LoadAsync(SubmissionLoader loader, string path, LoadOptions options, UploadCaller caller,
        CancellationToken ct)
    {
        var result = await loader.LoadFileAsync(path, options, ct);
        if (result.ErrorsFile is not { } errors) return new UploadedFile(result, null);
        var id = Guid.NewGuid().ToString("N");
        _errorFiles[id] = (errors, caller.UserName);
        return new UploadedFile(result, id);
    }

    private static UploadedFile Refuse(string name, UploadRefusal why, string message) =>
        new(new LoadResult(name, null, LoadStatus.Rejected, 0, null,
            [new LoadIssue(name, null, null, null, null, Severity.Error, message)], TimeSpan.Zero), null, why);

    private Task AuditAsync(UploadCaller caller, string name, string? sha, UploadedFile file, CancellationToken ct)
    {
        var r = file.Result;
        var result = file.Refusal switch
        {
            UploadRefusal.TooLarge => "too-large",
            UploadRefusal.BadName => "bad-name",
            _ => r.Status.ToString().ToLowerInvariant(),
        };
        var detail = $"{name} sha256={sha ?? "-"} result={result} rows={r.Rows} errors={r.ErrorCount} batch={r.BatchId?.ToString() ?? "-"}";
        return _audit.AuditAsync(caller.UserName, "upload", detail, r.Status == LoadStatus.Rejected ? "refused" : "ok", ct);
    }

    /// <summary>The errors.csv of a rejected upload, only for the user who uploaded it (null otherwise, or when gone).</summary>
    public string? ErrorsFile(string id, string userName) =>
        _errorFiles.TryGetValue(id, out var entry) && entry.Owner == userName && File.Exists(entry.Path) ? entry.Path : null;
}

/// <summary>One received file: where it waits, its SHA-256, its refusal (name, size) or its preview.</summary>
public sealed record StagedFile(string Name, string? Path, string? Sha, UploadedFile? Refused,
    IReadOnlyList<BudgetPerf.Etl.Reading.Forms.SheetExplanation> Preview);

/// <summary>Files received and awaiting confirmation on the upload page's 预览 step.</summary>
public sealed record StagedUpload(IReadOnlyList<StagedFile> Files)
{
    public bool NeedsPreview => Files.Any(f => f.Preview.Count > 0);
}
