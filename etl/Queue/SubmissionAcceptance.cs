using BudgetPerf.Etl.Intake;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Etl.Queue;

/// <summary>One file's answer at upload time: its intake outcome and, when it was queued, its submission id.</summary>
public sealed record AcceptedFile(IntakeFile File, long? SubmissionId)
{
    public bool Queued => SubmissionId is not null;
}

/// <summary>
/// 上报受理（排队）: what an upload is answered at once. Each file is validated now, with the submitter's department
/// scope (a dry run of the loader: the same errors a load reports). A file with errors, refused on receipt, or already
/// loaded (same SHA-256) goes through the synchronous intake as before: rejected with its errors and errors.csv (or
/// reported a duplicate), recorded and audited, nothing loaded. A valid file is stored in the queue, bytes and all
/// (<see cref="SubmissionQueue"/>), for a <see cref="SubmissionWorker"/> of any instance to load and build.
/// </summary>
public sealed class SubmissionAcceptance(WarehouseEngine engine, SubmissionIntake intake)
{
    private readonly SubmissionQueue _queue = new(engine);

    /// <summary>Called after a file was queued (the in-process worker's wake-up).</summary>
    public Action? Queued { get; init; }

    /// <summary>Called as a file's acceptance starts; disposed once it is queued or answered (the in-process worker's 汇集).</summary>
    public Func<IDisposable>? Arriving { get; init; }

    /// <summary>Where each queued file's acceptance timing goes (duplicate check, validation, storing it); null: nowhere.</summary>
    public Action<string>? Log { get; init; }

    public async Task<IReadOnlyList<AcceptedFile>> AcceptAsync(IReadOnlyList<IntakeItem> items, Submitter submitter, CancellationToken ct = default)
    {
        var answers = new List<AcceptedFile>();
        foreach (var item in items)
        {
            using var arriving = Arriving?.Invoke();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            if (item.Refusal == IntakeRefusal.None && item.Path is { } path && SubmissionIntake.Unreadable(path) is null
                && item.Sha256 is { } sha && !await LoadedAsync(sha, ct))
            {
                var duplicateCheck = clock.Elapsed;
                var check = await new SubmissionLoader(engine).LoadFileAsync(path,
                    new LoadOptions { DryRun = true, Scope = submitter.Scope, SubmittedBy = submitter.UserName }, ct);
                if (check.ErrorCount == 0)
                {
                    var validated = clock.Elapsed;
                    var id = await _queue.EnqueueAsync(item.Name, sha, await File.ReadAllBytesAsync(path, ct), submitter.UserName,
                        check.Kind, check.Rows, ct);
                    Queued?.Invoke();
                    Log?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"上报受理 #{id} {item.Name}（{check.Rows} 行）{clock.Elapsed.TotalSeconds:F2} 秒：查重 {duplicateCheck.TotalSeconds:F2}，" +
                        $"校验 {(validated - duplicateCheck).TotalSeconds:F2}，入队 {(clock.Elapsed - validated).TotalSeconds:F2}"));
                    answers.Add(new AcceptedFile(new IntakeFile(check with { Sha256 = sha }), id));
                    continue;
                }
            }
            // refused, unreadable, invalid or a duplicate: answered now, exactly as the synchronous intake answers it
            var outcome = await intake.SubmitAsync([item], submitter, ct: ct);
            answers.Add(new AcceptedFile(outcome.Files[0], null));
        }
        return answers;
    }

    private async Task<bool> LoadedAsync(string sha, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(engine.Sql(
            "SELECT MIN(batch_id) FROM etl_batch WHERE sha256 = @sha AND status = 'loaded'"), new { sha }, cancellationToken: ct)) is not null;
    }
}
