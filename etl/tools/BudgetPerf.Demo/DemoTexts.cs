namespace BudgetPerf.Etl.Demo;

/// <summary>The free text departments write into the forms: causes, measures, reasons, goals.</summary>
internal static class DemoTexts
{
    /// <summary>偏差原因 check-box columns of 附件1.</summary>
    public static readonly string[] CauseKinds = ["经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"];

    public static readonly string[] CauseNotes =
    [
        "项目资金到位较晚，影响项目实施进度",
        "上级资金下达滞后，配套资金未及时落实",
        "项目前期手续办理时间较长，尚未开工建设",
        "受季节性因素影响，工程主要集中在下半年实施",
        "政府采购程序耗时较长，设备尚未交付使用",
        "施工单位人员投入不足，工程进度滞后",
        "项目实施方案调整，部分内容需重新论证",
        "受雨季影响，部分工程暂停施工",
        "补助对象核查尚未完成，资金暂未拨付",
        "培训计划集中安排在第三季度",
        "项目用地手续尚未办结",
        "工程款按进度结算，部分款项待验收后支付",
    ];

    public static readonly string[] Improvements =
    [
        "加快项目实施进度，督促施工单位增加人员和设备投入",
        "加强与上级部门沟通衔接，督促资金尽快到位",
        "优化采购流程，尽快完成政府采购并组织验收",
        "按月调度项目进展，确保年底前完成年度绩效目标",
        "加快补助对象核查进度，及时足额拨付资金",
        "对实施方案进行优化调整，报请批准后组织实施",
        "建立项目推进台账，明确责任人和完成时限",
        "申请调减年度预算，收回部分资金统筹使用",
    ];

    public static readonly string[] Problems =
    [
        "项目实施进度滞后于序时进度",
        "资金支付进度缓慢，形成资金沉淀",
        "部分绩效指标完成值明显低于预期",
        "项目前期准备工作不充分",
        "项目单位绩效管理意识不强，跟踪监控不到位",
    ];

    public static readonly string[] AdjustmentReasons =
    [
        "根据县人民政府常务会议纪要（〔{0}〕{1}号），调整项目实施内容",
        "受政策调整影响，补助标准发生变化，相应调整绩效目标",
        "项目实施地点变更，部分建设内容调整",
        "上级追加专项资金，扩大项目实施规模",
        "项目实施条件发生变化，原定目标无法实现，申请调减",
        "结合年中绩效监控结果，对偏差较大的指标进行调整",
    ];

    public static readonly string[] Explanations =
    [
        "以项目实施单位统计的年度实际完成数为准",
        "以经批复的项目实施方案为准",
        "以验收报告确认的数量为准",
        "以财政部门批复的调整后预算为依据测算",
    ];

    public static readonly string[] Remarks = ["数据截至6月30日", "统计口径为累计数", "详见项目进度台账", "已报主管部门审核"];

    public static readonly string[] ShortfallNotes =
    [
        "受{0}影响，未完全达到年度目标；下一步将{1}",
        "年度目标未全部完成，主要原因是{0}；整改措施：{1}",
    ];

    public static readonly string[] OvershootNotes =
    [
        "实际需求高于预期，超额完成年度目标；今后将科学合理设置绩效目标",
        "受益范围扩大，完成值超过年度指标值",
    ];

    /// <summary>Results reported at mid-year that are not a number or a band: read as 未填报.</summary>
    public static readonly string[] NotYetMeasured = ["年底开展调查", "未开展", "年底统计"];

    private static readonly Dictionary<string, string> Benefits = new()
    {
        ["教育"] = "改善学校办学条件，促进义务教育优质均衡发展",
        ["卫生"] = "提升基层医疗卫生服务能力，方便群众就近就医",
        ["农业"] = "促进农业增效、农民增收，巩固拓展脱贫攻坚成果",
        ["水利"] = "提升水利基础设施保障能力，保障群众饮水和灌溉安全",
        ["交通"] = "完善农村交通路网，改善群众出行条件",
        ["民政"] = "保障困难群众基本生活，兜牢民生底线",
        ["文化"] = "丰富群众精神文化生活，提升公共文化服务水平",
        ["人社"] = "促进城乡劳动者就业创业，稳定就业形势",
        ["住建"] = "改善城乡人居环境，提升群众居住品质",
        ["自然资源"] = "提高自然资源保护和合理利用水平",
        ["生态环境"] = "改善区域生态环境质量",
        ["林草"] = "巩固生态建设成果，提高森林草原覆盖率",
        ["应急"] = "提升防灾减灾和应急处置能力，保障人民群众生命财产安全",
        ["政法"] = "维护社会和谐稳定，提升群众安全感",
        ["综合"] = "保障机关高效运转，提升行政效能和服务水平",
    };

    /// <summary>年度总体目标 of a project.</summary>
    public static string AnnualGoal(DemoProject project, int pick)
    {
        var benefit = Benefits.GetValueOrDefault(project.Sector, Benefits["综合"]);
        return project.Kind switch
        {
            ProjectKind.Recurring => pick % 2 == 0
                ? $"按照政策规定及时足额落实{project.Name}，确保资金使用规范安全有效，{benefit}，服务对象满意度达到90%以上。"
                : $"保障{project.Name}顺利实施，全面完成年度工作任务，{benefit}。",
            ProjectKind.MultiYear =>
                $"按计划推进{project.Name}建设，完成年度建设任务，工程验收合格率100%，{benefit}。",
            _ => $"年内完成{project.Name}，资金支付率达到100%，{benefit}。",
        };
    }
}
