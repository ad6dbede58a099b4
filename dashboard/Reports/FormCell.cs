namespace BudgetPerf.Dashboard.Reports;

/// <summary>How a cell of a printed form's grid joins the cell above it (a label spanning two rows: restart, then continue).</summary>
public enum RowMerge { None, Restart, Continue }

/// <summary>
/// One cell of a printed form's grid (表2-B, 表1-B): its paragraphs, how many grid columns it spans, whether it is a
/// label (bold, centred) and how it merges vertically.
/// </summary>
public sealed record FormCell(IReadOnlyList<string> Paragraphs, int Span = 1, bool IsLabel = false, RowMerge Merge = RowMerge.None)
{
    public static FormCell Label(string text, RowMerge merge = RowMerge.None) => new([text], 1, true, merge);

    public static FormCell Value(string text, int span = 1) => new([text], span);

    public static FormCell Values(IReadOnlyList<string> paragraphs, int span = 1) => new(paragraphs, span);

    /// <summary>The lower part of a label merged with the one above.</summary>
    public static FormCell Continued() => new([], 1, true, RowMerge.Continue);
}
