using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Rules;

/// <summary>The DESIGN §3 rules on small hand-made submissions, checked in the marts on both engines.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RulesTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private const string IndicatorHeader = "年度,项目编码,一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位,实际完成值,分值,得分\n";
    private const string MonitoringFundHeader = "年度,期间,项目编码,项目名称,主管部门编码,主管部门,资金类别,年初预算数,调整后预算数,期间执行数,结转年数\n";

    private Task<WarehouseEngine> BuiltAsync(string engineName, params (string Name, string Csv)[] files) =>
        HandMade.BuildAsync(engineName, _dir, postgres, files);

    private static async Task<T> OneAsync<T>(WarehouseEngine engine, string sql)
    {
        await using var connection = await engine.OpenAsync();
        return await connection.QuerySingleAsync<T>(sql);
    }

    private static async Task<List<T>> ListAsync<T>(WarehouseEngine engine, string sql)
    {
        await using var connection = await engine.OpenAsync();
        return (await connection.QueryAsync<T>(sql)).ToList();
    }

    private static string Langfang()
    {
        var rows = new[] { "工程完工率", "工程验收合格率", "项目完成及时率", "成本控制率", "安全率", "学校发展能力", "长期使用性", "学生满意度" };
        return IndicatorHeader + "2019,LF01,产出指标,数量指标,工程资金金额,,43.2,万元,37.24,10,9\n" +
               string.Concat(rows.Select((r, i) => $"2019,LF01,{(i < 4 ? "产出指标" : i < 7 ? "效益指标" : "满意度指标")},质量指标,{r},,100,,100,10,10\n"));
    }

    public sealed record Grade(string ProjectCode, decimal? BudgetScore, decimal? RecomputedScore, decimal? PublishedScore,
        string Grade_, bool HasScoreGap);

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task The_Langfang_case_scores_97_24_grade_you_published_98_without_gap(string engineName)
    {
        var engine = await BuiltAsync(engineName,
            ("lf_fund.csv", FundHeader + "2019,LF01,办公宿舍楼、食堂及餐厅暖通改造经费,LF,廊坊市食品工程学校,年度资金总额,43.2,43.2,37.24,10,9\n"),
            ("lf_ind.csv", Langfang()));

        var grade = await OneAsync<Grade>(engine, """
            SELECT project_code AS ProjectCode, budget_score AS BudgetScore, recomputed_score AS RecomputedScore,
                   published_score AS PublishedScore, grade AS Grade_, has_score_gap AS HasScoreGap
            FROM mart_project_grade WHERE project_code = 'LF01'
            """);
        var first = await OneAsync<decimal>(engine, "SELECT recomputed_score FROM fct_self_evaluation WHERE level3 = '工程资金金额'");

        // 10 × 37.24 / 43.2 = 8.6203… → 8.62 for 预算执行率 and for 工程资金金额; 8.62 + 8.62 + 8 × 10 = 97.24
        Assert.Equal(8.62m, grade.BudgetScore);
        Assert.Equal(8.62m, first);
        Assert.Equal(97.24m, grade.RecomputedScore);
        Assert.Equal("优", grade.Grade_);
        Assert.Equal(98m, grade.PublishedScore);   // 9 + 9 + 80
        Assert.False(grade.HasScoreGap);           // |97.24 − 98| = 0.76 ≤ 1
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Each_scoring_branch_gives_its_hand_computed_score(string engineName)
    {
        var engine = await BuiltAsync(engineName,
            ("s_fund.csv", FundHeader + "2024,S1,评分项目,D1,一局,年度资金总额,100,100,100,10,10\n"),
            ("s_ind.csv", IndicatorHeader +
                "2024,S1,产出指标,数量指标,大于等于未达,,≥100个,,80,10,\n" +        // 10 × 80/100 = 8
                "2024,S1,产出指标,数量指标,大于等于已达,,≥100个,,120,10,\n" +       // B ≥ A → 10
                "2024,S1,产出指标,质量指标,等于零达标,,=0,起,0,10,\n" +             // A = 0, B ≤ 0 → 10
                "2024,S1,产出指标,质量指标,等于零超标,,=0,起,1,10,\n" +             // A = 0, B > 0 → 0
                "2024,S1,产出指标,成本指标,不高于达标,,≤90万元,,80,10,\n" +         // B ≤ A → 10
                "2024,S1,产出指标,成本指标,不高于超一半,,≤100万元,,150,10,\n" +     // 10 × (1 − 50/100) = 5
                "2024,S1,产出指标,成本指标,不高于翻倍,,≤100万元,,200,10,\n" +       // B ≥ 2A → 0
                "2024,S1,效益指标,社会效益指标,定性达成,,效果明显,,达成年度指标,10,10\n" +
                "2024,S1,效益指标,社会效益指标,定性部分,,效果明显,,部分达成年度指标并具有一定效果,5,5\n" + // 0.7 × 5 = 3.5; 5 is outside 60–80% → flagged
                "2024,S1,满意度指标,服务对象满意度指标,定性未达,,效果明显,,未达成年度指标,5,\n"),   // 0.3 × 5 = 1.5
            ("b_fund.csv", FundHeader + "2024,S2,空白项目,D1,一局,年度资金总额,100,100,100,10,10\n"),
            ("b_ind.csv", IndicatorHeader + "2024,S2,产出指标,数量指标,培训人次,,≥100人次,,,90,\n"));

        var scores = (await ListAsync<(string, decimal?)>(engine,
            "SELECT level3, recomputed_score FROM fct_self_evaluation WHERE project_code = 'S1'")).ToDictionary(r => r.Item1, r => r.Item2);
        Assert.Equal(8m, scores["大于等于未达"]);
        Assert.Equal(10m, scores["大于等于已达"]);
        Assert.Equal(10m, scores["等于零达标"]);
        Assert.Equal(0m, scores["等于零超标"]);
        Assert.Equal(10m, scores["不高于达标"]);
        Assert.Equal(5m, scores["不高于超一半"]);
        Assert.Equal(0m, scores["不高于翻倍"]);
        Assert.Equal(10m, scores["定性达成"]);
        Assert.Equal(3.5m, scores["定性部分"]);
        Assert.Equal(1.5m, scores["定性未达"]);
        Assert.True(await OneAsync<bool>(engine, "SELECT published_band_mismatch FROM fct_self_evaluation WHERE level3 = '定性部分'"));

        // blank actual → 未填报 → the project is 未评
        Assert.Equal("未评", await OneAsync<string>(engine, "SELECT grade FROM mart_project_grade WHERE project_code = 'S2'"));
        Assert.Null(await OneAsync<decimal?>(engine, "SELECT recomputed_score FROM mart_project_grade WHERE project_code = 'S2'"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Grades_band_the_total_rounded_to_two_decimals_with_inclusive_lower_bounds(string engineName)
    {
        // total = 10 (budget fully spent) + 90 × B / 9000 = 10 + B/100
        var cases = new (string Code, string B, string Grade)[]
        {
            ("G5999", "4999", "差"), ("G6000", "5000", "中"), ("G7999", "6999", "中"), ("G8000", "7000", "良"),
            ("G8999", "7999", "良"), ("G9000", "8000", "优"), ("G89995", "7999.5", "优"),   // 79.995 → 80.00 → 90.00
        };
        var engine = await BuiltAsync(engineName,
            ("g_fund.csv", FundHeader + string.Concat(cases.Select(c => $"2024,{c.Code},项目{c.Code},D1,一局,年度资金总额,100,100,100,10,10\n"))),
            ("g_ind.csv", IndicatorHeader + string.Concat(cases.Select(c => $"2024,{c.Code},产出指标,数量指标,培训人次,,≥9000人次,,{c.B},90,\n"))));

        var grades = (await ListAsync<(string, string)>(engine, "SELECT project_code, grade FROM mart_project_grade"))
            .ToDictionary(r => r.Item1, r => r.Item2);
        foreach (var c in cases) Assert.Equal(c.Grade, grades[c.Code]);
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Indicator_lights_follow_the_bands_the_cap_rule_and_the_possibility_override(string engineName)
    {
        // 1-6月: 序时进度 0.5; =100% is a rate, so the expected value is 100 itself and r = actual
        var lights = new (string Name, string Target, string Actual, string Possibility, string Light)[]
        {
            ("r5999", "=100%", "59.99", "确定能", "red"), ("r6000", "=100%", "60", "确定能", "yellow"),
            ("r7999", "=100%", "79.99", "确定能", "yellow"), ("r8000", "=100%", "80", "确定能", "green"),
            ("r11999", "=100%", "119.99", "确定能", "green"), ("r12000", "=100%", "120", "确定能", "blue"),
            ("cap_over", "≤10天", "11", "确定能", "red"), ("cap_ok", "≤10天", "10", "确定能", "green"),
            ("count_prorated", "≥100个", "50", "确定能", "green"),          // expected 100 × 0.5 = 50 → r 100
            ("partial", "健全", "部分达成年度指标并具有一定效果", "确定能", "yellow"),
            ("hopeless", "=100%", "100", "完全不可能", "red"), ("maybe", "=100%", "100", "有可能", "yellow"),
            ("unreported", "=100%", "年底开展调查", "确定能", "grey"),
        };
        var engine = await BuiltAsync(engineName,
            ("m_fund.csv", MonitoringFundHeader + "2024,1-6月,L1,灯项目,D1,一局,年度资金总额,100,,50,\n"),
            ("m_ind.csv", MonitoringHeader + string.Concat(lights.Select(l =>
                $"2024,1-6月,L1,产出指标,数量指标,{l.Name},,{l.Target},,,{l.Actual},{l.Possibility}\n"))));

        var got = (await ListAsync<(string, string)>(engine, "SELECT level3, light FROM fct_indicator_progress"))
            .ToDictionary(r => r.Item1, r => r.Item2);
        foreach (var l in lights) Assert.True(l.Light == got[l.Name], $"{l.Name}: expected {l.Light}, got {got[l.Name]}");
        Assert.Equal("red", await OneAsync<string>(engine, "SELECT warning FROM mart_project_deviation WHERE project_code = 'L1'"));
        Assert.Equal("green", await OneAsync<string>(engine, "SELECT execution_warning FROM mart_project_deviation WHERE project_code = 'L1'"));
        // an 产出 indicator red with 完全不可能 → 暂停拨款
        Assert.Equal(1L, await OneAsync<long>(engine,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM mart_cut_candidates WHERE project_code = 'L1' AND flag = '暂停拨款'"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Each_consequence_flag_is_raised_with_its_numbers(string engineName)
    {
        // C1 优 (100), C2 中 (10 + 60 = 70), C3 差 (10 + 40 = 50), C4 优 but 年末执行率 70% → also 削减
        var engine = await BuiltAsync(engineName,
            ("c_fund.csv", FundHeader +
                "2023,C2,道路维修项目（二期）,D1,交通局,年度资金总额,100,100,100,10,10\n" +
                "2024,C1,乡村道路维修,D1,交通局,年度资金总额,100,100,100,10,10\n" +
                "2024,C2,道路维修项目（二期）,D1,交通局,年度资金总额,100,100,100,10,10\n" +
                "2024,C3,乡村道路维修项目,D2,农业局,年度资金总额,100,100,100,10,10\n" +
                "2024,C4,图书采购,D2,农业局,年度资金总额,100,100,70,10,7\n"),
            ("c_ind.csv", IndicatorHeader +
                "2023,C2,产出指标,数量指标,维修里程,,≥100公里,,60,90,\n" +
                "2024,C1,产出指标,数量指标,维修里程,,≥100公里,,100,90,\n" +
                "2024,C2,产出指标,数量指标,维修里程,,≥100公里,,60,90,\n" +
                "2024,C3,产出指标,数量指标,维修里程,,≥100公里,,40,90,\n" +
                "2024,C4,产出指标,数量指标,采购册数,,≥100册,,100,90,\n"),
            ("c_mon.csv", MonitoringFundHeader + "2024,1-6月,C1,乡村道路维修,D1,交通局,上年结转资金,30,,10,2\n"));

        var flags = await ListAsync<(string, string, decimal?, decimal?, string)>(engine,
            "SELECT project_code, flag, suggested_change_pct, amount, reason FROM mart_cut_candidates WHERE fiscal_year = 2024");
        bool Has(string code, string flag) => flags.Any(f => f.Item1 == code && f.Item2 == flag);
        Assert.True(Has("C1", "优先保障"));
        Assert.True(Has("C2", "从紧安排"));
        Assert.True(Has("C3", "削减/取消"));
        Assert.True(Has("C4", "削减/取消"));
        Assert.True(Has("C2", "整改未到位"));            // 2023 中 (70), 2024 中 again
        Assert.True(Has("C1", "收回"));                  // 上年结转资金 2 years, 20 unspent
        // 乡村道路维修 in 交通局 and 农业局: the same name and one shared indicator (1 content check of the 2 needed) are no 交叉重复
        Assert.False(Has("C1", "调整") || Has("C3", "调整"));
        var cut = flags.Single(f => f.Item1 == "C4" && f.Item2 == "削减/取消");
        Assert.Equal(-30m, cut.Item3);                   // −100 × (1 − 0.7)
        Assert.Equal(30m, cut.Item4);                    // 100 − 70 unspent
        Assert.Contains("年末执行率 70.0%，低于 80.0%", cut.Item5);
        Assert.Equal(20m, flags.Single(f => f.Item1 == "C1" && f.Item2 == "收回").Item4);
        Assert.Equal(-10m, flags.Single(f => f.Item1 == "C2" && f.Item2 == "从紧安排").Item3);
    }

    public void Dispose() => _dir.Dispose();
}
