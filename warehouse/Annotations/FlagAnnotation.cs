namespace BudgetPerf.Warehouse.Annotations;

/// <summary>
/// 财政批注: the finance office's decision on one consequence flag (削减/取消, 收回, 暂停拨款 …) of
/// <c>mart_cut_candidates</c> — one <c>flag_annotation</c> row (migration 0017).
/// </summary>
public sealed class FlagAnnotation
{
    public long AnnotationId { get; set; }
    public int FiscalYear { get; set; }
    public string ProjectCode { get; set; } = "";
    public string Flag { get; set; } = "";

    /// <summary>One of <see cref="FlagDecision.All"/>.</summary>
    public string Decision { get; set; } = "";
    public string? Note { get; set; }
    public string AnnotatedBy { get; set; } = "";
    public DateTime AnnotatedAt { get; set; }
}

/// <summary>The decisions a 财政 user may record on a flag.</summary>
public static class FlagDecision
{
    /// <summary>采纳: the suggestion is taken into the budget.</summary>
    public const string Adopt = "采纳";

    /// <summary>不采纳: the suggestion is set aside.</summary>
    public const string Reject = "不采纳";

    /// <summary>待核实: the figures are being checked with the department.</summary>
    public const string Verify = "待核实";

    public static IReadOnlyList<string> All { get; } = [Adopt, Reject, Verify];

    public static bool IsValid(string? decision) => decision is not null && All.Contains(decision);
}
