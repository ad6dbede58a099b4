using BudgetPerf.Etl.Validation;
using CsvHelper;

namespace BudgetPerf.Etl.Loading;

/// <summary>Writes a rejected file's problems to <c>FILE.errors.csv</c> (UTF-8 with BOM, so Excel opens it cleanly).</summary>
public static class ErrorsCsv
{
    public static string Write(string sourcePath, IEnumerable<LoadIssue> issues)
    {
        var path = sourcePath + ".errors.csv";
        // values come from the submitted file: a cell starting with = + - @ is neutralised so Excel does not run it
        using var csv = CsvWriter.ToFile(path, CsvWriterOptions.Default with { WriteByteOrderMark = true, Injection = CsvInjection.Escape },
            FileOptions.None);
        csv.WriteRecord(["文件", "工作表", "行", "列", "值", "级别", "说明"]);
        foreach (var i in issues)
            csv.WriteRecord([i.File, i.Sheet ?? "", i.Row?.ToString() ?? "", i.Column ?? "", i.Value ?? "",
                i.Severity == Severity.Error ? "错误" : "警告", i.Message]);
        return path;
    }
}
