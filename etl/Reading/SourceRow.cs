namespace BudgetPerf.Etl.Reading;

/// <summary>One data row as read from a file: its 1-based row number in the sheet (header = row 1) and its cells.</summary>
public readonly record struct SourceRow(int RowNumber, string?[] Cells);

/// <summary>A file opened for reading: its header and a forward-only stream of rows.</summary>
public interface ISubmissionSource : IDisposable
{
    string FileName { get; }

    /// <summary>Worksheet name for xlsx sources; null for CSV.</summary>
    string? Sheet { get; }

    IReadOnlyList<string> Headers { get; }

    IEnumerable<SourceRow> Rows();
}

/// <summary>A source whose family is fixed by its layout (a block of an official form), not recognised from its header.</summary>
public interface IKnownKind
{
    Submissions.SubmissionKind Kind { get; }
}

/// <summary>A source read from a form sheet whose fields sit in known sheet columns, so an error can name the letter.</summary>
public interface ISheetColumns
{
    /// <summary>The sheet column letter of a field (by its Chinese header), or null when it comes from the form's head.</summary>
    string? LetterOf(string field);
}
