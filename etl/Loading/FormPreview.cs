using BudgetPerf.Etl.Reading;
using BudgetPerf.Etl.Reading.Forms;
using BudgetPerf.Warehouse.Engines;

namespace BudgetPerf.Etl.Loading;

/// <summary>
/// How a workbook would be read, before anything is committed (<c>load --dry-run --explain</c>, the upload page's 预览):
/// per sheet the form recognised, the head, the blocks, each caption's field, the rows taken and skipped with why —
/// through the same reader and project directory as <see cref="SubmissionLoader"/>.
/// </summary>
public static class FormPreview
{
    public static Task<IReadOnlyList<SheetExplanation>> OfAsync(WarehouseEngine engine, string path, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Of(engine, path));
    }

    public static IReadOnlyList<SheetExplanation> Of(WarehouseEngine engine, string path)
    {
        try
        {
            using var file = SubmissionSources.Open(path, ProjectDirectory.For(engine));
            return file.Explanations;
        }
        catch (Exception ex) when (ex is UnsupportedFileException or Reading.Xlsx.XlsxRefusedException or IOException or InvalidDataException
                                       or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException)
        {
            return [new SheetExplanation(Path.GetFileName(path)) { Form = "无法读取", Note = ex.Message }];
        }
    }
}
