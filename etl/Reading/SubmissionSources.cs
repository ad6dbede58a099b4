using BudgetPerf.Etl.Reading.Xlsx;

namespace BudgetPerf.Etl.Reading;

/// <summary>
/// A file opened for reading, as the parts it holds: one for a CSV, one per flat sheet of an .xlsx, and for the
/// official form layouts one per block (资金 / 指标) of each project's sheet.
/// </summary>
public sealed class SubmissionFile(IReadOnlyList<ISubmissionSource> parts, IDisposable? owner = null) : IDisposable
{
    public IReadOnlyList<ISubmissionSource> Parts { get; } = parts;

    public void Dispose()
    {
        foreach (var part in Parts) part.Dispose();
        owner?.Dispose();
    }
}

/// <summary>Opens a submission file with the reader its shape needs.</summary>
public static class SubmissionSources
{
    /// <param name="lookup">Finds a known project's code from (主管部门, 项目名称) for the official forms.</param>
    public static SubmissionFile Open(string path, ProjectLookup? lookup = null) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" or ".txt" or ".tsv" => new SubmissionFile([new CsvSubmissionSource(path)]),
            ".xlsx" or ".xlsm" => OpenWorkbook(path, lookup),
            var ext => throw new UnsupportedFileException(
                $"{Path.GetFileName(path)}: 不支持的文件类型“{ext}”（请提交 CSV 或 .xlsx；.xls 请在 Excel 中另存为 .xlsx）"),
        };

    private static SubmissionFile OpenWorkbook(string path, ProjectLookup? lookup)
    {
        XlsxGuard.Check(path);   // bombs and sheets beyond Excel's limits, before the SDK inflates anything
        var workbook = new XlsxWorkbook(path);
        try
        {
            var name = Path.GetFileName(path);
            var parts = new List<ISubmissionSource>();
            foreach (var sheet in workbook.Sheets)
            {
                if (OfficialForms.TryRead(workbook, name, sheet, lookup) is { } blocks) parts.AddRange(blocks);
                else if (workbook.Rows(sheet).Any()) parts.Add(new XlsxFlatSource(workbook, name, sheet));
            }
            return new SubmissionFile(parts, workbook);
        }
        catch
        {
            workbook.Dispose();
            throw;
        }
    }
}

public sealed class UnsupportedFileException(string message) : Exception(message);
