using BudgetPerf.Etl.Reading.Forms;
using BudgetPerf.Etl.Reading.Xlsx;
using BudgetPerf.Etl.Submissions;

namespace BudgetPerf.Etl.Reading;

/// <summary>
/// A file opened for reading, as the parts it holds: one for a CSV, one per flat sheet of an .xlsx, and for the
/// official form layouts one per block (资金 / 指标) of each project's sheet.
/// </summary>
public sealed class SubmissionFile(IReadOnlyList<ISubmissionSource> parts, IDisposable? owner = null,
    IReadOnlyList<SheetExplanation>? explanations = null) : IDisposable
{
    public IReadOnlyList<ISubmissionSource> Parts { get; } = parts;

    /// <summary>How each sheet of a workbook was read (form, blocks, captions, rows taken and skipped); empty for a CSV.</summary>
    public IReadOnlyList<SheetExplanation> Explanations { get; } = explanations ?? [];

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
            ".xls" => Read(XlsGuard.Open(path), Path.GetFileName(path), lookup),
            var ext => throw new UnsupportedFileException(
                $"{Path.GetFileName(path)}: 不支持的文件类型“{ext}”（请提交 CSV、.xlsx 或 .xls）"),
        };

    private static SubmissionFile OpenWorkbook(string path, ProjectLookup? lookup)
    {
        XlsxGuard.Check(path);   // bombs and sheets beyond Excel's limits, before the SDK inflates anything
        return Read(new XlsxWorkbook(path), Path.GetFileName(path), lookup);
    }

    /// <summary>
    /// The parts of a workbook: each form sheet through the <see cref="LayoutEngine"/>, each flat sheet as a table.
    /// Hidden sheets are never read; beside a form, a sheet that is neither a form nor a table (填表说明) is skipped.
    /// </summary>
    public static SubmissionFile Read(IFormWorkbook workbook, string name, ProjectLookup? lookup)
    {
        try
        {
            var parts = new List<ISubmissionSource>();
            var explanations = new List<SheetExplanation>();
            var flat = new List<(string Sheet, SheetExplanation Explain)>();
            foreach (var sheet in workbook.Sheets)
            {
                var explain = new SheetExplanation(sheet);
                explanations.Add(explain);
                if (workbook.IsHidden(sheet))
                {
                    explain.Note = "隐藏的工作表，不读取";
                    continue;
                }
                if (LayoutEngine.TryRead(new FormGrid(workbook, sheet), name, sheet, lookup, explain) is { } blocks) parts.AddRange(blocks);
                else if (workbook.Rows(sheet).Any()) flat.Add((sheet, explain));
            }
            var anyForm = explanations.Any(e => e.Blocks.Count > 0);
            foreach (var (sheet, explain) in flat)
            {
                var table = new XlsxFlatSource(workbook, name, sheet);
                if (anyForm && SubmissionKinds.Recognize(table.Headers) is null)
                {
                    table.Dispose();
                    explain.Note = "不是报表也不是数据表（如填表说明），不读取";
                    continue;
                }
                explain.Form = "数据表（首行为表头）";
                parts.Add(table);
            }
            return new SubmissionFile(parts, workbook, explanations);
        }
        catch
        {
            workbook.Dispose();
            throw;
        }
    }
}

public sealed class UnsupportedFileException(string message) : Exception(message);
