namespace BudgetPerf.Etl.Submissions;

/// <summary>How a cell is read: text as written, a whole number, or an amount/score (decimal, never double).</summary>
public enum FieldType { Text, Integer, Amount }

/// <summary>One column of a submission family: the raw table column, its Chinese header and English alias.</summary>
/// <param name="Column">Raw table column, which is also the accepted English header alias.</param>
/// <param name="Header">The Chinese header of the form (without the <c>*</c>).</param>
/// <param name="Required">A <c>*</c> column: the file is rejected without it; a blank cell is an error.</param>
/// <param name="Measured">
/// A measured result (期间执行情况, 实际完成值): the column is required but a blank cell is 未填报, a warning, not an error.
/// </param>
public sealed record FieldSpec(string Column, string Header, FieldType Type = FieldType.Text, bool Required = false,
    bool Measured = false);
