namespace BudgetPerf.Etl.Reading.Forms;

/// <summary>
/// The county's printed forms, rebuilt from 杭锦旗 预算绩效运行监控管理办法 (seed 000_d639a2a73ac5be63.txt, 附件1–3).
/// </summary>
public static partial class FormLayouts
{
    private const string County = "杭锦旗运行监控管理办法";

    private static readonly (string, string[])[] CountySkeleton =
    [
        ("产\n出\n指\n标", ["数量指标", "质量指标", "时效指标", "成本指标"]),
        ("效\n益\n指\n标", ["经济效益\n指标", "社会效益\n指标", "生态效益\n指标", "可持续影响\n指标"]),
        ("满意度指标", ["服务对象\n满意度指标"]),
    ];

    /// <summary>
    /// 附件1 项目支出绩效监控情况表: 填报单位（章）：; 项目名称 over the width; 主管部门 | 实施单位; the fund block with
    /// 项目资金（万元） merged down the left, line names merged over four columns, each amount over two; 年度总体目标;
    /// the indicator block with 绩效指标 down the left and a two-row header (偏差原因分析 over 经费保障 … 改进措施,
    /// 完成目标可能性 over 确定能 / 有可能 / 完全不可能); the 注： lines.
    /// </summary>
    public static readonly FormLayout Annex1 = new(
        "附件1", "项目支出绩效监控情况表", ["项目支出绩效监控情况表"], FormScope.Project, FormPurpose.Monitoring,
        County + " 附件1", "（{0}年度）",
        [
            [new LabelCell("填报单位", "填报单位（章）：", Span: 9, Inline: true)],
            [new LabelCell("项目名称", "项目名称", Span: 2, ValueSpan: 15)],
            [new LabelCell("主管部门", "主管部门", Span: 2, ValueSpan: 7), new LabelCell("实施单位", "实施单位", Span: 2, ValueSpan: 6)],
        ],
        new FundBlock("项目资金\n（万元）", 4, ["年度资金总额：", "其中：本年一般公共预算拨款", "其他资金"],
        [
            new Caption("年初预算数", "年初预算数", 2), new Caption("期间执行数", "1-6月执行数", 2),
            new Caption(null, "1-6月执行率", 2), new Caption("全年预计执行数", "全年预计执行数", 2),
        ]),
        ["年度总体目标"],
        new IndicatorBlock("绩效指标", null, ["一级指标", "二级指标", "三级指标"],
        [
            new Caption("年度指标值", "年度指标值"), new Caption("期间执行情况", "1-6月执行情况"),
            new Caption("全年预计完成情况", "全年预计完成情况"),
            .. new[] { "经费保障", "制度保障", "人员保障", "硬件条件保障", "其他" }
                .Select(o => new Caption("偏差原因", o, Group: "偏差原因分析", Option: o)),
            new Caption("改进措施", "改进措施", Group: "偏差原因分析"),
            .. new[] { "确定能", "有可能", "完全不可能" }.Select(o => new Caption("完成目标可能性", o, Group: "完成目标可能性", Option: o)),
            new Caption("备注", "备注"),
        ], CountySkeleton, 3),
        [],
        [
            "注：1．偏差原因分析：针对与预期目标产生偏差的指标值，可以从经费保障、制度保障、人员保障、硬件条件保障等方面进行判断和分析，并说明原因。",
            "2．完成目标可能性：对应所设定的实现绩效目标的路径，分确定能、有可能、完全不可能三级综合判断完成的可能性。",
            "3．备注：说明预计到年底不能完成目标的原因及拟采取的措施。",
        ]);

    /// <summary>
    /// 附件2 绩效运行监控目标纠偏表 (quarterly, （2025年 2季度）): 填报单位（盖章）：X and 项目（政策）名称：Y as label and
    /// value in one cell; 一级目标 / 二级目标 / 三级目标 and four wrapped captions; 存在的主要问题, 改进措施和有关建议,
    /// 其他需要说明的问题 as rows under the grid; the 填报单位负责人 line.
    /// </summary>
    public static readonly FormLayout Annex2 = new(
        "附件2", "绩效运行监控目标纠偏表", ["监控目标纠偏表"], FormScope.Project, FormPurpose.Correction,
        County + " 附件2", "（{0}年 {1}季度）",
        [[new LabelCell("填报单位", "填报单位（盖章）：", Span: 3, Inline: true), new LabelCell("项目名称", "项目（政策）名称：", Span: 4, Inline: true)]],
        null,
        [],
        new IndicatorBlock(null, null, ["一级目标", "二级目标", "三级\n目标"],
        [
            new Caption("完成时指标值", "项目（政策）\n完成时的\n指标值"), new Caption("本季度应完成值", "本季度应完成的\n绩效指标值"),
            new Caption("实际完成", "实际完成目\n标百分比或\n情况描述"), new Caption("执行偏差", "执行偏差（可量\n化的尽量用\n数值表示）"),
        ],
        [
            ("产出目标", ["数量目标", "质量目标", "时效目标", "成本目标"]),
            ("效果目标", ["经济效益目标", "社会效益目标", "生态效益目标", "可持续目标", "服务对象\n满意度目标"]),
        ], 2),
        ["存在的主要问题\n（分条描述清楚）", "改进措施和有关建议\n（分条描述清楚）", "其他需要说明的问题"],
        ["填报单位负责人：          填报人：          填报日期：    年  月  日"]);

    /// <summary>
    /// 附件3 绩效运行监控目标调整表: 项目（政策）名称, 调整原因及依据, 调整后预期目标 (产出 / 预期成效 / 目标完成度), the
    /// 预算资金拟调整情况（万元） captions with their amounts printed under them, and 绩效指标调整情况 with 指标名称 over
    /// 一级 / 二级 / 三级指标 beside 原指标 / 调整后指标 / 指标标准解释.
    /// </summary>
    public static readonly FormLayout Annex3 = new(
        "附件3", "绩效运行监控目标调整表", ["监控目标调整表"], FormScope.Project, FormPurpose.Adjustment,
        County + " 附件3", "（{0}年度）",
        [
            [new LabelCell("填报单位", "填报单位（盖章）：", Span: 4, Inline: true)],
            [new LabelCell("项目名称", "项目（政策）\n名称", ValueSpan: 6)],
            [new LabelCell("调整原因及依据", "调整原因\n及依据", ValueSpan: 6)],
            [new LabelCell("项目产出", "项目（政策）产出", ValueSpan: 6)],
            [new LabelCell("项目预期成效", "项目（政策）预期成效", ValueSpan: 6)],
            [new LabelCell("目标完成度", "目标完成度", ValueSpan: 6)],
            [
                new LabelCell("具体工作任务/工作量", "具体工作任务／工作量", Span: 2, ValueSpan: 2, Below: true),
                new LabelCell("原先申请资金", "原先申\n请资金", Below: true), new LabelCell("计划调整后资金", "计划调\n整后资金", Below: true),
                new LabelCell("计划时间安排", "计划时间安排\n（起止时间）", Span: 2, ValueSpan: 2, Below: true),
            ],
        ],
        null,
        [],
        new IndicatorBlock("绩效指标\n调整情况", "指标名称", ["一级指标", "二级指标", "三级指标"],
            [new Caption("原指标", "原指标"), new Caption("调整后指标", "调整后指标"), new Caption("指标标准解释", "指标标准解释")],
            [
                ("产出指标", ["数量指标", "质量指标", "时效指标", "成本指标"]),
                ("效益指标", ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"]),
                ("满意度指标", ["服务对象满意度指标"]),
            ], 2),
        [],
        ["填报单位负责人：          填报人：          填报日期：    年  月  日"]);
}
