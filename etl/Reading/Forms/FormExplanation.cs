using System.Text;

namespace BudgetPerf.Etl.Reading.Forms;

/// <summary>How one caption of a block was read: its column, its text and the field it fills (or why none).</summary>
public sealed record CaptionMapping(string Column, string Caption, string Field);

/// <summary>A row left out of a block and why (预印的空行, 金额为空 …).</summary>
public sealed record SkippedRow(int Row, string Why);

/// <summary>One block of a sheet as read: its family, header rows, caption mappings, rows taken and skipped.</summary>
public sealed class BlockExplanation(string name, string kind, string headerRows)
{
    public string Name { get; } = name;
    public string Kind { get; } = kind;
    public string HeaderRows { get; } = headerRows;
    public List<CaptionMapping> Mappings { get; } = [];
    public List<int> Taken { get; } = [];
    public List<SkippedRow> Skipped { get; } = [];
}

/// <summary>
/// What <c>load --dry-run --explain</c> and the upload page's 预览 show of a sheet: the form recognised, the head's
/// values, the blocks found, each caption's field, the rows taken and the rows skipped with why, the sheet-level texts.
/// </summary>
public sealed class SheetExplanation(string sheet)
{
    public string Sheet { get; } = sheet;
    public string Form { get; set; } = "未识别为报表";
    public string? Note { get; set; }
    public List<(string Field, string Value)> Head { get; } = [];
    public List<BlockExplanation> Blocks { get; } = [];
    public List<(int Row, string Label, string Field)> Texts { get; } = [];

    public string Format()
    {
        var b = new StringBuilder();
        b.AppendLine($"工作表“{Sheet}”：{Form}{(Note is null ? "" : "（" + Note + "）")}");
        foreach (var (field, value) in Head) b.AppendLine($"  表头 {field} = {value}");
        foreach (var block in Blocks)
        {
            b.AppendLine($"  {block.Name}（{block.Kind}），栏目行 {block.HeaderRows}");
            foreach (var m in block.Mappings) b.AppendLine($"    {m.Column} “{m.Caption}” → {m.Field}");
            b.AppendLine($"    读取 {block.Taken.Count} 行：{Ranges(block.Taken)}");
            foreach (var s in block.Skipped) b.AppendLine($"    跳过 第{s.Row}行：{s.Why}");
        }
        foreach (var (row, label, field) in Texts) b.AppendLine($"  第{row}行 “{label}” → {field}");
        return b.ToString();
    }

    private static string Ranges(List<int> rows)
    {
        if (rows.Count == 0) return "无";
        var parts = new List<string>();
        var start = rows[0];
        for (var i = 1; i <= rows.Count; i++)
        {
            if (i < rows.Count && rows[i] == rows[i - 1] + 1) continue;
            parts.Add(start == rows[i - 1] ? $"{start}" : $"{start}-{rows[i - 1]}");
            if (i < rows.Count) start = rows[i];
        }
        return string.Join("、", parts);
    }
}
