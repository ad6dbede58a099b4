using BudgetPerf.Etl.Reading;
using BudgetPerf.Etl.Reading.Xlsx;
using BudgetPerf.Etl.Templates;

namespace BudgetPerf.Tests.Unit.Intake;

/// <summary>A date typed into Excel is stored as a serial number; the readers give it back as yyyy-MM-dd.</summary>
public sealed class XlsxDateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bp-xlsx-date-").FullName;

    private string Save(XlsxBuilder xlsx, string name)
    {
        var path = Path.Combine(_dir, name);
        xlsx.Save(path);
        return path;
    }

    [Fact]
    public void Date_cells_of_a_flat_sheet_read_as_iso_dates_and_money_stays_as_written()
    {
        var xlsx = new XlsxBuilder();
        var s = xlsx.Sheet("项目");
        string[] headers = ["项目编码", "项目名称", "主管部门编码", "主管部门", "开始时间", "完成时间", "年度总体目标"];
        for (var c = 0; c < headers.Length; c++) s.Text(1, c, headers[c]);
        s.Text(2, 0, "P001").Text(2, 1, "教师培训经费").Text(2, 2, "101").Text(2, 3, "教育局")
            .Date(2, 4, new DateOnly(2024, 1, 1))                                  // serial 45292, built-in short date
            .Date(2, 5, new DateOnly(2024, 12, 31), XlsxBuilder.ChineseDate)         // serial 45657, yyyy"年"m"月"d"日"
            .Number(2, 6, 45292m);                                                  // the same number as money: not a date

        using var file = SubmissionSources.Open(Save(xlsx, "项目信息.xlsx"));
        var cells = file.Parts.Single().Rows().Single().Cells;

        Assert.Equal("2024-01-01", cells[4]);
        Assert.Equal("2024-12-31", cells[5]);
        Assert.Equal("45292", cells[6]);
    }

    [Fact]
    public void A_date_in_an_official_form_reads_as_an_iso_date()
    {
        var xlsx = new XlsxBuilder();
        var s = xlsx.Sheet("项目1");
        OfficialTemplates.Monitoring(s, 2025);
        s.Text(3, 1, "教师培训经费").Text(3, 8, "教育局").Number(6, 1, 100m).Number(6, 4, 30m);
        string[] row = ["产出指标", "数量指标", "培训人次", "≥", "1200", "人次", null!, "500", "1100", null!, null!, null!, "确定能"];
        for (var c = 0; c < row.Length; c++) s.Text(12, c, row[c]);
        s.Date(12, 13, new DateOnly(2025, 6, 30));                                   // 备注: a date typed into the cell

        using var file = SubmissionSources.Open(Save(xlsx, "附件1.xlsx"));
        var indicators = file.Parts.Single(p => p.Headers.Contains("一级指标"));
        var remark = indicators.Headers.ToList().IndexOf("备注");

        Assert.Equal("2025-06-30", indicators.Rows().Single().Cells[remark]);
    }

    [Theory]
    [InlineData(14u, null, true)]                        // m/d/yyyy (shown as yyyy/m/d on a Chinese Windows)
    [InlineData(31u, null, true)]                        // yyyy"年"m"月"d"日" (East Asian built-in)
    [InlineData(57u, null, true)]
    [InlineData(20u, null, false)]                       // h:mm, a time
    [InlineData(4u, null, false)]                        // #,##0.00
    [InlineData(165u, "yyyy\"年\"m\"月\"d\"日\"", true)]
    [InlineData(166u, "yyyy/m/d;@", true)]
    [InlineData(167u, "[$-804]dddd, mmmm d, yyyy", true)]
    [InlineData(168u, "#,##0.00\"万元\"", false)]        // "万元" literal is not a token
    [InlineData(169u, "0.00_);[Red](0.00)", false)]
    [InlineData(170u, "\"第\"0\"天\"", false)]
    public void Date_formats_are_told_from_number_formats(uint id, string? code, bool isDate) =>
        Assert.Equal(isDate, XlsxDates.IsDateFormat(id, code));

    public void Dispose() => Directory.Delete(_dir, true);
}
