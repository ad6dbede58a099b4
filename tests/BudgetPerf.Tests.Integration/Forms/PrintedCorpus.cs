using BudgetPerf.Etl.Reading.Forms;
using BudgetPerf.Etl.Templates;

namespace BudgetPerf.Tests.Integration.Forms;

/// <summary>
/// The test corpus: each printed layout (<see cref="FormLayouts"/>) filled with values whose results are computed by
/// hand beside them, written by <see cref="PrintedForms"/> — never from our own templates.
/// </summary>
public static class PrintedCorpus
{
    public const string Project = "教师培训经费", Department = "教育局";

    private static Dictionary<string, string> V(params (string Field, string Value)[] values) => values.ToDictionary(v => v.Field, v => v.Value);

    /// <summary>
    /// 附件1, 2025 1-6月: 年度资金总额 100 / 30 → 执行率 0.30, r = 0.30 / 0.5 × 100 = 60 → yellow;
    /// execution_deviation = 50 × (0.5 − 0.3) / 0.5 = 20.
    /// 培训人次 ≥1200人次 (cumulative): expected 1200 × 0.5 = 600, actual 480 → r 80, shortfall 0.2, green band but 有可能 → yellow;
    /// 培训合格率 ≥95%: actual 96 → r 101.0526…, shortfall 0; 学员满意度 ≥90%: actual 81 → r 90, shortfall 0.1.
    /// mean shortfall (0.2 + 0 + 0.1) / 3 = 0.1 → indicator_deviation 5; 偏差指数 20 + 5 = 25; project light yellow.
    /// </summary>
    public static FormFill Annex1(string project = Project, decimal budget = 100m, decimal executed = 30m)
    {
        var fill = new FormFill { Year = 2025 };
        fill.Head["填报单位"] = Department;
        fill.Head["项目名称"] = project;
        fill.Head["主管部门"] = Department;
        fill.Head["实施单位"] = "教师发展中心";
        fill.Funds["年度资金总额："] = V(("年初预算数", $"{budget}"), ("期间执行数", $"{executed}"), ("全年预计执行数", $"{budget}"));
        fill.Funds["其中：本年一般公共预算拨款"] = V(("年初预算数", $"{budget * 0.8m}"), ("期间执行数", $"{executed * 0.8m}"));
        fill.Funds["其他资金"] = V(("年初预算数", $"{budget * 0.2m}"), ("期间执行数", $"{executed * 0.2m}"));
        fill.Goals["年度总体目标"] = "完成教师培训1200人次，合格率不低于95%";
        fill.Indicators.Add(new IndicatorFill("产出指标", "数量指标", "培训人次", V(("年度指标值", "≥1200人次"), ("期间执行情况", "480人次"),
            ("全年预计完成情况", "1100人次"), ("偏差原因", "经费保障；人员保障"), ("改进措施", "加快资金拨付"), ("完成目标可能性", "有可能"))));
        fill.Indicators.Add(new IndicatorFill("产出指标", "质量指标", "培训合格率", V(("年度指标值", "≥95%"), ("期间执行情况", "96%"),
            ("全年预计完成情况", "96%"), ("完成目标可能性", "确定能"))));
        fill.Indicators.Add(new IndicatorFill("满意度指标", "服务对象满意度指标", "学员满意度", V(("年度指标值", "≥90%"), ("期间执行情况", "81%"),
            ("完成目标可能性", "确定能"), ("备注", "问卷回收中"))));
        return fill;
    }

    /// <summary>附件2, 2025年 2季度: the red 培训人次 of 附件1 corrected (执行偏差 −20%); the texts under the grid.</summary>
    public static FormFill Annex2(string level3 = "培训人次")
    {
        var fill = new FormFill { Year = 2025, Quarter = 2 };
        fill.Head["填报单位"] = Department;
        fill.Head["项目名称"] = Project;
        fill.Indicators.Add(new IndicatorFill("产出目标", "数量目标", level3, V(("完成时指标值", "1200人次"), ("本季度应完成值", "600人次"),
            ("实际完成", "480人次"), ("执行偏差", "-20%"))));
        fill.Texts["存在的主要问题"] = "1. 资金下达晚；2. 师资不足";
        fill.Texts["改进措施和有关建议"] = "1. 加快拨付；2. 外聘讲师";
        fill.Texts["其他需要说明的问题"] = "无";
        return fill;
    }

    /// <summary>附件3, 2025: 原先申请资金 100 → 计划调整后资金 80 (under their captions); 学员满意度 ≥90% → ≥85%.</summary>
    public static FormFill Annex3(string level3 = "学员满意度")
    {
        var fill = new FormFill { Year = 2025 };
        fill.Head["填报单位"] = Department;
        fill.Head["项目名称"] = Project;
        fill.Head["调整原因及依据"] = "上级政策调整，培训规模缩减";
        fill.Head["原先申请资金"] = "100";
        fill.Head["计划调整后资金"] = "80";
        fill.Indicators.Add(new IndicatorFill("满意度指标", "服务对象满意度指标", level3,
            V(("原指标", "≥90%"), ("调整后指标", "≥85%"), ("指标标准解释", "按问卷满意率计"))));
        return fill;
    }

    /// <summary>
    /// 表2-3-2, 2025: 资金总额 全年预算数 50, 全年实际执行数 45, 权重 10 → 预算执行率 score 10 × 45 / 50 = 9;
    /// 子项目 lines (—) never added to the total. Indicators 权重 40 + 30 + 20 = 90 (得分 published 36 + 30 + 18).
    /// </summary>
    public static FormFill College232()
    {
        var fill = new FormFill { Year = 2025 };
        fill.Head["项目名称"] = "实训设备购置";
        fill.Head["主管部门"] = "常州纺织服装职业技术学院";
        fill.Head["实施单位"] = "机电学院";
        fill.Funds["资金总额"] = V(("全年预算数", "50"), ("全年执行数", "45"), ("分值", "10"), ("得分", "9"));
        fill.Funds["子项目 1"] = V(("全年预算数", "30"), ("全年执行数", "27"), ("分值", "—"), ("得分", "—"));
        fill.Funds["子项目 2"] = V(("全年预算数", "20"), ("全年执行数", "18"), ("分值", "—"), ("得分", "—"));
        fill.Indicators.Add(new IndicatorFill("产出", "数量指标", "购置设备台数", V(("年度指标值", "≥40台"), ("实际完成值", "40台"), ("分值", "40"), ("得分", "36"))));
        fill.Indicators.Add(new IndicatorFill("产出", "质量指标", "设备验收合格率", V(("年度指标值", "=100%"), ("实际完成值", "100%"), ("分值", "30"), ("得分", "30"))));
        fill.Indicators.Add(new IndicatorFill("满意度", "服务对象\n满意度", "师生满意度", V(("年度指标值", "≥90%"), ("实际完成值", "81%"), ("分值", "20"),
            ("得分", "18"), ("偏差原因分析及改进措施", "设备到货晚，加强培训"))));
        return fill;
    }

    /// <summary>The national 项目支出绩效自评表: 表2-3-2's figures under the national captions, 一级指标 carrying their points.</summary>
    public static FormFill National()
    {
        var fill = new FormFill { Year = 2025 };
        fill.Head["项目名称"] = "实训设备购置";
        fill.Head["主管部门"] = "常州纺织服装职业技术学院";
        fill.Funds["年度资金总额"] = V(("年初预算数", "50"), ("全年预算数", "50"), ("全年执行数", "45"), ("分值", "10"), ("得分", "9"));
        fill.Funds["其中：当年财政拨款"] = V(("年初预算数", "50"), ("全年预算数", "50"), ("全年执行数", "45"));
        fill.Indicators.Add(new IndicatorFill("产出指标（50分）", "数量指标", "购置设备台数", V(("年度指标值", "≥40台"), ("实际完成值", "40台"), ("分值", "40"), ("得分", "36"))));
        fill.Indicators.Add(new IndicatorFill("产出指标（50分）", "质量指标", "设备验收合格率", V(("年度指标值", "=100%"), ("实际完成值", "100%"), ("分值", "30"), ("得分", "30"))));
        fill.Indicators.Add(new IndicatorFill("满意度指标（10分）", "服务对象满意度指标", "师生满意度", V(("年度指标值", "≥90%"), ("实际完成值", "81%"),
            ("分值", "20"), ("得分", "18"))));
        return fill;
    }

    /// <summary>
    /// 表2-2, 2025 (半年 → 1-6月, 序时进度 0.5), no 预算数: 资金总额 半年计划执行数 40, 半年实际执行数 30 → r = 30 / 40 × 100 = 75
    /// → yellow; judged as if 执行率 = 0.75 × 0.5 = 0.375 (budget 40 / 0.5 = 80); execution_deviation = 50 × (0.5 − 0.375) / 0.5 = 12.5.
    /// 购置设备台数 ≥20台 (the period target as written, never pro-rated), actual 16 → r 80, shortfall 0.2, 有可能 → yellow;
    /// 合格率 =100% / 100% → 0; 满意度 ≥90% / 90% → 0; 按期完成率 =100% / 80% → r 80, shortfall 0.2, 确定能 → green.
    /// mean shortfall (0.2 + 0 + 0 + 0.2) / 4 = 0.1 → 5; 偏差指数 12.5 + 5 = 17.5.
    /// </summary>
    public static FormFill College22(string? sheetDepartment = null)
    {
        var fill = new FormFill { Year = 2025 };
        fill.Head["项目名称"] = "实训设备购置";
        fill.Head["主管部门"] = sheetDepartment ?? "219-常州纺织服装职业技术学院";
        fill.Head["实施单位"] = "机电学院";
        fill.Goals["年度目标完成情况"] = "目标 1: 购置实训设备40台";
        fill.Funds["资金总额"] = V(("期间计划执行数", "40"), ("期间执行数", "30"));
        fill.Funds["子项目 1"] = V(("期间计划执行数", "25"), ("期间执行数", "20"));
        fill.Funds["子项目 2"] = V(("期间计划执行数", "15"), ("期间执行数", "10"));
        fill.Indicators.Add(new IndicatorFill("产出", "数量指标", "指标 1: 购置设备台数", V(("期间指标值", "≥20台"), ("期间执行情况", "16台"), ("完成目标可能性", "有可能"))));
        fill.Indicators.Add(new IndicatorFill("产出", "质量指标", "设备验收合格率", V(("期间指标值", "=100%"), ("期间执行情况", "100%"), ("完成目标可能性", "确定能"))));
        fill.Indicators.Add(new IndicatorFill("产出", "时效指标", "按期完成率", V(("期间指标值", "=100%"), ("期间执行情况", "80%"), ("完成目标可能性", "确定能"))));
        fill.Indicators.Add(new IndicatorFill("满意度", "服务对象\n满意度", "师生满意度", V(("期间指标值", "≥90%"), ("期间执行情况", "90%"), ("完成目标可能性", "确定能"))));
        fill.Texts["偏差原因"] = "设备招标延后";
        fill.Texts["改进措施"] = "加快验收";
        fill.Texts["部门负责人审核意见"] = "同意";
        return fill;
    }

    /// <summary>
    /// 表1-2, 2025 (部门名称 101-教育局): 资金总额 半年计划执行数 200, 半年实际执行数 180 → r 90 → green; as if 执行率 0.45;
    /// execution_deviation 50 × (0.5 − 0.45) / 0.5 = 5. 预算执行率 =50% (the period target) / 45% → r 90, shortfall 0.1;
    /// 家长满意度 ≥90% / 92% → 0; mean 0.05 → 2.5; 偏差指数 5 + 2.5 = 7.5.
    /// </summary>
    public static FormFill College12()
    {
        var fill = new FormFill { Year = 2025 };
        fill.Head["部门名称"] = "101-教育局";
        fill.Funds["资金总额"] = V(("期间计划执行数", "200"), ("期间执行数", "180"));
        fill.Funds["校内预算|小计"] = V(("期间计划执行数", "120"), ("期间执行数", "110"));
        fill.Funds["财政资金"] = V(("期间计划执行数", "80"), ("期间执行数", "70"));
        fill.Indicators.Add(new IndicatorFill("过程", "预算执行", "预算执行率", V(("期间指标值", "=50%"), ("期间执行情况", "45%"), ("完成目标可能性", "确定能"))));
        fill.Indicators.Add(new IndicatorFill("满意度", "服务对象满意度", "家长满意度", V(("期间指标值", "≥90%"), ("期间执行情况", "92%"), ("完成目标可能性", "确定能"))));
        fill.Texts["重点监控整改情况"] = "无";
        return fill;
    }

    /// <summary>
    /// 表1-3-2, 2025: 资金总额 全年预算数 500, 全年实际执行数 450, 权重 10 → 10 × 450 / 500 = 9; 年度重点任务完成率 ≥95% / 95%,
    /// 权重 50 → 50; 家长满意度 ≥90% / 72%, 权重 40 → 40 × 72 / 90 = 32; total 9 + 50 + 32 = 91 → 优.
    /// </summary>
    public static FormFill College132()
    {
        var fill = new FormFill { Year = 2025 };
        fill.Head["部门名称"] = "101-教育局";
        fill.Funds["资金总额"] = V(("全年预算数", "500"), ("全年执行数", "450"), ("分值", "10"), ("得分", "9"));
        fill.Funds["校内预算|小计"] = V(("全年预算数", "300"), ("全年执行数", "280"), ("分值", "—"), ("得分", "—"));
        fill.Indicators.Add(new IndicatorFill("履职", "职能 1", "年度重点任务完成率", V(("年度指标值", "≥95%"), ("实际完成值", "95%"), ("分值", "50"), ("得分", "50"))));
        fill.Indicators.Add(new IndicatorFill("满意度", "服务对象满意度", "家长满意度", V(("年度指标值", "≥90%"), ("实际完成值", "72%"), ("分值", "40"), ("得分", "32"))));
        return fill;
    }

    /// <summary>表2-1, 2025, for 表2-2's project: 资金总额 全年预算数 100, 半年计划执行数 40; the four indicators' 半年 / 全年 指标值.</summary>
    public static FormFill College21()
    {
        var fill = new FormFill { Year = 2025 };
        fill.Head["项目名称"] = "实训设备购置";
        fill.Head["主管部门"] = "219-常州纺织服装职业技术学院";
        fill.Funds["资金总额"] = V(("期间计划执行数", "40"), ("全年预算数", "100"));
        fill.Funds["子项目 1"] = V(("期间计划执行数", "25"), ("全年预算数", "60"));
        fill.Indicators.Add(new IndicatorFill("产出", "数量指标", "购置设备台数", V(("期间指标值", "≥20台"), ("年度指标值", "≥40台"))));
        fill.Indicators.Add(new IndicatorFill("产出", "质量指标", "设备验收合格率", V(("期间指标值", "=100%"), ("年度指标值", "=100%"))));
        fill.Indicators.Add(new IndicatorFill("产出", "时效指标", "按期完成率", V(("期间指标值", "=100%"), ("年度指标值", "=100%"))));
        fill.Indicators.Add(new IndicatorFill("满意度", "服务对象\n满意度", "师生满意度", V(("期间指标值", "≥90%"), ("年度指标值", "≥90%"))));
        return fill;
    }

    /// <summary>表1-1, 2025, 101-教育局: 资金总额 半年计划执行数 200, 全年预算数 450; 预算执行率 =50% / =100%; 家长满意度 ≥95% / ≥95%.</summary>
    public static FormFill College11()
    {
        var fill = new FormFill { Year = 2025 };
        fill.Head["部门名称"] = "101-教育局";
        fill.Funds["资金总额"] = V(("期间计划执行数", "200"), ("全年预算数", "450"));
        fill.Funds["财政资金"] = V(("期间计划执行数", "80"), ("全年预算数", "180"));
        fill.Goals["年度目标"] = "目标 1: 完成年度重点任务";
        fill.Indicators.Add(new IndicatorFill("过程", "预算执行", "预算执行率", V(("期间指标值", "=50%"), ("年度指标值", "=100%"))));
        fill.Indicators.Add(new IndicatorFill("满意度", "服务对象满意度", "家长满意度", V(("期间指标值", "≥95%"), ("年度指标值", "≥95%"))));
        return fill;
    }
}
