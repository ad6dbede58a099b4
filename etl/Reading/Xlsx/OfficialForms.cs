namespace BudgetPerf.Etl.Reading.Xlsx;

/// <summary>The official form layouts (附件1/2/3, 表2-3-2, 表2-2): recognised by their labels, read into blocks.</summary>
public static class OfficialForms
{
    /// <summary>The blocks of a sheet laid out as an official form, or null when the sheet is a flat table.</summary>
    public static IReadOnlyList<ISubmissionSource>? TryRead(XlsxWorkbook workbook, string fileName, string sheet) => null;
}
