using BudgetPerf.Etl.Indicators;

namespace BudgetPerf.Tests.Unit.Rules;

/// <summary>Every 指标值 form of DESIGN §3 and spec/submissions.md, with the reading a 绩效股 would give it.</summary>
public sealed class IndicatorValueParserTests
{
    [Theory]
    // text, 指标性质 column, 计量单位 column, 三级指标, expected comparator, value, unit, cumulative
    [InlineData("≥50个", null, null, "项目实施个数", "≥", "50", "个", true)]
    [InlineData(">=95%", null, null, "验收合格率", "≥", "95", "%", false)]
    [InlineData("≥100百分比", null, null, "覆盖率", "≥", "100", "%", false)]
    [InlineData("≤90万元", null, null, "项目成本", "≤", "90", "万元", true)]
    [InlineData("150万", null, null, "补助资金", "=", "150", "万元", true)]
    [InlineData("=100%", null, null, "完工率", "=", "100", "%", false)]
    [InlineData("-0%", null, null, "安全事故发生率", "=", "0", "%", false)]
    [InlineData("100", null, "%", "工程完工率", "=", "100", "%", false)]
    [InlineData("100", null, null, "工程验收合格率", "=", "100", "%", false)]
    [InlineData("100", null, null, "学生满意度", "=", "100", "%", false)]
    [InlineData("43.2", null, "万元", "工程资金金额", "=", "43.2", "万元", true)]
    [InlineData("不低于95%", null, null, "满意度", "≥", "95", "%", false)]
    [InlineData("不高于5%", null, null, "损耗率", "≤", "5", "%", false)]
    [InlineData("90万元以内", null, null, "成本", "≤", "90", "万元", true)]
    [InlineData("180天以内", null, null, "完成时间", "≤", "180", "天", false)]
    [InlineData("≧95%", null, null, "合格率", "≥", "95", "%", false)]
    [InlineData("≦3天", null, null, "响应时间", "≤", "3", "天", false)]
    [InlineData("９５％", null, null, "合格率", "=", "95", "%", false)]
    [InlineData("≧１２００人次", null, null, "培训人次", "≥", "1200", "人次", true)]
    [InlineData("＞＝９８．５％", null, null, "达标率", "≥", "98.5", "%", false)]
    [InlineData("95", "≥", "%", "合格率", "≥", "95", "%", false)]            // 四川 split columns
    [InlineData("20", "≤", "天", "办理时限", "≤", "20", "天", false)]
    [InlineData("1200", "≥", "人次", "培训人次", "≥", "1200", "人次", true)]
    [InlineData("5", "正向", "个", "示范点", "≥", "5", "个", true)]
    [InlineData("3", "反向", "起", "投诉", "≤", "3", "起", true)]
    [InlineData("≥ 50 个", null, null, "个数", "≥", "50", "个", true)]
    [InlineData("大于等于80%", null, null, "比例", "≥", "80", "%", false)]
    [InlineData("不少于20场次", null, null, "活动场次", "≥", "20", "场次", true)]
    [InlineData("不超过100万元", null, null, "成本", "≤", "100", "万元", true)]
    [InlineData("95%以上", null, null, "合格率", "≥", "95", "%", false)]
    [InlineData("≥95%以上", null, null, "合格率", "≥", "95", "%", false)]
    [InlineData("1,200人", null, null, "受益人数", "=", "1200", "人", true)]
    [InlineData("≤5‰", null, null, "死亡率", "≤", "5", "‰", false)]
    [InlineData("≥20年", null, null, "使用年限", "≥", "20", "年", false)]
    [InlineData("≥3000平方米", null, null, "建设面积", "≥", "3000", "平方米", true)]
    [InlineData("≥1500元/人", null, null, "补助标准", "≥", "1500", "元/人", false)]
    [InlineData("百分之95", null, null, "合格率", "=", "95", "%", false)]
    [InlineData("0", "=", "起", "安全事故", "=", "0", "起", true)]
    public void Numeric_targets_are_read(string text, string? comparatorColumn, string? unitColumn, string name,
        string comparator, string value, string? unit, bool cumulative)
    {
        Assert.True(IndicatorValueParser.TryParseTarget(text, comparatorColumn, unitColumn, name, out var target), text);
        Assert.Equal(comparator, target.Comparator);
        Assert.Equal(decimal.Parse(value), target.Value);
        Assert.Equal(unit, target.Unit);
        Assert.Equal(cumulative, target.IsCumulative);
        Assert.False(target.IsQualitative);
    }

    [Theory]
    [InlineData("健全")]
    [InlineData("规范")]
    [InlineData("效果明显")]
    [InlineData("严格执行相关制度规定")]
    [InlineData("在项目计划完成时间内完成")]
    [InlineData("是")]
    [InlineData("否")]
    [InlineData("2024年12月底前完成")]
    public void Phrases_are_qualitative_targets(string text)
    {
        Assert.True(IndicatorValueParser.TryParseTarget(text, null, null, "制度建设", out var target));
        Assert.True(target.IsQualitative);
        Assert.Equal("定性", target.Comparator);
        Assert.Null(target.Value);
        Assert.Equal(text, target.Phrase);
        Assert.False(target.IsCumulative);
    }

    [Theory]
    [InlineData("≥")]
    [InlineData("/")]
    [InlineData("95%-100%")]
    [InlineData("abc")]
    [InlineData("")]
    public void Unreadable_targets_are_refused(string text) =>
        Assert.False(IndicatorValueParser.TryParseTarget(text, null, null, "合格率", out _));

    private static IndicatorTarget Target(string text, string? unit = null)
    {
        Assert.True(IndicatorValueParser.TryParseTarget(text, null, unit, "指标", out var target));
        return target;
    }

    [Theory]
    [InlineData("达成年度指标", "达成")]
    [InlineData("达成目标", "达成")]
    [InlineData("达成预期指标", "达成")]
    [InlineData("完成", "达成")]
    [InlineData("是", "达成")]
    [InlineData("健全", "达成")]                                // the target's own phrase
    [InlineData("部分达成年度指标并具有一定效果", "部分达成")]
    [InlineData("部分达成目标并具有一定效果", "部分达成")]
    [InlineData("基本完成", "部分达成")]
    [InlineData("未达成年度指标且效果较差", "未达成")]
    [InlineData("未达成", "未达成")]
    [InlineData("否", "未达成")]
    public void Qualitative_results_fall_in_three_bands(string actual, string band) =>
        Assert.Equal(new IndicatorActual(null, null, band), IndicatorValueParser.ParseActual(actual, Target("健全")));

    [Theory]
    [InlineData("37.24", "37.24")]
    [InlineData("37.24万元", "37.24")]
    [InlineData("372400元", "37.24")]                           // 元 → the target's 万元
    [InlineData("３７．２４", "37.24")]
    public void Numeric_results_take_the_targets_unit(string actual, string value)
    {
        var result = IndicatorValueParser.ParseActual(actual, Target("43.2", "万元"));
        Assert.Equal(decimal.Parse(value), result.Value);
        Assert.Equal("万元", result.Unit);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("年底开展调查")]
    [InlineData("未开展")]
    public void Blank_or_text_results_are_not_reported(string? actual) =>
        Assert.False(IndicatorValueParser.ParseActual(actual, Target("≥95%")).IsReported);

    [Fact]
    public void A_band_word_answers_a_numeric_target_too() =>
        Assert.Equal("达成", IndicatorValueParser.ParseActual("已完成", Target("≥95%")).Band);

    [Fact]
    public void Percent_results_read_with_their_sign() =>
        Assert.Equal(96.5m, IndicatorValueParser.ParseActual("96.5%", Target("≥95%")).Value);
}
