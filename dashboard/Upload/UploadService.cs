using BudgetPerf.Etl.Intake;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Etl.Queue;
using BudgetPerf.Etl.Reading.Forms;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Dashboard.Upload;

/// <summary>Why a file was turned away before the loader saw it.</summary>
public enum UploadRefusal { None, TooLarge, BadName }

/// <summary>
/// One uploaded file's outcome, with the id of its <c>errors.csv</c> when it was rejected, or its submission id when it
/// was valid and queued (<see cref="Result"/> is then the validation: <see cref="LoadStatus.Validated"/>, its rows).
/// </summary>
public sealed record UploadedFile(LoadResult Result, string? ErrorsId, UploadRefusal Refusal = UploadRefusal.None, long? SubmissionId = null)
{
    /// <summary>The status URL of a queued file (<c>GET /upload/submissions/{id}</c>).</summary>
    public string? StatusUrl => SubmissionId is { } id ? $"/upload/submissions/{id}" : null;
}

/// <summary>What one upload did: per-file results (rejected at once, a duplicate, or queued for the worker).</summary>
public sealed record UploadOutcome(IReadOnlyList<UploadedFile> Files);

/// <summary>Who uploads: the signed-in user's name (audit, <c>etl_batch.submitted_by</c>, errors.csv owner) and data scope.</summary>
public sealed record UploadCaller(string UserName, DataScope Scope);

/// <summary>
/// 数据上报: each file is received (size limit and hash, <see cref="SubmissionIntake"/>) and validated at once with the
/// uploader's scope; a rejected file gets its errors at once, a valid one is queued in the warehouse
/// (<see cref="SubmissionAcceptance"/>) and loaded and built by the <see cref="SubmissionWorker"/> of whichever instance
/// gets to it first (its state: <see cref="SubmissionQueue"/>). What is the web's own: each file is streamed to its own generated folder (the uploaded name is never a
/// path) before the intake's gate, so a slow client holds up no one else; the limit comes from
/// <c>BudgetPerf:UploadLimitMB</c> (default 50 MB); a rejected file's errors.csv is kept in the warehouse
/// (<see cref="UploadErrorFiles"/>) for its uploader's download from any dashboard instance.
/// </summary>
public sealed class UploadService
{
    public const string LimitSetting = "BudgetPerf:UploadLimitMB";
    public const int DefaultLimitMB = 50;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "budgetperf-uploads");
    private readonly SubmissionIntake _intake;
    private readonly SubmissionAcceptance _acceptance;
    private readonly WarehouseEngine _engine;
    private readonly UploadErrorFiles _errorFiles;

    public UploadService(WarehouseEngine engine, IConfiguration? configuration = null, SubmissionWorker? worker = null,
        ILogger<UploadService>? logger = null)
    {
        _engine = engine;
        _errorFiles = new UploadErrorFiles(engine);
        Queue = new SubmissionQueue(engine);
        LimitMB = configuration?.GetValue<int?>(LimitSetting) is > 0 and var mb ? mb : DefaultLimitMB;
        _intake = new SubmissionIntake(engine, new IntakeOptions { AuditAction = "upload", LimitBytes = LimitBytes });
        _acceptance = new SubmissionAcceptance(engine, _intake)
        {
            Queued = worker is null ? null : worker.Wake,
            Arriving = worker is null ? null : worker.Arriving,
            Log = logger is null ? null : line => logger.LogInformation("{Acceptance}", line),
        };
    }

    /// <summary>The submission queue (state of each queued file).</summary>
    public SubmissionQueue Queue { get; }

    /// <summary>The size limit of one file, in MB.</summary>
    public int LimitMB { get; }

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
                received.Add(new StagedFile(IntakeItem.Refused(name, IntakeRefusal.BadName, $"文件名“{name}”不是 .csv、.xlsx 或 .xls 文件，已拒绝"), []));
                continue;
            }
            var dir = Path.Combine(batch, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, safe);
            var sha = await _intake.ReceiveAsync(open, path, ct);
            received.Add(sha is null
                ? new StagedFile(IntakeItem.Refused(safe, IntakeRefusal.TooLarge, $"文件“{safe}”超过上传大小上限 {LimitMB} MB，已拒绝（未入库）"), [])
                : new StagedFile(new IntakeItem(safe, path, sha),
                    safe.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? [] : await FormPreview.OfAsync(_engine, path, ct)));
        }
        return new StagedUpload(received);
    }

    /// <summary>A staged upload abandoned at its preview: its files are deleted, nothing was loaded.</summary>
    public static void Discard(StagedUpload staged)
    {
        foreach (var f in staged.Files.Where(f => f.Item.Path is not null)) File.Delete(f.Item.Path!);
    }

    /// <summary>Validates a staged upload now (scope check) and queues each valid file; a rejected one is answered with its errors.</summary>
    public async Task<UploadOutcome> CommitAsync(StagedUpload staged, UploadCaller caller, CancellationToken ct = default)
    {
        try
        {
            var items = staged.Files.Select(f => f.Item).ToList();
            var accepted = await _acceptance.AcceptAsync(items, new Submitter(caller.UserName, caller.Scope), ct);
            var files = new List<UploadedFile>();
            foreach (var f in accepted)
                files.Add(f.SubmissionId is { } id ? new UploadedFile(f.File.Result, null, SubmissionId: id) : await UploadedAsync(f.File, caller, ct));
            return new UploadOutcome(files);
        }
        finally
        {
            Discard(staged);   // each errors.csv is in the warehouse by now
        }
    }

    private async Task<UploadedFile> UploadedAsync(IntakeFile file, UploadCaller caller, CancellationToken ct)
    {
        var refusal = file.Refusal switch
        {
            IntakeRefusal.TooLarge => UploadRefusal.TooLarge,
            IntakeRefusal.BadName => UploadRefusal.BadName,
            _ => UploadRefusal.None,
        };
        if (file.Result.ErrorsFile is not { } errors) return new UploadedFile(file.Result, null, refusal);
        var id = Guid.NewGuid().ToString("N");
        await _errorFiles.SaveAsync(id, caller.UserName, file.Result.File, await File.ReadAllTextAsync(errors, ct), ct);
        File.Delete(errors);
        return new UploadedFile(file.Result, id, refusal);
    }

    /// <summary>The errors.csv text of a rejected upload, only for the user who uploaded it (null otherwise).</summary>
    public Task<string?> ErrorsCsvAsync(string id, string userName, CancellationToken ct = default) =>
        _errorFiles.FindAsync(id, userName, ct);
}

/// <summary>One received file for the intake (where it waits, its SHA-256, or its refusal) and its preview.</summary>
public sealed record StagedFile(IntakeItem Item, IReadOnlyList<SheetExplanation> Preview)
{
    public string Name => Item.Name;
}

/// <summary>Files received and awaiting confirmation on the upload page's 预览 step.</summary>
public sealed record StagedUpload(IReadOnlyList<StagedFile> Files)
{
    public bool NeedsPreview => Files.Any(f => f.Preview.Count > 0);
}
