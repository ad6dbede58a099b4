using System.Security.Cryptography;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Etl.Validation;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Etl.Intake;

/// <summary>
/// 上报受理, the one intake use case of <c>budgetperf load</c> and the dashboard's 数据上报: each file is checked
/// (readable; on receipt, within the size limit and hashed as it arrives, so the SHA-256 is computed once), loaded
/// with the submitter's department scope (rows of other departments reject the file, <see cref="UploadScope"/>),
/// audited (actor, name, SHA-256, result, rows), and when anything loaded the warehouse build is triggered.
/// One submission at a time per intake.
/// </summary>
public sealed class SubmissionIntake(WarehouseEngine engine, IntakeOptions? options = null)
{
    private readonly IntakeOptions _options = options ?? new IntakeOptions();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly UserStore _audit = new(engine);

    public IntakeOptions Options => _options;

    /// <summary>
    /// Copies an incoming file to <paramref name="path"/>, counting bytes against <see cref="IntakeOptions.LimitBytes"/>
    /// (a declared length is never trusted) and hashing as it goes: its SHA-256, or null (partial file deleted) past the limit.
    /// </summary>
    public async Task<string?> ReceiveAsync(Func<Stream> open, string path, CancellationToken ct = default)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var limit = _options.LimitBytes ?? long.MaxValue;
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
                if (total > limit) break;
                hash.AppendData(buffer, 0, n);
                await target.WriteAsync(buffer.AsMemory(0, n), ct);
            }
        }
        catch
        {
            File.Delete(path);   // a client that went away leaves no partial file
            throw;
        }
        if (total <= limit) return Convert.ToHexStringLower(hash.GetHashAndReset());
        File.Delete(path);
        return null;
    }

    /// <summary>
    /// Loads the files in order, each audited; then, when one loaded (and not a dry run), the build.
    /// <paramref name="starting"/> hears of each file (index) before it loads.
    /// </summary>
    public async Task<IntakeOutcome> SubmitAsync(IReadOnlyList<IntakeItem> items, Submitter submitter, LoadOptions? load = null,
        Action<int>? starting = null, CancellationToken ct = default)
    {
        load = (load ?? new LoadOptions()) with { Scope = submitter.Scope, SubmittedBy = submitter.UserName };
        await _gate.WaitAsync(ct);
        try
        {
            var loader = new SubmissionLoader(engine);
            var files = new List<IntakeFile>();
            for (var i = 0; i < items.Count; i++)
            {
                starting?.Invoke(i);
                var item = items[i];
                if (item.Refusal == IntakeRefusal.None && item.Path is { } p && Unreadable(p) is { } why)
                    item = IntakeItem.Refused(item.Name, IntakeRefusal.Unreadable, why);
                var file = item.Refusal != IntakeRefusal.None || item.Path is null
                    ? new IntakeFile(Refusal(item), item.Refusal)
                    : new IntakeFile(await loader.LoadFileAsync(item.Path, load with { Sha256 = item.Sha256 ?? load.Sha256 }, ct));
                files.Add(file);
                if (!load.DryRun) await AuditAsync(submitter, item.Name, file, ct);
            }
            BuildResult? build = null;
            if (!load.DryRun && _options.Build is { } run && files.Any(f => f.Result.Status == LoadStatus.Loaded))
                build = await run(ct);
            return new IntakeOutcome(files, build);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Why a file on disk cannot be read (one line naming it), or null when it can.</summary>
    public static string? Unreadable(string path)
    {
        if (Directory.Exists(path)) return $"“{path}”是目录，不是上报文件";
        if (!File.Exists(path)) return $"找不到文件“{path}”";
        try
        {
            using var _ = File.OpenRead(path);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"无法读取文件“{path}”：{ex.Message}";
        }
    }

    private static LoadResult Refusal(IntakeItem item) =>
        new(item.Name, null, LoadStatus.Rejected, 0, null,
            [new LoadIssue(item.Name, null, null, null, null, Severity.Error, item.Message ?? "已拒绝")], TimeSpan.Zero);

    private Task AuditAsync(Submitter submitter, string name, IntakeFile file, CancellationToken ct)
    {
        var r = file.Result;
        var result = file.Refusal switch
        {
            IntakeRefusal.TooLarge => "too-large",
            IntakeRefusal.BadName => "bad-name",
            IntakeRefusal.Unreadable => "unreadable",
            _ => r.Status.ToString().ToLowerInvariant(),
        };
        var detail = $"{name} sha256={r.Sha256 ?? "-"} result={result} rows={r.Rows} errors={r.ErrorCount} batch={r.BatchId?.ToString() ?? "-"}";
        return _audit.AuditAsync(submitter.UserName, _options.AuditAction, detail, r.Status == LoadStatus.Rejected ? "refused" : "ok", ct);
    }
}
