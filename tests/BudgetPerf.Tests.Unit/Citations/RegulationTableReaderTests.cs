using BudgetPerf.Etl.Regulations;
using MiniExcelLibs;

namespace BudgetPerf.Tests.Unit.Citations;

/// <summary>A bureau's regulation table (办法, 条, 款, 原文) read from CSV or xlsx; any problem rejects the whole table, naming row and column.</summary>
public sealed class RegulationTableReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("regulation-table-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, new System.Text.UTF8Encoding(true));
        return path;
    }

    [Fact]
    public void A_csv_table_reads_articles_written_as_numbers_and_clauses_in_brackets()
    {
        var table = RegulationTableReader.Read(Write("a.csv",
            "办法,条,款,原文\n《某县预算绩效管理办法》,4,（二）,对低效无效资金一律削减\n某县预算绩效管理办法,第十五条,,应暂停项目实施\n,,,\n某县预算绩效管理办法,42,3,连续两年未用完\n"), "a.csv");
        Assert.Empty(table.Problems);
        Assert.Equal(
            [("某县预算绩效管理办法", "第四条", "二", 2), ("某县预算绩效管理办法", "第十五条", (string?)null, 3), ("某县预算绩效管理办法", "第四十二条", "三", 5)],
            table.Rows.Select(r => (r.Document, r.Article, r.Clause, r.SourceRow)));
    }

    [Fact]
    public void A_table_with_a_bad_row_is_rejected_whole_naming_file_row_column_and_reason()
    {
        var table = RegulationTableReader.Read(Write("b.csv", "办法,条,款,原文\n某办法,第四条,,原话\n某办法,四条,,原话\n,第五条,甲,\n"), "b.csv");
        Assert.Empty(table.Rows);
        Assert.Equal(
            [("b.csv", 3, "条", "四条"), ("b.csv", 4, "办法", null), ("b.csv", 4, "款", "甲"), ("b.csv", 4, "原文", null)],
            table.Problems.Select(p => (p.File, p.Row ?? 0, p.Column, p.Value)));
    }

    [Fact]
    public void A_table_without_the_text_column_is_rejected()
    {
        var problem = Assert.Single(RegulationTableReader.Read(Write("c.csv", "办法,条,款\n某办法,第四条,\n"), "c.csv").Problems);
        Assert.Equal(("原文", 1), (problem.Column, problem.Row));
    }

    [Fact]
    public void An_xlsx_table_reads_its_first_sheet_in_any_column_order()
    {
        var path = Path.Combine(_dir, "d.xlsx");
        MiniExcel.SaveAs(path, new[]
        {
            new Dictionary<string, object?> { ["原文"] = "对交叉重复的项目予以调整", ["办法"] = "某县办法", ["条"] = "第六条", ["款"] = null },
        });
        var table = RegulationTableReader.Read(path, "d.xlsx");
        Assert.Empty(table.Problems);
        var row = Assert.Single(table.Rows);
        Assert.Equal(("某县办法", "第六条", (string?)null, "对交叉重复的项目予以调整", 2), (row.Document, row.Article, row.Clause, row.Text, row.SourceRow));
    }

    [Theory]
    [InlineData(4, "四")]
    [InlineData(10, "十")]
    [InlineData(15, "十五")]
    [InlineData(42, "四十二")]
    [InlineData(100, "一百")]
    [InlineData(105, "一百零五")]
    [InlineData(115, "一百一十五")]
    public void Article_numbers_become_chinese_numerals(int n, string expected) =>
        Assert.Equal(expected, RegulationTableReader.Numeral(n));
}
