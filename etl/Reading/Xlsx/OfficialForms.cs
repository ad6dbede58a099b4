using BudgetPerf.Etl.Submissions;

namespace BudgetPerf.Etl.Reading.Xlsx;

/// <summary>Finds a project's code from (主管部门, 项目名称), as the printed forms carry no 项目编码.</summary>
public delegate string? ProjectLookup(string department, string projectName);

/// <summary>One family's rows of a form sheet (read by <see cref="Forms.LayoutEngine"/>), with the sheet's own row numbers.</summary>
internal sealed class FormBlockSource(string fileName, string sheet, SubmissionKind kind, string[] headers, List<SourceRow> rows,
    IReadOnlyDictionary<string, string>? letters = null)
    : ISubmissionSource, IKnownKind, ISheetColumns
{
    public string? LetterOf(string field) => letters?.GetValueOrDefault(field);

    public string FileName => fileName;
    public string? Sheet => sheet;
    public IReadOnlyList<string> Headers => headers;
    public SubmissionKind Kind => kind;
    public IEnumerable<SourceRow> Rows() => rows;
    public void Dispose() { }
}
