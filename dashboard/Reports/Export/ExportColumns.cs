namespace BudgetPerf.Dashboard.Export;

/// <summary>How an exported column's values are written in xlsx (and which text stands for them in CSV).</summary>
public enum ColumnKind
{
    /// <summary>Text as it is.</summary>
    Text,

    /// <summary>A code (部门编码, 项目编码): text even when it looks like a number.</summary>
    Code,

    /// <summary>A year or a number that is a label (年度, 批次号): a number without thousands separators.</summary>
    Label,

    /// <summary>A count (项目数): #,##0.</summary>
    Count,

    /// <summary>万元 amount: #,##0.00, like the page.</summary>
    Amount,

    /// <summary>A rate held as a fraction (0.5 = 50%): shown as a percentage with the page's one decimal, 0.0%.</summary>
    Rate,

    /// <summary>A score, index or ratio: 0.00.</summary>
    Decimal,

    /// <summary>A percentage already ×100 (建议调整比例 −10): 0.0.</summary>
    Percent,

    /// <summary>是 / 否.</summary>
    Flag,

    /// <summary>A light (red …) written as 红灯 / 黄灯 / 绿灯 / 蓝灯.</summary>
    Light,

    /// <summary>A date: yyyy-mm-dd.</summary>
    Date,

    /// <summary>A point in time: yyyy-mm-dd hh:mm:ss.</summary>
    DateTime,
}

/// <summary>One exported column: the page's Chinese header, how its values are written, and the rule behind a derived one.</summary>
public sealed record ExportColumn(string Header, ColumnKind Kind, string? Rule = null);

/// <summary>
/// The Chinese headers of every grid and mart column (the pages' own titles), keyed by the column's name with case and
/// underscores ignored, so <c>execution_rate</c> (a mart) and <c>ExecutionRate</c> (a grid query) are one entry. A
/// column not listed keeps its machine name and is written by its type.
/// </summary>
public static class ExportColumns
{
    private const string ExecutionRateRule =
        "执行率 = 期间执行数 / 预算数，预算数为调整后预算数（未填时为年初预算数）；杭锦旗 绩效运行监控管理办法 附件1 “1-6月执行率”";
    private const string ScheduleRule = "序时进度 = 截止月份 / 12（政策参数 序时进度口径 = day 时为 已过天数 / 全年天数）";
    private const string LightRule = "执行进度 r = 执行率 / 序时进度 × 100：红灯 r < 60，黄灯 60 ≤ r < 80，绿灯 r ≥ 80；项目灯取执行与各指标灯中最差者（warning_threshold 种子表）";
    private const string DeviationRule = "偏差指数 = 50 × min(1, max(0, 序时进度 − 执行率) / 序时进度) + 50 × 已填报指标的平均差距（0–100，越大偏差越大）";
    private const string ShortfallRule = "差距：≥/= 指标 max(0, 1 − min(1, r/100))；≤ 指标超出时 min(1, (实际 − 目标)/目标)；定性 达成 0 / 部分达成 0.3 / 未达成 0.7";
    private const string GradeRule = "等级：优 ≥ 90，良 80–<90，中 60–<80，差 < 60（财政部 项目支出绩效评价管理办法 财预〔2020〕10号）；按重算得分";

    private static readonly Dictionary<string, ExportColumn> ByKey = new(StringComparer.OrdinalIgnoreCase)
    {
        ["fiscalyear"] = new("年度", ColumnKind.Label),
        ["period"] = new("期间", ColumnKind.Text),
        ["periodsortorder"] = new("期间排序", ColumnKind.Label, "期间排序：1-1月 … 1-12月 为 1–12，Q1–Q4 为 21–24，上/下半年 31/32，全年 40（period 种子表）"),
        ["periodend"] = new("期间截止日", ColumnKind.Date),
        ["departmentcode"] = new("部门编码", ColumnKind.Code),
        ["departmentname"] = new("部门", ColumnKind.Text),
        ["projectcode"] = new("项目编码", ColumnKind.Code),
        ["projectname"] = new("项目名称", ColumnKind.Text),
        ["projecttype"] = new("项目类型", ColumnKind.Text),
        ["fundnature"] = new("资金性质", ColumnKind.Text),
        ["iskey"] = new("重点项目", ColumnKind.Flag),
        ["budget"] = new("预算数（万元）", ColumnKind.Amount, "预算数 = 调整后预算数，未填时为年初预算数（万元）"),
        ["executed"] = new("执行数（万元）", ColumnKind.Amount),
        ["executionrate"] = new("执行率", ColumnKind.Rate, ExecutionRateRule),
        ["schedulerate"] = new("序时进度", ColumnKind.Rate, ScheduleRule),
        ["executionprogress"] = new("执行进度 r", ColumnKind.Decimal, "执行进度 r = 执行率 / 序时进度 × 100"),
        ["warning"] = new("预警", ColumnKind.Light, LightRule),
        ["executionwarning"] = new("执行预警", ColumnKind.Light, LightRule),
        ["executiondeviation"] = new("执行偏差", ColumnKind.Rate, "执行偏差 = max(0, 序时进度 − 执行率)"),
        ["budgetbasis"] = new("预算口径", ColumnKind.Text),
        ["batchid"] = new("批次号", ColumnKind.Label),
        ["indicatorcount"] = new("指标数", ColumnKind.Count),
        ["reportedindicatorcount"] = new("已填报指标数", ColumnKind.Count),
        ["reportedcount"] = new("已填报指标数", ColumnKind.Count),
        ["redindicatorcount"] = new("红灯指标", ColumnKind.Count),
        ["meanshortfall"] = new("平均差距", ColumnKind.Rate, ShortfallRule),
        ["indicatordeviation"] = new("指标偏差", ColumnKind.Decimal, "指标偏差 = 50 × 平均差距"),
        ["deviationindex"] = new("偏差指数", ColumnKind.Decimal, DeviationRule),
        ["deviationrank"] = new("排名", ColumnKind.Label, "偏差排名：同年度同期间内按偏差指数从大到小，1 = 偏差最大"),
        ["groupcode"] = new("分组编码", ColumnKind.Code),
        ["groupname"] = new("分组", ColumnKind.Text),
        ["projectcount"] = new("项目数", ColumnKind.Count),
        ["projects"] = new("项目数", ColumnKind.Count),
        ["redcount"] = new("红灯", ColumnKind.Count),
        ["yellowcount"] = new("黄灯", ColumnKind.Count),
        ["greencount"] = new("绿灯", ColumnKind.Count),
        ["bluecount"] = new("蓝灯", ColumnKind.Count),
        ["gradeexcellentcount"] = new("优", ColumnKind.Count),
        ["gradegoodcount"] = new("良", ColumnKind.Count),
        ["gradefaircount"] = new("中", ColumnKind.Count),
        ["gradepoorcount"] = new("差", ColumnKind.Count),
        ["gradeunratedcount"] = new("未评", ColumnKind.Count),
        ["indicatorcategory"] = new("指标类别", ColumnKind.Text),
        ["flag"] = new("标志", ColumnKind.Text),
        ["suggestedchangepct"] = new("建议调整比例（%）", ColumnKind.Percent),
        ["amount"] = new("金额（万元）", ColumnKind.Amount),
        ["suggestedchange"] = new("建议调整金额（万元）", ColumnKind.Amount, "建议调整金额 = 金额 × 建议调整比例 / 100"),
        ["reason"] = new("理由", ColumnKind.Text),
        ["basis"] = new("依据", ColumnKind.Text),
        ["annotationdecision"] = new("财政意见", ColumnKind.Text),
        ["annotationnote"] = new("批注", ColumnKind.Text),
        ["budgetweight"] = new("预算执行率分值", ColumnKind.Decimal),
        ["budgetscore"] = new("预算执行率得分", ColumnKind.Decimal, "预算执行率得分 = 分值 × min(1, 全年执行数 / 全年预算数)"),
        ["publishedbudgetscore"] = new("预算执行率得分（填报）", ColumnKind.Decimal),
        ["unreportedcount"] = new("未填报指标数", ColumnKind.Count),
        ["indicatorscore"] = new("指标得分", ColumnKind.Decimal),
        ["weighttotal"] = new("分值合计", ColumnKind.Decimal),
        ["recomputedscore"] = new("重算得分", ColumnKind.Decimal, "重算得分 = 预算执行率得分 + 各指标得分（每项保留两位小数）"),
        ["publishedscore"] = new("填报得分", ColumnKind.Decimal),
        ["scoregap"] = new("得分差", ColumnKind.Decimal, "得分差 = 重算得分 − 填报得分"),
        ["hasscoregap"] = new("得分差异提示", ColumnKind.Flag, "得分差的绝对值超过政策参数 score_gap_flag_points（默认 1 分）"),
        ["grade"] = new("等级", ColumnKind.Text, GradeRule),
        ["scorerank"] = new("得分排名", ColumnKind.Label),
        ["flags"] = new("预算安排建议", ColumnKind.Text),
        ["filename"] = new("文件名", ColumnKind.Text),
        ["sha256"] = new("SHA-256", ColumnKind.Code),
        ["kind"] = new("类型", ColumnKind.Text),
        ["rowcount"] = new("行数", ColumnKind.Count),
        ["warningcount"] = new("警告数", ColumnKind.Count),
        ["errorcount"] = new("错误数", ColumnKind.Count),
        ["loadedat"] = new("上报时间", ColumnKind.DateTime),
        ["status"] = new("状态", ColumnKind.Text),
        ["submittedby"] = new("上报人", ColumnKind.Text),
    };

    /// <summary>The column <paramref name="name"/> (any case, with or without underscores), or a plain one by its CLR type.</summary>
    public static ExportColumn Of(string name, Type fieldType) =>
        ByKey.TryGetValue(name.Replace("_", ""), out var known) ? known : new ExportColumn(name, ByType(fieldType));

    private static ColumnKind ByType(Type t) =>
        t == typeof(bool) ? ColumnKind.Flag
        : t == typeof(DateOnly) ? ColumnKind.Date
        : t == typeof(DateTime) ? ColumnKind.DateTime
        : t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(System.Numerics.BigInteger) ? ColumnKind.Count
        : t == typeof(decimal) || t == typeof(double) || t == typeof(float) ? ColumnKind.Decimal
        : ColumnKind.Text;

    /// <summary>A light's Chinese name (red → 红灯); anything else as it is.</summary>
    public static string LightName(string light) => light switch
    {
        "red" => "红灯", "yellow" => "黄灯", "green" => "绿灯", "blue" => "蓝灯", "grey" => "未填报", _ => light,
    };
}
