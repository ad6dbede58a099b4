using BudgetPerf.Etl.Submissions;
using BudgetPerf.Etl.Validation;
using static BudgetPerf.Tests.Unit.Intake.ValidationHarness;

namespace BudgetPerf.Tests.Unit.Intake;

/// <summary>One failing case per rule of DESIGN §3 / spec/submissions.md, each naming file, row, column and value.</summary>
public sealed class ValidationRuleTests
{
    private const string FundHeader = "年度,期间,项目编码,资金类别,年初预算数,调整后预算数,期间执行数\n";
    private const string IndicatorHeader = "年度,期间,项目编码,一级指标,二级指标,三级指标,指标性质,年度指标值,期间执行情况,偏差原因,完成目标可能性\n";
    private const string OkIndicator = "2025,1-6月,P1,产出指标,数量指标,培训人次,≥,100,60,,确定能\n";
    private const string SelfHeader = "年度,项目编码,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值\n";

    private static void AssertCell(LoadIssue issue, int row, string column, string? value)
    {
        Assert.Equal("f.csv", issue.File);
        Assert.Equal(row, issue.Row);
        Assert.Equal(column, issue.Column);
        Assert.Equal(value, issue.Value);
    }

    [Theory]
    [InlineData("1,234.56", 1234.56)]
    [InlineData("１２３４.５", 1234.5)]
    [InlineData(" 1234.56万 ", 1234.56)]
    [InlineData("43.2万元", 43.2)]
    public void Amounts_read_as_departments_write_them(string text, double expected) =>
        Assert.True(CellParser.TryAmount(text, out var d) && d == (decimal)expected);

    [Theory]
    [InlineData("86%", 0.86)]
    [InlineData("0.86", 0.86)]
    [InlineData("８６％", 0.86)]
    public void Rates_read_as_a_fraction(string text, double expected) =>
        Assert.True(CellParser.TryRate(text, out var d) && d == (decimal)expected);

    [Fact]
    public void A_number_that_is_not_a_number_names_the_cell()
    {
        var issues = Check(SubmissionKinds.MonitoringFund, FundHeader + "2025,1-6月,P1,年度资金总额,一百,,30\n");
        AssertCell(issues.Error(), 2, "年初预算数", "一百");
    }

    [Fact]
    public void Negative_money_is_an_error()
    {
        var issues = Check(SubmissionKinds.MonitoringFund, FundHeader + "2025,1-6月,P1,年度资金总额,100,,-5\n");
        AssertCell(issues.Error(), 2, "期间执行数", "-5");
        Assert.Contains("负数", issues.Error().Message);
    }

    [Fact]
    public void Executed_above_budget_is_a_warning_against_the_adjusted_budget()
    {
        // adjusted 80 wins over initial 100, so 90 executed is above budget
        var issues = Check(SubmissionKinds.MonitoringFund, FundHeader + "2025,1-6月,P1,年度资金总额,100,80,90\n");
        Assert.DoesNotContain(issues, i => i.Severity == Severity.Error);
        AssertCell(issues.Warning("大于预算数"), 2, "期间执行数", "90");
    }

    [Fact]
    public void A_blank_required_amount_is_an_error()
    {
        var issues = Check(SubmissionKinds.MonitoringFund, FundHeader + "2025,1-6月,P1,年度资金总额,,,30\n");
        AssertCell(issues.Error(), 2, "年初预算数", null);
    }

    [Fact]
    public void An_unknown_period_is_an_error()
    {
        var issues = Check(SubmissionKinds.MonitoringFund, FundHeader + "2025,上半年,P1,年度资金总额,100,,30\n");
        AssertCell(issues.Error(), 2, "期间", "上半年");
    }

    [Fact]
    public void A_full_width_period_is_accepted()
    {
        var issues = Check(SubmissionKinds.MonitoringFund, FundHeader + "2025,１-６月,P1,年度资金总额,100,,30\n");
        Assert.DoesNotContain(issues, i => i.Severity == Severity.Error);
    }

    [Fact]
    public void An_unknown_possibility_is_an_error()
    {
        var issues = Check(SubmissionKinds.MonitoringIndicator, IndicatorHeader + OkIndicator.Replace("确定能", "大概能"));
        AssertCell(issues.Error(), 2, "完成目标可能性", "大概能");
    }

    [Fact]
    public void Deviation_causes_accept_every_separator_and_refuse_an_unknown_cause()
    {
        var good = Check(SubmissionKinds.MonitoringIndicator, IndicatorHeader + OkIndicator.Replace(",,确定能", ",经费保障；制度保障、人员保障;其他,有可能"));
        var bad = Check(SubmissionKinds.MonitoringIndicator, IndicatorHeader + OkIndicator.Replace(",,确定能", ",经费保障；天气原因,有可能"));

        Assert.DoesNotContain(good, i => i.Severity == Severity.Error);
        AssertCell(bad.Error(), 2, "偏差原因", "经费保障；天气原因");
        Assert.Contains("天气原因", bad.Error().Message);
    }

    [Fact]
    public void An_unknown_comparator_is_an_error()
    {
        var issues = Check(SubmissionKinds.MonitoringIndicator, IndicatorHeader + OkIndicator.Replace(",≥,", ",大于等于,"));
        AssertCell(issues.Error(), 2, "指标性质", "大于等于");
    }

    [Fact]
    public void An_unknown_quarter_is_an_error()
    {
        var issues = Check(SubmissionKinds.Correction,
            "年度,季度,项目编码,一级指标,二级指标,三级指标\n2025,第五季度,P1,产出指标,数量指标,培训人次\n");
        AssertCell(issues.Error(), 2, "季度", "第五季度");
    }

    [Fact]
    public void Template_text_left_in_a_cell_is_an_error()
    {
        var issues = Check(SubmissionKinds.MonitoringIndicator, IndicatorHeader + OkIndicator.Replace("培训人次", "请填写三级指标名称"));
        AssertCell(issues.Error(), 2, "三级指标", "请填写三级指标名称");
    }

    [Fact]
    public void A_duplicate_indicator_row_is_an_error_naming_the_first()
    {
        var issues = Check(SubmissionKinds.MonitoringIndicator, IndicatorHeader + OkIndicator + OkIndicator.Replace(",60,", ",70,"));
        AssertCell(issues.Error(), 3, "三级指标", "培训人次");
        Assert.Contains("第2行", issues.Error().Message);
    }

    [Fact]
    public void A_duplicate_far_down_a_large_file_names_the_first_row()
    {
        // 5,000 distinct indicators (P0 … P4999; the duplicate table grows several times), then P17's again at row 5002
        var rows = string.Concat(Enumerable.Range(0, 5000).Select(i => OkIndicator.Replace(",P1,", $",P{i},")));
        var issues = Check(SubmissionKinds.MonitoringIndicator, IndicatorHeader + rows + OkIndicator.Replace(",P1,", ",P17,"));

        AssertCell(issues.Error(), 5002, "三级指标", "培训人次");
        Assert.Contains("第19行", issues.Error().Message);   // P17 is the 18th data row: row 19 under the header
    }

    [Fact]
    public void An_unknown_column_is_a_warning()
    {
        var issues = Check(SubmissionKinds.MonitoringFund, FundHeader.Replace("\n", ",经办人\n") + "2025,1-6月,P1,年度资金总额,100,,30,张三\n");
        Assert.DoesNotContain(issues, i => i.Severity == Severity.Error);
        AssertCell(issues.Warning("未识别的列"), 1, "经办人", null);
    }

    [Fact]
    public void Self_evaluation_weights_must_sum_to_100_with_the_budget_rate()
    {
        // 50 + 30 = 80, plus the default 10 on 预算执行率 = 90 ≠ 100; the error names the project's first row
        var issues = Check(SubmissionKinds.SelfEvalIndicator, SelfHeader +
            "2025,P1,产出指标,数量指标,培训人次,100,100,50\n2025,P1,效益指标,社会效益指标,就业率,90,95,30\n");
        AssertCell(issues.Error(), 2, "分值", "80");
        Assert.Contains("90", issues.Error().Message);
    }

    [Fact]
    public void Self_evaluation_weights_use_the_submitted_budget_weight()
    {
        // 预算执行率 weighs 20 in this province: 50 + 30 + 20 = 100
        var issues = Check(SubmissionKinds.SelfEvalIndicator, SelfHeader +
            "2025,P1,产出指标,数量指标,培训人次,100,100,50\n2025,P1,效益指标,社会效益指标,就业率,90,95,30\n",
            budgetWeightOf: (_, _) => 20m);
        Assert.DoesNotContain(issues, i => i.Severity == Severity.Error);
    }

    [Fact]
    public void Core_weights_below_60_are_a_warning()
    {
        // 产出 30 + 满意度 20 = 50 < 60; 决策 40 does not count; 40 + 30 + 20 + 10 = 100
        var issues = Check(SubmissionKinds.SelfEvalIndicator, SelfHeader +
            "2025,P1,决策,目标设定,目标明确性,是,是,40\n2025,P1,产出指标,数量指标,培训人次,100,100,30\n" +
            "2025,P1,满意度指标,服务对象满意度指标,学员满意度,90%,95%,20\n");
        Assert.DoesNotContain(issues, i => i.Severity == Severity.Error);
        AssertCell(issues.Warning("低于 60"), 2, "分值", "50");
    }

    [Fact]
    public void A_budget_rate_weight_other_than_10_is_a_warning()
    {
        var issues = Check(SubmissionKinds.SelfEvalFund,
            "年度,项目编码,资金类别,全年预算数,全年执行数,分值\n2025,P1,年度资金总额,100,90,20\n");
        AssertCell(issues.Warning("预算执行率分值"), 2, "分值", "20");
    }

    [Fact]
    public void A_zero_total_line_with_non_zero_detail_is_a_warning()
    {
        var issues = Check(SubmissionKinds.MonitoringFund, FundHeader +
            "2025,1-6月,P1,年度资金总额,0,,0\n2025,1-6月,P1,本年一般公共预算拨款,60,,20\n2025,1-6月,P1,上年结转资金,40,,10\n");
        Assert.DoesNotContain(issues, i => i.Severity == Severity.Error);
        AssertCell(issues.Warning("明细行合计为 100"), 2, "年初预算数", "0");
        AssertCell(issues.Warning("明细行合计为 30"), 2, "期间执行数", "0");
    }

    [Fact]
    public void A_blank_measured_result_is_a_warning_not_an_error()
    {
        var issues = Check(SubmissionKinds.MonitoringIndicator, IndicatorHeader + OkIndicator.Replace(",60,", ",,"));
        Assert.DoesNotContain(issues, i => i.Severity == Severity.Error);
        AssertCell(issues.Warning("未填报"), 2, "期间执行情况", null);
    }

    [Fact]
    public void An_unparseable_target_is_an_error_quoting_the_text()
    {
        // issue 4's 指标值 parser (etl/Indicators) runs inside the validator: symbols alone are not a target
        var issues = Check(SubmissionKinds.MonitoringIndicator, IndicatorHeader + OkIndicator.Replace(",≥,100,", ",≥,≥/,"));
        AssertCell(issues.Error(), 2, "年度指标值", "≥/");
        Assert.Contains("“≥/”", issues.Error().Message);
    }

    [Fact]
    public void A_text_where_a_number_is_expected_is_unreported_with_a_warning_quoting_it()
    {
        var issues = Check(SubmissionKinds.MonitoringIndicator, IndicatorHeader + OkIndicator.Replace(",60,", ",年底开展调查,"));
        Assert.DoesNotContain(issues, i => i.Severity == Severity.Error);
        AssertCell(Assert.Single(issues, i => i.Severity == Severity.Warning && i.Message.Contains("年底开展调查")), 2, "期间执行情况", "年底开展调查");
    }
}
