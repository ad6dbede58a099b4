using BudgetPerf.Etl.Validation;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Etl.Loading;

public enum LoadStatus { Loaded, Rejected, Duplicate, Validated }

/// <summary>What happened to one file: loaded (with its batch), rejected (nothing loaded), already loaded, or validated only.</summary>
public sealed record LoadResult(
    string File,
    string? Kind,
    LoadStatus Status,
    long Rows,
    long? BatchId,
    IReadOnlyList<LoadIssue> Issues,
    TimeSpan Elapsed,
    string? ErrorsFile = null)
{
    /// <summary>The file's SHA-256 (lower-case hex), as recorded in <c>etl_batch.sha256</c>; null for a dry run or a file refused unread.</summary>
    public string? Sha256 { get; init; }

    public int ErrorCount => Issues.Count(i => i.Severity == Severity.Error);
    public int WarningCount => Issues.Count(i => i.Severity == Severity.Warning);
}

public sealed record LoadOptions
{
    /// <summary>Validate only; load nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Family code (<c>--kind</c>) overriding recognition from the header.</summary>
    public string? Kind { get; init; }

    /// <summary>Write <c>FILE.errors.csv</c> beside a rejected file.</summary>
    public bool WriteErrorsFile { get; init; } = true;

    /// <summary>Rows read so far in the current file, reported every <see cref="SubmissionLoader.ProgressEvery"/> rows.</summary>
    public IProgress<long>? RowsRead { get; init; }

    /// <summary>
    /// The departments the submitter may submit for (a 部门 user's own); a row of any other department is an error,
    /// so nothing of the file loads (<see cref="UploadScope"/>). <see cref="DataScope.All"/> (the command line, the
    /// read-all roles) checks nothing.
    /// </summary>
    public DataScope Scope { get; init; } = DataScope.All;

    /// <summary>Who submitted the file (the signed-in user's name), written to <c>etl_batch.submitted_by</c>.</summary>
    public string? SubmittedBy { get; init; }

    /// <summary>The file's SHA-256 when the caller computed it already (lower-case hex); the loader then does not hash the file again.</summary>
    public string? Sha256 { get; init; }
}
