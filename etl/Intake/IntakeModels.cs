using BudgetPerf.Etl.Loading;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Etl.Intake;

/// <summary>Why a file was turned away before the loader saw it (拒收).</summary>
public enum IntakeRefusal { None, TooLarge, BadName, Unreadable }

/// <summary>
/// Who submits (上报人): the name written to the audit log and <c>etl_batch.submitted_by</c>, and the departments they
/// may submit for (<see cref="DataScope.All"/> checks nothing).
/// </summary>
public sealed record Submitter(string UserName, DataScope Scope);

/// <summary>
/// A file handed to the intake: a path on disk with its SHA-256 when it was hashed on receipt, or a refusal decided on
/// receipt (no path) with the message to report.
/// </summary>
public sealed record IntakeItem(string Name, string? Path, string? Sha256 = null)
{
    public IntakeRefusal Refusal { get; init; }
    public string? Message { get; init; }

    public static IntakeItem Refused(string name, IntakeRefusal why, string message) =>
        new(name, null) { Refusal = why, Message = message };
}

/// <summary>One file's outcome: the loader's result (a refused file's is a rejection naming the reason) and why it was refused.</summary>
public sealed record IntakeFile(LoadResult Result, IntakeRefusal Refusal = IntakeRefusal.None);

/// <summary>What one submission did: per-file results and, when something loaded and a build was asked for, the model build.</summary>
public sealed record IntakeOutcome(IReadOnlyList<IntakeFile> Files, BuildResult? Build);

/// <summary>How an intake runs.</summary>
public sealed record IntakeOptions
{
    /// <summary>The audit-log action of each file: <c>upload</c> (the dashboard) or <c>load</c> (the command line).</summary>
    public string AuditAction { get; init; } = "upload";

    /// <summary>The size limit of one received file in bytes (<see cref="SubmissionIntake.ReceiveAsync"/>); null for none.</summary>
    public long? LimitBytes { get; init; }

    /// <summary>
    /// The build after a submission that loaded something (the dashboard's serialised rebuild, or the command line's
    /// build); null: no build.
    /// </summary>
    public Func<CancellationToken, Task<BuildResult>>? Build { get; init; }
}
