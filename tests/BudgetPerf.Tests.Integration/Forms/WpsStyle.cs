using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.CustomProperties;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.VariantTypes;

namespace BudgetPerf.Tests.Integration.Forms;

/// <summary>
/// Rewrites a workbook the way WPS 表格 saves one (no WPS here to save it: the quirks are rebuilt from what its files
/// carry): every text in the shared-string table (no inline strings), the print's merges gone with the merged cells
/// absent (only the top-left keeps its text), empty cells not written, sheets named Sheet1, Sheet2 …, and WPS's
/// signature custom property <c>KSOProductBuildVer</c> (2052 = zh-CN) in docProps/custom.xml.
/// </summary>
public static class WpsStyle
{
    public static string Convert(string path, string outPath)
    {
        File.Copy(path, outPath, overwrite: true);
        using (var doc = SpreadsheetDocument.Open(outPath, true))
        {
            var workbook = doc.WorkbookPart!;
            var strings = workbook.SharedStringTablePart ?? workbook.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable ??= new SharedStringTable();
            var index = new Dictionary<string, int>();
            var count = 0;
            foreach (var part in workbook.WorksheetParts)
            {
                var sheet = part.Worksheet!;
                foreach (var cell in sheet.Descendants<Cell>().ToList())
                {
                    if (cell.InlineString is { } inline)
                    {
                        var text = inline.InnerText;
                        if (!index.TryGetValue(text, out var i))
                        {
                            index[text] = i = index.Count;
                            strings.SharedStringTable.AppendChild(new SharedStringItem(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
                        }
                        cell.InlineString = null;
                        cell.DataType = CellValues.SharedString;
                        cell.CellValue = new CellValue(i);
                        count++;
                    }
                    else if (cell.CellValue is null && cell.CellFormula is null) cell.Remove();
                }
                sheet.RemoveAllChildren<MergeCells>();
            }
            strings.SharedStringTable.Count = (uint)count;
            strings.SharedStringTable.UniqueCount = (uint)index.Count;
            var n = 1;
            foreach (var s in workbook.Workbook!.Sheets!.Elements<Sheet>()) s.Name = $"Sheet{n++}";
            var custom = doc.CustomFilePropertiesPart ?? doc.AddCustomFilePropertiesPart();
            custom.Properties = new Properties(new CustomDocumentProperty(new VTLPWSTR("2052-12.1.0.17827"))
            {
                FormatId = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}", PropertyId = 2, Name = "KSOProductBuildVer",
            });
        }
        return outPath;
    }
}
