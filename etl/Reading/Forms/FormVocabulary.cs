using System.Text;
using System.Text.RegularExpressions;

namespace BudgetPerf.Etl.Reading.Forms;

/// <summary>
/// The words of the printed forms and their synonyms across the two 办法, our templates and the national
/// 项目支出绩效自评表 (财预〔2020〕10号): label cells, fund and indicator captions (by the family's Chinese header they
/// fill), the sheet-level text rows and the words that end a block. Matching is on <see cref="Key"/>: full-width folded,
/// bracketed parts (<c>（政策）</c>, <c>（万元）</c>, <c>（50分）</c>), spaces, line breaks, <c>*</c> and a trailing colon dropped.
/// </summary>
public static partial class FormVocabulary
{
    [GeneratedRegex(@"\([^()]*\)")]
    private static partial Regex Bracketed();

    [GeneratedRegex(@"^(\d{1,2}-\d{1,2}月|半年|上半年|Q[1-4]|本期|期间)")]
    private static partial Regex PeriodPrefix();

    /// <summary>The matching key of a printed text: <c>项目（政策）\n名称：</c> → <c>项目名称</c>.</summary>
    public static string Key(string text)
    {
        var s = text.Normalize(NormalizationForm.FormKC);
        s = Bracketed().Replace(s, "");
        var b = new StringBuilder(s.Length);
        foreach (var c in s)
            if (!char.IsWhiteSpace(c) && c is not '*' and not '\uFEFF' and not '【' and not '】') b.Append(char.ToLowerInvariant(c));
        return b.ToString().TrimEnd(':', '：');
    }

    /// <summary>A caption's period prefix (<c>1-6月执行数</c> → 1-6月, <c>半年计划执行数</c> → 1-6月) and the rest of its key.</summary>
    public static (string? Period, string Remainder) SplitPeriod(string key)
    {
        var m = PeriodPrefix().Match(key);
        if (!m.Success || m.Length == key.Length) return (null, key);
        var period = m.Value switch { "半年" or "上半年" => "1-6月", "本期" or "期间" => null, var p => p.ToUpperInvariant() };
        return (period, key[m.Length..]);
    }

    private static Dictionary<string, string> Map(params (string Field, string[] Words)[] entries)
    {
        var map = new Dictionary<string, string>();
        foreach (var (field, words) in entries)
            foreach (var w in words.Append(field)) map[Key(w)] = field;
        return map;
    }

    /// <summary>Head labels → field. <c>-</c> fields are labels whose value is read but not loaded (联系人 …).</summary>
    public static readonly Dictionary<string, string> HeadLabels = Map(
        ("项目名称", ["项目（政策）名称", "政策名称", "项目全称"]),
        ("主管部门", ["主管单位", "主管部门（单位）", "归口管理部门", "主管部门及代码"]),
        ("填报单位", ["填报单位（章）", "填报单位（盖章）", "填报部门", "预算单位"]),
        ("实施单位", ["项目实施单位"]), ("项目编码", ["项目代码", "项目编号"]), ("主管部门编码", ["主管部门代码"]),
        ("部门名称", ["单位名称", "预算部门", "部门（单位）名称"]), ("部门编码", ["部门代码", "单位编码"]),
        ("季度", []), ("期间", ["监控期间"]),
        ("调整原因及依据", ["调整原因", "调整依据"]), ("原先申请资金", ["原申请资金", "原预算资金"]),
        ("计划调整后资金", ["调整后资金", "调整后预算资金"]),
        ("项目产出", []), ("项目预期成效", ["预期成效"]), ("目标完成度", []), ("具体工作任务/工作量", ["具体工作任务", "工作量"]),
        ("计划时间安排", ["起止时间"]),
        ("-", ["联系人", "联系电话", "项目负责人/联系电话", "项目负责人", "项目类型", "项目级次", "开始时间", "完成时间",
               "填报人", "填报日期",
               "填报单位负责人", "单位负责人"]));

    /// <summary>Goal rows between the blocks (年度总体目标, read as text, never as a fund line or an indicator).</summary>
    public static readonly HashSet<string> GoalLabels =
        ["年度总体目标", "年度目标", "年度目标完成情况", "中长期目标", "调整后预期目标", "年度绩效目标", "预期目标", "年初设定目标"];

    /// <summary>
    /// What a goal row's text fills on the sheet's fund lines (migration 0161): the goal set (年度总体目标 …) or, under its
    /// sub-caption, how far it is reached (半年完成情况, 全年完成情况, 实际完成情况); "-" read, not loaded (中长期目标, the
    /// 调整后预期目标 group of 附件3 whose parts are head labels).
    /// </summary>
    public static readonly Dictionary<string, string> GoalFields = Map(
        ("年度总体目标", ["年度目标", "年度目标完成情况", "年度绩效目标", "预期目标", "年初设定目标"]),
        ("目标完成情况", ["半年完成情况", "全年完成情况", "实际完成情况", "完成情况"]),
        ("-", ["中长期目标", "调整后预期目标"]));

    /// <summary>Fund captions of a monitoring form → field (the rest after a period prefix: 1-6月执行数 → 执行数).</summary>
    public static readonly Dictionary<string, string> MonitoringFund = Map(
        ("年初预算数", ["年初预算", "预算数", "年初预算金额"]), ("调整后预算数", ["全年预算数", "调整后预算"]),
        ("期间计划执行数", ["计划执行数", "计划执行"]), ("期间执行数", ["执行数", "实际执行数", "实际执行"]),
        ("全年预计执行数", ["预计执行数"]), ("结转年数", []), ("是否偏差", []), ("-", ["执行率", "完成目标可能性"]));

    /// <summary>Fund captions of a self-evaluation form → field (表2-3-2: 权重 = 分值, 全年实际执行数 = 全年执行数).</summary>
    public static readonly Dictionary<string, string> SelfEvalFund = Map(
        ("年初预算数", []), ("全年预算数", ["调整后预算数"]), ("全年执行数", ["全年实际执行数", "实际执行数"]),
        ("分值", ["权重"]), ("得分", []), ("-", ["执行率"]));

    /// <summary>Fund captions of a declaration (表2-1, 表1-1): 半年计划执行数, 全年预算数.</summary>
    public static readonly Dictionary<string, string> DeclarationFund = Map(
        ("期间计划执行数", ["计划执行数"]), ("全年预算数", ["年初预算数", "预算数"]));

    /// <summary>Captions of any indicator block: the three levels (一级目标 … as 附件2 prints them).</summary>
    public static readonly Dictionary<string, string> Levels = Map(
        ("一级指标", ["一级目标"]), ("二级指标", ["二级目标"]), ("三级指标", ["三级目标"]));

    public static readonly Dictionary<string, string> MonitoringIndicator = Map(
        ("年度指标值", ["全年指标值", "年度目标值", "指标值"]), ("指标性质", []), ("计量单位", []),
        ("期间指标值", ["计划指标值"]), ("期间执行情况", ["执行情况", "实际执行值", "完成值", "实际完成值"]),
        ("全年预计完成情况", ["预计完成情况"]), ("偏差原因", ["偏差原因分析"]), ("偏差原因说明", ["原因说明"]),
        ("改进措施", []), ("完成目标可能性", []), ("备注", []), ("是否偏差", []), ("重点工作", []), ("对应项目", []));

    public static readonly Dictionary<string, string> SelfEvalIndicator = Map(
        ("年度指标值", ["全年计划指标值", "全年指标值", "年度目标值", "指标值"]), ("指标性质", []), ("计量单位", []),
        ("实际完成值", ["全年实际执行数", "全年实际执行值", "实际完成情况", "实际值"]), ("分值", ["权重"]), ("得分", []),
        ("偏差原因分析及改进措施", ["偏差原因分析", "偏差原因及改进措施"]), ("重点工作", []), ("对应项目", []));

    public static readonly Dictionary<string, string> CorrectionIndicator = Map(
        ("完成时指标值", ["项目完成时的指标值", "完成时的指标值"]), ("本季度应完成值", ["本季度应完成的绩效指标值"]),
        ("实际完成", ["实际完成目标百分比或情况描述", "实际完成情况"]), ("执行偏差", []),
        ("存在的主要问题", []), ("改进措施和有关建议", []));

    public static readonly Dictionary<string, string> AdjustmentIndicator = Map(
        ("原指标", ["原指标值"]), ("调整后指标", ["调整后指标值"]), ("指标标准解释", []));

    public static readonly Dictionary<string, string> DeclarationIndicator = Map(
        ("期间指标值", ["半年指标值"]), ("年度指标值", ["全年指标值"]), ("重点工作", []), ("对应项目", []));

    /// <summary>Check-box captions printed under a group caption → (field, the value a tick means).</summary>
    public static readonly Dictionary<string, (string Field, string Option)> Options = new()
    {
        ["经费保障"] = ("偏差原因", "经费保障"), ["制度保障"] = ("偏差原因", "制度保障"), ["人员保障"] = ("偏差原因", "人员保障"),
        ["硬件条件保障"] = ("偏差原因", "硬件条件保障"), ["其他"] = ("偏差原因", "其他"),
        ["确定能"] = ("完成目标可能性", "确定能"), ["有可能"] = ("完成目标可能性", "有可能"),
        ["完全不可能"] = ("完成目标可能性", "完全不可能"),
    };

    /// <summary>Sheet-level text rows under the grid → the field they fill on each of the sheet's rows ("-": kept, not loaded).</summary>
    public static readonly Dictionary<string, string> SheetTexts = Map(
        ("存在的主要问题", []), ("改进措施和有关建议", []), ("偏差原因说明", ["偏差原因"]), ("改进措施", []),
        ("-", ["其他需要说明的问题", "审核意见", "部门负责人审核意见", "分管领导审核意见", "归口管理部门负责人审核意见",
               "重点监控整改情况", "主要绩效", "存在问题", "有关建议"]));

    /// <summary>Words that end a block when a row starts with them (注：, 备注：, 总计, 合计, 填报单位负责人 …).</summary>
    public static readonly string[] Terminators = ["注:", "注：", "备注:", "备注：", "说明:", "说明：", "总计", "合计", "总分",
        "填报单位负责人", "单位负责人", "填表人", "填报人", "填表说明"];

    /// <summary>Cells that mean blank: the dashes printed in cells that take no value, and the skeleton's ellipses.</summary>
    public static bool IsBlank(string? text) =>
        string.IsNullOrWhiteSpace(text) || text.Trim() is "—" or "——" or "－" or "-" or "/" or "／" or "……" or "…" or "....." or "...." or "...";

    /// <summary>Ticks of a check-box column.</summary>
    public static readonly string[] Ticks = ["√", "✓", "✔", "☑", "是", "x", "X", "×", "■", "1"];
}
