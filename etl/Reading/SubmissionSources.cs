namespace BudgetPerf.Etl.Reading;

/// <summary>Opens a submission file with the reader its shape needs.</summary>
public static class SubmissionSources
{
    public static ISubmissionSource Open(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" or ".txt" or ".tsv" => new CsvSubmissionSource(path),
            var ext => throw new UnsupportedFileException($"{Path.GetFileName(path)}: 不支持的文件类型“{ext}”（请提交 CSV）"),
        };
}

public sealed class UnsupportedFileException(string message) : Exception(message);
