using BudgetPerf.Etl.Submissions;
using BudgetPerf.Etl.Validation;

namespace BudgetPerf.Tests.Unit.Intake;

public sealed class SubmissionKindsTests
{
    [Fact]
    public void Each_family_is_recognised_from_its_own_required_headers()
    {
        foreach (var kind in SubmissionKinds.All)
        {
            var headers = kind.RequiredFields.Select(f => f.Header).ToList();

            Assert.Equal(kind, SubmissionKinds.Recognize(headers));
        }
    }

    [Fact]
    public void Headers_match_with_spaces_stars_full_width_and_english_aliases()
    {
        var headers = new[] { " 年度* ", "期间", "project_code", "资金类别", "年初预算数", "期间执行数（万元）", "ＰＥＲＩＯＤ" };

        Assert.Equal(SubmissionKinds.MonitoringFund.FieldFor("executed"), SubmissionKinds.MonitoringFund.FieldFor("期间执行数"));
        Assert.NotNull(SubmissionKinds.MonitoringFund.FieldFor(headers[0]));
        Assert.NotNull(SubmissionKinds.MonitoringFund.FieldFor(headers[2]));
        Assert.NotNull(SubmissionKinds.MonitoringFund.FieldFor(headers[6]));
        Assert.Equal("executed", SubmissionKinds.MonitoringFund.FieldFor(headers[5])?.Column);
    }

    [Fact]
    public void Department_files_are_not_taken_for_project_files()
    {
        var headers = new[] { "年度", "期间", "部门编码", "资金类别", "年初预算数", "期间执行数" };

        Assert.Equal(SubmissionKinds.DeptMonitoringFund, SubmissionKinds.Recognize(headers));
    }

    [Theory]
    [InlineData("1,234.56", "1234.56")]
    [InlineData("１２３４．５", "1234.5")]
    [InlineData(" 43.2 ", "43.2")]
    [InlineData("150万", "150")]
    [InlineData("150万元", "150")]
    [InlineData("-0.5", "-0.5")]
    public void Amounts_read_the_way_departments_write_them(string text, string expected)
    {
        Assert.True(CellParser.TryAmount(text, out var value));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("一百")]
    [InlineData("12..5")]
    [InlineData("abc")]
    public void Text_is_not_an_amount(string text) => Assert.False(CellParser.TryAmount(text, out _));

    [Theory]
    [InlineData("2024", 2024)]
    [InlineData("2024年", 2024)]
    [InlineData("2024.0", 2024)]
    [InlineData("２０２４", 2024)]
    public void Years_read_as_integers(string text, int expected)
    {
        Assert.True(CellParser.TryInteger(text, out var value));
        Assert.Equal(expected, value);
    }
}
