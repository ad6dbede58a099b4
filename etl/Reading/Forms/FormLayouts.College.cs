namespace BudgetPerf.Etl.Reading.Forms;

/// <summary>
/// The college's printed forms, rebuilt from 常纺院 预算绩效管理办法 (seed 004_0956820631df1f21.txt, 表1-1 … 表2-3-2).
/// </summary>
public static partial class FormLayouts
{
    private const string College = "常纺院预算绩效管理办法";

    private static readonly (string, string[])[] ProjectSkeleton =
    [
        ("决策", ["项目立项", "绩效目标", "资金投入"]), ("过程", ["资金管理", "组织实施"]),
        ("成本", ["经济成本", "社会成本", "生态成本"]), ("产出", ["数量指标", "质量指标", "时效指标"]),
        ("效益", ["社会效益", "经济效益", "生态效益", "可持续影响"]), ("满意度", ["服务对象\n满意度"]),
    ];

    private static readonly (string, string[])[] DepartmentSkeleton =
    [
        ("决策", ["计划制定", "目标设定", "预算编制"]), ("过程", ["预算执行", "预算管理", "资产管理", "项目管理", "人员管理", "机构建设"]),
        ("履职", ["职能 1", "职能 2"]), ("效益", ["经济效益", "社会效益", "生态效益", "可持续影响"]), ("满意度", ["服务对象满意度"]),
    ];

    private static CommonIndicator[] Common(string level1, string level2, params string[] rows) =>
        rows.Select(r => r.Split('|')).Select(p => new CommonIndicator(level1, level2, p[0], p[1].Length == 0 ? null : p[1], p[2])).ToArray();

    /// <summary>The common indicators 表2-1 / 表2-2 pre-print under 决策 and 过程 (三级|半年|全年).</summary>
    private static readonly CommonIndicator[] ProjectCommon =
    [
        .. Common("决策", "项目立项", "立项依据充分性|充分|充分", "立项程序规范性|规范|规范"),
        .. Common("决策", "绩效目标", "绩效目标合理性|合理|合理", "绩效指标明确性|明确|明确"),
        .. Common("决策", "资金投入", "预算编制科学性|科学|科学", "资金分配合理性|合理|合理"),
        .. Common("过程", "资金管理", "资金到位率|序时进度|100%", "预算执行率||100%", "资金使用合规性|合规|合规"),
        .. Common("过程", "组织实施", "管理制度健全性|健全|健全", "制度执行有效性|有效|有效"),
    ];

    /// <summary>The common indicators 表1-1 / 表1-2 pre-print under 决策 and 过程.</summary>
    private static readonly CommonIndicator[] DepartmentCommon =
    [
        .. Common("决策", "计划制定", "中长期规划制定健全性|健全|健全", "工作计划制定健全性|健全|健全"),
        .. Common("决策", "目标设定", "绩效指标明确性|明确|明确", "绩效目标合理性|合理|合理"),
        .. Common("决策", "预算编制", "预算编制科学性|科学|科学", "预算编制规范性|规范|规范"),
        .. Common("过程", "预算执行", "“三公经费”变动率|=0%|=0%", "公用经费控制率|≤100%|≤100%", "支付进度符合率|=100%|=100%",
            "政府采购执行率|=100%|=100%", "结转结余率|=0%|=0%", "非税收入预算完成率|=100%|=100%", "预算执行率||=100%", "预算调整率|=0%|=0%"),
        .. Common("过程", "预算管理", "基础信息完善性|完善|完善", "绩效管理覆盖率|=100%|=100%", "资金使用合规性|合规|合规",
            "非税收入管理合规性|合规|合规", "预决算信息公开度|公开|公开", "预算管理制度健全性|健全|健全"),
        .. Common("过程", "资产管理", "固定资产利用率|=100%|=100%", "资产管理制度健全性|健全|健全", "资产管理规范性|规范|规范"),
        .. Common("过程", "项目管理", "项目管理制度健全性|健全|健全", "项目管理制度执行规范性|规范|规范"),
        .. Common("过程", "人员管理", "人员管理制度健全性|健全|健全", "人员管理制度执行有效性|有效|有效", "在职人员控制率|=100%|=100%"),
        .. Common("过程", "机构建设", "业务学习与培训及时完成率|=100%|=100%", "纪检监察工作有效性|有效|有效", "组织建设工作及时完成率|=100%|=100%"),
    ];

    private static readonly string[] DepartmentLines =
        ["资金总额", "校内预算|小计", "校内预算|基本支出", "校内预算|项目支出", "校内预算|项目 1", "校内预算|项目 2", "财政资金", "其他资金"];

    private static readonly string[] ProjectLines = ["资金总额", "子项目 1", "子项目 2"];

    private static LabelCell[][] ProjectHead(int width) =>
    [[
        new LabelCell("项目名称", "项目名称", ValueSpan: 2), new LabelCell("主管部门", "归口管理部门", ValueSpan: width > 7 ? 2 : 1),
        new LabelCell("实施单位", "实施单位"),
    ]];

    private static readonly LabelCell[][] DepartmentHead =
        [[new LabelCell("部门名称", "部门名称", ValueSpan: 2), new LabelCell("-", "联系人"), new LabelCell("-", "联系电话", ValueSpan: 2)]];

    /// <summary>年度目标完成情况 merged down over its two sub-captions and their texts (表2-2, 表1-2 / 表2-3-2, 表1-3-2).</summary>
    private const string HalfYearGoal = "年度目标完成情况|年初设定目标|半年完成情况", YearGoal = "年度目标完成情况|年初设定目标|全年完成情况";

    private static readonly string[] MonitoringTexts = ["偏差原因", "改进措施", "部门负责人\n审核意见", "分管领导\n审核意见"];

    private const string MonitoringNote = "备注：1. 完成目标可能性分为确定能、有可能、完全不可能三种情况；2. 对发生偏差的目标，从经费保障、制度保障、人员保障、" +
        "硬件条件保障、项目实施方式和进程等方面进行研判和分析，查找偏差原因，提出改进措施。3. 对目标偏差较大的项目，列入重点监控，并说明整改情况。";

    private const string ScoringNote = "备注：1. 自评价可参考绩效目标，结合评价实际情况设置相应评价指标，并分别打分。指标栏可以根据自评价指标设置情况自行调整。" +
        "2. 权重，所有指标权重和为100%，其中，预算执行率的权重固定为10%。";

    private static Caption[] MonitoringFundColumns =>
    [
        new("期间计划执行数", "半年计划\n执行数"), new("期间执行数", "半年实际\n执行数"), new("是否偏差", "是否\n偏差"), new(null, "完成目标可\n能性"),
    ];

    private static Caption[] MonitoringIndicatorColumns =>
    [
        new("期间指标值", "半年计划\n指标值"), new("期间执行情况", "半年实际\n执行值"), new("是否偏差", "是否\n偏差"), new("完成目标可能性", "完成目标可\n能性"),
    ];

    private static Caption[] ScoringFundColumns =>
        [new("全年预算数", "全年预算数"), new("全年执行数", "全年实际执行数"), new("分值", "权重"), new(null, "执行率"), new("得分", "得分")];

    private static Caption[] ScoringIndicatorColumns =>
    [
        new("年度指标值", "全年计划指标值"), new("实际完成值", "全年实际执行数"), new("分值", "权重"), new("得分", "得分"),
        new("偏差原因分析及改进措施", "偏差原因分析及改进措施"),
    ];

    /// <summary>
    /// 表2-2 项目预算绩效监控情况表: 项目名称 | 归口管理部门 | 实施单位; 年度目标完成情况 (年初设定目标 / 半年完成情况);
    /// 项目资金（万元） with 资金总额 and its 子项目 lines under 半年计划执行数 / 半年实际执行数 / 是否偏差 / 完成目标可能性 — no
    /// 预算数; the indicators under 半年计划指标值 / 半年实际执行值 / 是否偏差 / 完成目标可能性; 偏差原因, 改进措施 and the
    /// 审核意见 rows under the grid; the 备注.
    /// </summary>
    public static readonly FormLayout College22 = new(
        "表2-2", "项目预算绩效监控情况表", ["项目预算绩效监控情况表"], FormScope.Project, FormPurpose.Monitoring,
        College + " 表2-2", "{0} 年度", ProjectHead(7),
        new FundBlock("项目资金\n(万元)", 2, ProjectLines, MonitoringFundColumns),
        [HalfYearGoal],
        new IndicatorBlock(null, null, ["一级指标", "二级指标", "三级指标"], MonitoringIndicatorColumns, ProjectSkeleton, 2, ProjectCommon),
        [.. MonitoringTexts.Take(3), "归口管理\n部门负责人\n审核意见", "分管领导\n审核意见"], [MonitoringNote]);

    /// <summary>表2-3-2 项目预算绩效自我评价评分表: 权重 = 分值, 全年计划指标值 = 年度指标值, 全年实际执行数 = 实际完成值; 总计.</summary>
    public static readonly FormLayout College232 = new(
        "表2-3-2", "项目预算绩效自我评价评分表", ["项目预算绩效自我评价评分表"], FormScope.Project, FormPurpose.SelfEvaluation,
        College + " 表2-3-2", "{0} 年度", ProjectHead(8),
        new FundBlock("项目资金\n(万元)", 2, ProjectLines, ScoringFundColumns),
        [YearGoal],
        new IndicatorBlock(null, null, ["一级指标", "二级指标", "三级指标"], ScoringIndicatorColumns, ProjectSkeleton, 2),
        [], ["总计", ScoringNote]);

    /// <summary>表1-2 整体预算绩效监控情况表: 表2-2 for a whole department (部门名称 | 联系人 | 联系电话; 校内预算 lines).</summary>
    public static readonly FormLayout College12 = new(
        "表1-2", "整体预算绩效监控情况表", ["整体预算绩效监控情况表"], FormScope.Department, FormPurpose.Monitoring,
        College + " 表1-2", "{0} 年度", DepartmentHead,
        new FundBlock("部门整体\n资金 (万元)", 2, DepartmentLines, MonitoringFundColumns),
        [HalfYearGoal],
        new IndicatorBlock(null, null, ["一级指标", "二级指标", "三级指标"], MonitoringIndicatorColumns, DepartmentSkeleton, 2, DepartmentCommon),
        [.. MonitoringTexts, "重点监控\n整改情况"], [MonitoringNote]);

    /// <summary>表1-3-2 整体预算绩效自我评价评分表.</summary>
    public static readonly FormLayout College132 = new(
        "表1-3-2", "整体预算绩效自我评价评分表", ["整体预算绩效自我评价评分表"], FormScope.Department, FormPurpose.SelfEvaluation,
        College + " 表1-3-2", "{0} 年度", DepartmentHead,
        new FundBlock("部门整体\n资金 (万元)", 2, DepartmentLines, ScoringFundColumns),
        [YearGoal],
        new IndicatorBlock(null, null, ["一级指标", "二级指标", "三级指标"], ScoringIndicatorColumns, DepartmentSkeleton, 2),
        [], ["总计", ScoringNote]);

    /// <summary>表2-1 项目预算绩效目标申报表: 全年预算数, 半年计划执行数, each indicator's 半年 / 全年 指标值 (declared).</summary>
    public static readonly FormLayout College21 = new(
        "表2-1", "项目预算绩效目标申报表", ["项目预算绩效目标申报表"], FormScope.Project, FormPurpose.Declaration,
        College + " 表2-1", "{0} 年度", ProjectHead(5),
        new FundBlock("项目资金\n(万元)", 2, ProjectLines, [new("期间计划执行数", "半年\n计划执行数"), new("全年预算数", "全年\n预算数")]),
        ["中长期目标", "年度目标"],
        new IndicatorBlock(null, null, ["一级指标", "二级指标", "三级指标"],
            [new("期间指标值", "半年\n指标值"), new("年度指标值", "全年\n指标值")], ProjectSkeleton, 2, ProjectCommon),
        ["部门负责人\n审核意见", "归口管理部\n门负责人\n审核意见", "分管领导\n审核意见"], []);

    /// <summary>表1-1 整体预算绩效目标申报表.</summary>
    public static readonly FormLayout College11 = new(
        "表1-1", "整体预算绩效目标申报表", ["整体预算绩效目标申报表"], FormScope.Department, FormPurpose.Declaration,
        College + " 表1-1", "{0} 年度", [[new LabelCell("部门名称", "部门名称", ValueSpan: 4)]],
        new FundBlock("部门整体资金\n（万元）", 2, DepartmentLines, [new("期间计划执行数", "半年计划执行数"), new("全年预算数", "全年预算数")]),
        ["中长期目标", "年度目标"],
        new IndicatorBlock(null, null, ["一级指标", "二级指标", "三级指标"],
            [new("期间指标值", "半年指标值"), new("年度指标值", "全年指标值")], DepartmentSkeleton, 2, DepartmentCommon),
        ["部门负责人\n审核意见", "分管领导\n审核意见"], []);
}
