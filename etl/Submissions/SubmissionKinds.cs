namespace BudgetPerf.Etl.Submissions;

/// <summary>The catalog of submission families (spec/submissions.md), and recognition of a file's family from its header.</summary>
public static class SubmissionKinds
{
    private static FieldSpec Req(string column, string header, FieldType type = FieldType.Text) => new(column, header, type, true);
    private static FieldSpec Measured(string column, string header) => new(column, header, FieldType.Text, true, Measured: true);
    private static FieldSpec Opt(string column, string header, FieldType type = FieldType.Text) => new(column, header, type);

    private static readonly FieldSpec Year = Req("fiscal_year", "年度", FieldType.Integer);
    private static readonly FieldSpec Period = Req("period", "期间");
    private static readonly FieldSpec ProjectCode = Req("project_code", "项目编码");
    private static readonly FieldSpec DepartmentCode = Req("department_code", "部门编码");
    private static readonly FieldSpec[] IndicatorLevels = [Req("level1", "一级指标"), Req("level2", "二级指标"), Req("level3", "三级指标")];

    /// <summary>
    /// Printed only (migration 0161): 是否偏差 (表2-2, 表1-2) and the sheet's goal texts — 年度总体目标 (附件1) /
    /// 年初设定目标 (表2-2 …) / 预期目标 (national 自评表) and 半年 / 全年完成情况 (实际完成情况) — on each of its fund lines.
    /// </summary>
    private static readonly FieldSpec[] FundExtras =
        [Opt("deviation_flag", "是否偏差"), Opt("annual_goal", "年度总体目标"), Opt("goal_progress", "目标完成情况")];

    /// <summary>
    /// 资金类别 … 结转年数: the fund block of 附件1 / 表2-2 (project and department monitoring). 年初预算数 is required
    /// unless the row has 调整后预算数 or 期间计划执行数: 表2-2 / 表1-2 print no 预算数, their execution is judged against
    /// the plan (<see cref="Validation.RowRules"/>, sql/models/core/fct_budget_execution.sql).
    /// </summary>
    private static readonly FieldSpec[] MonitoringFundBlock =
    [
        Req("fund_line", "资金类别"), Opt("initial_budget", "年初预算数", FieldType.Amount),
        Opt("adjusted_budget", "调整后预算数", FieldType.Amount), Opt("planned_execution", "期间计划执行数", FieldType.Amount),
        Req("executed", "期间执行数", FieldType.Amount), Opt("forecast_execution", "全年预计执行数", FieldType.Amount),
        Opt("carryover_years", "结转年数", FieldType.Integer), .. FundExtras,
    ];


    /// <summary>The 履职 block's 重点工作 / 对应项目 (表1-1, 表1-2, 表1-3-2; migrations 0160, 0161).</summary>
    private static readonly FieldSpec[] DutyColumns = [Opt("key_work", "重点工作"), Opt("related_project", "对应项目")];

    private static readonly FieldSpec[] MonitoringIndicatorBlock =
    [
        .. IndicatorLevels, Opt("comparator", "指标性质"), Req("annual_target", "年度指标值"), Opt("unit", "计量单位"),
        Opt("period_target", "期间指标值"), Measured("period_actual", "期间执行情况"), Opt("forecast_actual", "全年预计完成情况"),
        Opt("deviation_causes", "偏差原因"), Opt("cause_note", "偏差原因说明"), Opt("improvement", "改进措施"),
        Req("possibility", "完成目标可能性"), Opt("remark", "备注"), Opt("deviation_flag", "是否偏差"),
    ];

    private static readonly FieldSpec[] SelfEvalFundBlock =
    [
        Req("fund_line", "资金类别"), Opt("initial_budget", "年初预算数", FieldType.Amount),
        Req("annual_budget", "全年预算数", FieldType.Amount), Req("annual_executed", "全年执行数", FieldType.Amount),
        Opt("weight", "分值", FieldType.Amount), Opt("published_score", "得分", FieldType.Amount),
        Opt("annual_goal", "年度总体目标"), Opt("goal_progress", "目标完成情况"),
    ];

    private static readonly FieldSpec[] SelfEvalIndicatorBlock =
    [
        .. IndicatorLevels, Opt("comparator", "指标性质"), Req("annual_target", "年度指标值"), Opt("unit", "计量单位"),
        Measured("actual", "实际完成值"), Req("weight", "分值", FieldType.Amount), Opt("published_score", "得分", FieldType.Amount),
        Opt("deviation_note", "偏差原因分析及改进措施"),
    ];

    private static readonly FieldSpec[] ProjectNaming =
    [
        Opt("project_name", "项目名称"), Opt("department_code", "主管部门编码"), Opt("department_name", "主管部门"),
    ];

    public static readonly SubmissionKind Project = new("project", "项目信息", "raw_project",
    [
        ProjectCode, Req("project_name", "项目名称"), Req("department_code", "主管部门编码"), Req("department_name", "主管部门"),
        Opt("implementing_unit", "实施单位"), Opt("project_type", "项目类型"), Opt("project_level", "项目级次"),
        Opt("fund_nature", "资金性质"), Opt("start_date", "开始时间"), Opt("end_date", "完成时间"),
        Opt("is_key", "是否重点项目"), Opt("annual_goal", "年度总体目标"),
        Opt("region_code", "区划代码"), Opt("province_name", "省级区划"), Opt("city_name", "市级区划"), Opt("county_name", "县级区划"),
    ]);

    public static readonly SubmissionKind MonitoringFund = new("monitoring_fund", "监控资金", "raw_monitoring_fund",
        [Year, Period, ProjectCode, .. ProjectNaming, Opt("implementing_unit", "实施单位"), .. MonitoringFundBlock]);

    public static readonly SubmissionKind MonitoringIndicator = new("monitoring_indicator", "监控指标", "raw_monitoring_indicator",
        [Year, Period, ProjectCode, .. MonitoringIndicatorBlock]);

    public static readonly SubmissionKind SelfEvalFund = new("selfeval_fund", "自评资金", "raw_selfeval_fund",
        [Year, ProjectCode, .. ProjectNaming, .. SelfEvalFundBlock]);

    public static readonly SubmissionKind SelfEvalIndicator = new("selfeval_indicator", "自评指标", "raw_selfeval_indicator",
        [Year, ProjectCode, .. SelfEvalIndicatorBlock]);

    public static readonly SubmissionKind Correction = new("correction", "纠偏", "raw_correction",
    [
        Year, Req("quarter", "季度"), ProjectCode, .. IndicatorLevels, Opt("final_target", "完成时指标值"),
        Opt("quarter_target", "本季度应完成值"), Opt("actual", "实际完成"), Opt("deviation", "执行偏差"),
        Opt("problems", "存在的主要问题"), Opt("measures", "改进措施和有关建议"),
    ]);

    public static readonly SubmissionKind Adjustment = new("adjustment", "调整", "raw_adjustment",
    [
        Year, ProjectCode, Req("reason", "调整原因及依据"), Opt("original_amount", "原先申请资金", FieldType.Amount),
        Opt("adjusted_amount", "计划调整后资金", FieldType.Amount), Opt("level1", "一级指标"), Opt("level2", "二级指标"),
        Opt("level3", "三级指标"), Opt("original_target", "原指标"), Opt("adjusted_target", "调整后指标"),
        Opt("explanation", "指标标准解释"),
        // 附件3's head (migration 0161): 调整后预期目标 (项目（政策）产出 / 预期成效 / 目标完成度), 具体工作任务／工作量, 计划时间安排
        Opt("adjusted_output", "项目产出"), Opt("adjusted_outcome", "项目预期成效"), Opt("adjusted_completion", "目标完成度"),
        Opt("work_tasks", "具体工作任务/工作量"), Opt("schedule_plan", "计划时间安排"),
    ]);

    public static readonly SubmissionKind DeptMonitoringFund = new("dept_monitoring_fund", "部门整体监控资金", "raw_dept_monitoring_fund",
        [Year, Period, DepartmentCode, Opt("department_name", "部门名称"), .. MonitoringFundBlock]);

    public static readonly SubmissionKind DeptMonitoringIndicator = new("dept_monitoring_indicator", "部门整体监控指标",
        "raw_dept_monitoring_indicator", [Year, Period, DepartmentCode, .. MonitoringIndicatorBlock, .. DutyColumns]);

    public static readonly SubmissionKind DeptSelfEvalFund = new("dept_selfeval_fund", "部门整体自评资金", "raw_dept_selfeval_fund",
        [Year, DepartmentCode, Opt("department_name", "部门名称"), .. SelfEvalFundBlock]);

    public static readonly SubmissionKind DeptSelfEvalIndicator = new("dept_selfeval_indicator", "部门整体自评指标",
        "raw_dept_selfeval_indicator", [Year, DepartmentCode, .. SelfEvalIndicatorBlock, .. DutyColumns]);

    /// <summary>申报资金 (表2-1 项目预算绩效目标申报表): the declared 全年预算数 and 半年计划执行数 per fund line.</summary>
    public static readonly SubmissionKind DeclarationFund = new("declaration_fund", "申报资金", "raw_declaration_fund",
    [
        Year, ProjectCode, .. ProjectNaming, Req("fund_line", "资金类别"), Opt("planned_execution", "期间计划执行数", FieldType.Amount),
        Req("annual_budget", "全年预算数", FieldType.Amount), Opt("annual_goal", "年度总体目标"),
    ]);

    /// <summary>申报指标 (表2-1): each indicator's declared 半年指标值 and 全年指标值.</summary>
    public static readonly SubmissionKind DeclarationIndicator = new("declaration_indicator", "申报指标", "raw_declaration_indicator",
        [Year, ProjectCode, .. IndicatorLevels, Opt("period_target", "期间指标值"), Req("annual_target", "年度指标值")]);

    /// <summary>部门整体申报资金 (表1-1 整体预算绩效目标申报表): the department's declared 全年预算数 and 半年计划执行数 per line.</summary>
    public static readonly SubmissionKind DeptDeclarationFund = new("dept_declaration_fund", "部门整体申报资金", "raw_dept_declaration_fund",
    [
        Year, DepartmentCode, Opt("department_name", "部门名称"), Req("fund_line", "资金类别"),
        Opt("planned_execution", "期间计划执行数", FieldType.Amount), Req("annual_budget", "全年预算数", FieldType.Amount),
        Opt("annual_goal", "年度总体目标"),
    ]);

    /// <summary>部门整体申报指标 (表1-1): each indicator's declared 半年指标值 and 全年指标值 (履职: with its 重点工作 / 对应项目).</summary>
    public static readonly SubmissionKind DeptDeclarationIndicator = new("dept_declaration_indicator", "部门整体申报指标",
        "raw_dept_declaration_indicator",
        [Year, DepartmentCode, .. IndicatorLevels, Opt("period_target", "期间指标值"), Req("annual_target", "年度指标值"), .. DutyColumns]);

    public static IReadOnlyList<SubmissionKind> All { get; } =
    [
        Project, DeclarationFund, DeclarationIndicator, DeptDeclarationFund, DeptDeclarationIndicator, MonitoringFund, MonitoringIndicator, SelfEvalFund, SelfEvalIndicator,
        Correction, Adjustment, DeptMonitoringFund, DeptMonitoringIndicator, DeptSelfEvalFund, DeptSelfEvalIndicator,
    ];

    public static SubmissionKind? ByCode(string code) => All.FirstOrDefault(k => k.Code == code || k.Title == code);

    /// <summary>
    /// The family whose required headers are all present, preferring the one that recognises most headers;
    /// null when none fits.
    /// </summary>
    public static SubmissionKind? Recognize(IReadOnlyList<string> headers) =>
        All.Where(k => k.RequiredFields.All(f => headers.Any(h => k.FieldFor(h) == f)))
           .OrderByDescending(k => headers.Count(h => k.FieldFor(h) is not null))
           .ThenBy(k => k.Fields.Count)
           .FirstOrDefault();
}
