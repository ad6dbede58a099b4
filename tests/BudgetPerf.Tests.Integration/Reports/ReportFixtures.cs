using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Reports;

/// <summary>Hand-made submissions of department D1 (一局) for the report tests; every figure is computed by hand in the tests.</summary>
public static class ReportFixtures
{
    /// <summary>
    /// RP1 (部门 D1) at 2024 1-6月 (序时进度 0.5): budget 200, executed 80; five indicators across the form groups (one qualitative).
    /// </summary>
    public static (string Name, string Csv)[] Project() =>
    [
        ("rp_mon_fund.csv", MonitoringFundHeader + "2024,1-6月,RP1,农村改厕,D1,一局,年度资金总额,200,,80,\n"),
        ("rp_mon.csv", MonitoringHeader +
            "2024,1-6月,RP1,产出指标,数量指标,改厕户数,,≥3000户,,,1650,确定能\n" +
            "2024,1-6月,RP1,产出指标,质量指标,验收合格率,,≥90%,,,81,确定能\n" +
            "2024,1-6月,RP1,产出指标,质量指标,工程质量达标情况,定性,达到国家相关质量标准,,,部分达成年度指标并具有一定效果,确定能\n" +
            "2024,1-6月,RP1,效益指标,社会效益指标,受益人数,,≥1000人,,,300,有可能\n" +
            "2024,1-6月,RP1,满意度指标,服务对象满意度指标,群众满意度,,≥90%,,,95,确定能\n"),
    ];

    /// <summary>
    /// RP1 plus RP2 (D1, 村道养护) on schedule: budget 100, executed 50 (执行率 50.0% = 序时进度), one indicator ahead
    /// (养护里程 ≥100公里, 55 at 1-6月 against 50 expected: r = 110, green).
    /// </summary>
    public static (string Name, string Csv)[] Department() =>
    [
        .. Project(),
        ("rp2_mon_fund.csv", MonitoringFundHeader + "2024,1-6月,RP2,村道养护,D1,一局,年度资金总额,100,,50,\n"),
        ("rp2_mon.csv", MonitoringHeader + "2024,1-6月,RP2,产出指标,数量指标,养护里程,,≥100公里,,,55,确定能\n"),
    ];

    /// <summary>
    /// RP1's 2024 self-evaluation (表2-3-2): 全年预算 200, 全年执行 140 (70.0%), 分值 10 → 预算执行 7.00; indicators
    /// 改厕户数 30/30, 验收合格率 72 of ≥90 → 30 × 0.8 = 24.00, 受益人数 300 of ≥1000 → 20 × 0.3 = 6.00, 群众满意度 10/10;
    /// total 7 + 30 + 24 + 6 + 10 = 77.00 → 中.
    /// </summary>
    public static (string Name, string Csv)[] SelfEvaluation() =>
    [
        ("rp_se_fund.csv", FundHeader + "2024,RP1,农村改厕,D1,一局,年度资金总额,200,200,140,10,7\n"),
        ("rp_se.csv", IndicatorHeader +
            "2024,RP1,产出指标,数量指标,改厕户数,≥,3000,户,3000,30,30\n" +
            "2024,RP1,产出指标,质量指标,验收合格率,≥,90,%,72,30,24\n" +
            "2024,RP1,效益指标,社会效益指标,受益人数,≥,1000,人,300,20,6\n" +
            "2024,RP1,满意度指标,服务对象满意度指标,群众满意度,≥,90,%,95,10,10\n"),
    ];

    /// <summary>
    /// D1's 部门整体 self-evaluation (表1-3-2): 全年预算 1000, 执行 950 (95.0%), 分值 10 → 9.50; 重点工作完成率 90 of ≥100
    /// → 40 × 0.9 = 36.00; 群众满意度 95 of ≥90 → 50; total 9.5 + 36 + 50 = 95.50 → 优, rank 1 (the only department).
    /// </summary>
    public static (string Name, string Csv)[] DepartmentSelfEvaluation() =>
    [
        ("d1_se_fund.csv", "年度,部门编码,部门名称,资金类别,年初预算数,全年预算数,全年执行数,分值,得分\n"
            + "2024,D1,一局,年度资金总额,1000,1000,950,10,9.5\n"),
        ("d1_se.csv", "年度,部门编码,一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位,实际完成值,分值,得分\n"
            + "2024,D1,履职,重点工作,重点工作完成率,≥,100,%,90,40,36\n"
            + "2024,D1,满意度,服务对象满意度,群众满意度,≥,90,%,95,50,50\n"),
    ];
}
