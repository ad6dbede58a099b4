namespace BudgetPerf.Etl.Submissions;

/// <summary>A submission family of spec/submissions.md: its columns and the raw table it lands in.</summary>
/// <param name="Code">Stable English code, used by <c>--kind</c> and in <c>etl_batch.kind</c>.</param>
/// <param name="Title">The family's Chinese name (监控资金, 自评指标 …).</param>
public sealed record SubmissionKind(string Code, string Title, string RawTable, IReadOnlyList<FieldSpec> Fields)
{
    public IEnumerable<FieldSpec> RequiredFields => Fields.Where(f => f.Required);

    /// <summary>Index of the field with this raw column name, −1 when the family has none.</summary>
    public int IndexOf(string column)
    {
        for (var i = 0; i < Fields.Count; i++)
            if (Fields[i].Column == column) return i;
        return -1;
    }

    /// <summary>The field a header names (Chinese or English alias), after <see cref="HeaderText.Normalize"/>.</summary>
    public FieldSpec? FieldFor(string header)
    {
        var key = HeaderText.Normalize(header);
        return Fields.FirstOrDefault(f => HeaderText.Normalize(f.Header) == key || f.Column == key);
    }
}
