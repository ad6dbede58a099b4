using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Rules;

/// <summary>指标推导 (mart_indicator_derivation through ProjectDrillQueries) of a hand-made project, on both engines.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DerivationTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private const string IndicatorHeader = "年度,项目编码,一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位,实际完成值,分值,得分\n";
    private const string MonitoringFundHeader = "年度,期间,项目编码,项目名称,主管部门编码,主管部门,资金类别,年初预算数,调整后预算数,期间执行数,结转年数\n";

    private Task<WarehouseEngine> BuiltAsync(string engineName, params (string Name, string Csv)[] files) =>
        HandMade.BuildAsync(engineName, _dir, postgres, files);

    /// <summary>
    /// DV1 (部门 D1): monitored at 1-6月 (执行 40 of 100) with three indicators, self-evaluated with those three and a
    /// qualitative 满意度 indicator that was never monitored; T2 (D1): on schedule, no indicators at 1-6月, scored 100.
    /// </summary>
    private static (string Name, string Csv)[] HandMadeProject() =>
    [
        ("dv_mon_fund.csv", MonitoringFundHeader + "2024,1-6月,DV1,推导项目,D1,一局,年度资金总额,100,,40,\n"),
        ("dv_mon.csv", MonitoringHeader +
            "2024,1-6月,DV1,产出指标,数量指标,培训人次,,≥100人次,,,30,确定能\n" +
            "2024,1-6月,DV1,产出指标,时效指标,办结时限,,≤10天,,,12,确定能\n" +
            "2024,1-6月,DV1,产出指标,质量指标,设备完好率,,=100%,,,95,确定能\n"),
        ("dv_fund.csv", FundHeader + "2024,DV1,推导项目,D1,一局,年度资金总额,100,100,90,10,9\n"),
        ("dv_ind.csv", IndicatorHeader +
            "2024,DV1,产出指标,数量指标,培训人次,,≥100人次,,80,30,30\n" +
            "2024,DV1,产出指标,时效指标,办结时限,,≤10天,,15,20,15\n" +
            "2024,DV1,产出指标,质量指标,设备完好率,,=100%,,98,20,20\n" +
            "2024,DV1,满意度指标,服务对象满意度指标,群众满意度,,效果明显,,部分达成年度指标并具有一定效果,20,14\n"),
        ("t2_mon_fund.csv", MonitoringFundHeader + "2024,1-6月,T2,达标项目,D1,一局,年度资金总额,100,,50,\n"),
        ("t2_fund.csv", FundHeader + "2024,T2,达标项目,D1,一局,年度资金总额,100,100,100,10,10\n"),
        ("t2_ind.csv", IndicatorHeader + "2024,T2,产出指标,数量指标,采购册数,,≥100册,,100,90,90\n"),
    ];

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task One_query_returns_each_indicators_parsed_target_expected_value_r_light_and_score(string engineName)
    {
        // given a project monitored at 1-6月 (序时进度 0.5) and self-evaluated at year end
        var engine = await BuiltAsync(engineName, HandMadeProject());

        // when the project page asks for its derivation
        var rows = await new ProjectDrillQueries(engine).DerivationAsync(DataScope.All, "DV1", 2024);

        // then three monitored indicators (1-6月) come first, then the one only self-evaluated (自评)
        Assert.Equal(["1-6月", "1-6月", "1-6月", "自评"], rows.Select(r => r.Period));
        var byName = rows.ToDictionary(r => r.Level3!);

        // 培训人次 ≥100人次 is a count, so pro-rated: expected 100 × 0.5 = 50; r = 30 / 50 × 100 = 60 → yellow (60 ≤ r < 80);
        // shortfall 1 − 60/100 = 0.4. Year end: B = 80 < A = 100 → 30 × 80/100 = 24.00, published 30, gap −6.
        var count = byName["培训人次"];
        Assert.Equal("≥100人次", count.AnnualTarget);
        Assert.Equal(("≥", 100m), (count.TargetComparator, count.TargetValue));
        Assert.Equal(true, count.IsCumulative);
        Assert.Equal("30", count.PeriodActual);
        Assert.Equal(30m, count.ActualValue);
        Assert.Equal(50m, count.ExpectedValue);
        Assert.Equal("prorated", count.ExpectedBasis);
        Assert.Equal(60m, count.ProgressR);
        Assert.Equal("yellow", count.Light);
        Assert.Equal(0.4m, count.Shortfall);
        Assert.Equal("≥ 目标：r = 实际/期间应完成 ×100", count.ProgressRule);
        Assert.Equal("期间应完成 = 年度指标值 × 序时进度（累计类）", count.ExpectedRule);
        Assert.Equal((30m, 24m, 30m, -6m), (count.Weight!.Value, count.RecomputedScore!.Value, count.PublishedScore!.Value, count.ScoreGap!.Value));
        Assert.Equal("≥ 目标：B < A，得分 = 分值 × B/A", count.ScoreRule);

        // 办结时限 ≤10天: 12 > 10 → red, shortfall (12 − 10)/10 = 0.2, no r. Year end: A = 10 < B = 15 < 2A →
        // 20 × (1 − 5/10) = 10.00.
        var cap = byName["办结时限"];
        Assert.Equal(("≤", 10m, 12m), (cap.TargetComparator, cap.TargetValue, cap.ActualValue));
        Assert.Null(cap.ProgressR);
        Assert.Equal("red", cap.Light);
        Assert.Equal(0.2m, cap.Shortfall);
        Assert.StartsWith("≤ 目标", cap.ProgressRule);
        Assert.Equal(10m, cap.RecomputedScore);
        Assert.Equal("≤ 目标：A < B < 2A，得分 = 分值 × (1 − (B − A)/A)", cap.ScoreRule);

        // 设备完好率 =100% is a rate: expected is the annual 100 itself; r = 95 → green. Year end: 20 × 98/100 = 19.60.
        var rate = byName["设备完好率"];
        Assert.Equal(("=", 100m, 100m, 95m), (rate.TargetComparator, rate.TargetValue, rate.ExpectedValue, rate.ProgressR));
        Assert.Equal("annual_target", rate.ExpectedBasis);
        Assert.Equal("green", rate.Light);
        Assert.Equal(19.6m, rate.RecomputedScore);

        // 群众满意度 (qualitative, never monitored): 部分达成 → 20 × 0.7 = 14.00; published 14 is inside 60–80% of 20
        var band = byName["群众满意度"];
        Assert.Equal(("自评", "部分达成"), (band.Stage, band.ActualBand));
        Assert.Null(band.Light);
        Assert.Equal(14m, band.RecomputedScore);
        Assert.Equal(false, band.PublishedBandMismatch);
        Assert.Equal("定性 部分达成：得分 = 分值 × 0.7", band.ScoreRule);

        // the scores add up to the project's total: 9 (预算执行率 10 × 90/100) + 24 + 10 + 19.6 + 14 = 76.6 → 中
        var grade = await new ProjectDrillQueries(engine).GradeAsync(DataScope.All, "DV1", 2024);
        Assert.NotNull(grade);
        Assert.Equal(76.6m, grade.RecomputedScore);
        Assert.Equal(9m + rows.Sum(r => r.RecomputedScore ?? 0), grade.RecomputedScore);
        Assert.Equal("中", grade.Grade);
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Trends_carry_the_departments_mean_deviation_index_and_grade_counts(string engineName)
    {
        var engine = await BuiltAsync(engineName, HandMadeProject());

        var trend = await OneAsync(engine, """
            SELECT deviation_index, grade_excellent_count, grade_good_count, grade_fair_count, grade_poor_count, grade_unrated_count
            FROM mart_trends WHERE fiscal_year = 2024 AND period = '1-6月' AND department_code = 'D1'
            """);

        // DV1: execution 0.4 against 序时进度 0.5 → 50 × 0.1/0.5 = 10; shortfalls 0.4, 0.2, 0.05 → mean 0.2167 (4 dp)
        //      → 50 × 0.2167 = 10.835; index 20.835. T2: on schedule, no indicators → 0. Department mean (20.835 + 0)/2.
        Assert.Equal(10.4175m, (decimal)trend.deviation_index);
        // DV1 76.6 → 中; T2 10 + 90 = 100 → 优
        Assert.Equal((1L, 0L, 1L, 0L, 0L), ((long)trend.grade_excellent_count, (long)trend.grade_good_count,
            (long)trend.grade_fair_count, (long)trend.grade_poor_count, (long)trend.grade_unrated_count));
    }

    private static async Task<dynamic> OneAsync(WarehouseEngine engine, string sql)
    {
        await using var connection = await engine.OpenAsync();
        return await Dapper.SqlMapper.QuerySingleAsync(connection, sql);
    }

    public void Dispose() => _dir.Dispose();
}
