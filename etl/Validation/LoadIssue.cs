namespace BudgetPerf.Etl.Validation;

public enum Severity { Error, Warning }

/// <summary>A problem found in a file, named precisely enough for a department to fix it: file, sheet, row, column, value, reason (Chinese).</summary>
public sealed record LoadIssue(string File, string? Sheet, int? Row, string? Column, string? Value, Severity Severity, string Message)
{
    public string SeverityText => Severity == Severity.Error ? "error" : "warning";

    public override string ToString() =>
        $"{File}{(Sheet is null ? "" : $" [{Sheet}]")}{(Row is null ? "" : $" 第{Row}行")}" +
        $"{(Column is null ? "" : $" 「{Column}」")}{(Value is null ? "" : $" 值“{Value}”")}: {Message}";
}
