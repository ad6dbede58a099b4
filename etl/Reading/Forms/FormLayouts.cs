namespace BudgetPerf.Etl.Reading.Forms;

/// <summary>
/// The catalog of printed layouts and the recognition of a sheet's form by its title. A title no layout names is
/// still read when its words say what it is (监控, 纠偏, 调整表, 自评 / 自我评价 / 评分表, 申报表; 部门整体 / 整体):
/// a province's own variant with the usual captions needs no new code, the captions are read through
/// <see cref="FormVocabulary"/> either way.
/// </summary>
public static partial class FormLayouts
{
    /// <summary>
    /// 项目支出绩效自评表 of 财政部 《项目支出绩效评价管理办法》(财预〔2020〕10号) 附件: 年初预算数 / 全年预算数 / 全年执行数 /
    /// 分值 / 执行率 / 得分; 年度总体目标 as 预期目标 / 实际完成情况; 一级指标 carrying their points (产出指标（50分）); 总分.
    /// </summary>
    public static readonly FormLayout NationalSelfEvaluation = new(
        "财预〔2020〕10号", "项目支出绩效自评表", ["项目支出绩效自评表"], FormScope.Project, FormPurpose.SelfEvaluation,
        "财政部 项目支出绩效评价管理办法（财预〔2020〕10号）附件", "（{0}年度）",
        [
            [new LabelCell("项目名称", "项目名称", Span: 2, ValueSpan: 7)],
            [new LabelCell("主管部门", "主管部门", Span: 2, ValueSpan: 3), new LabelCell("实施单位", "实施单位", ValueSpan: 3)],
        ],
        new FundBlock("项目资金\n（万元）", 2, ["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"],
        [
            new Caption("年初预算数", "年初预算数"), new Caption("全年预算数", "全年预算数"), new Caption("全年执行数", "全年执行数"),
            new Caption("分值", "分值"), new Caption(null, "执行率"), new Caption("得分", "得分"),
        ]),
        ["年度总体目标|预期目标|实际完成情况"],
        new IndicatorBlock("绩\n效\n指\n标", null, ["一级指标", "二级指标", "三级指标"],
        [
            new Caption("年度指标值", "年度指标值"), new Caption("实际完成值", "实际完成值"), new Caption("分值", "分值"),
            new Caption("得分", "得分"), new Caption("偏差原因分析及改进措施", "偏差原因分析\n及改进措施"),
        ],
        [
            ("产出指标（50分）", ["数量指标", "质量指标", "时效指标", "成本指标"]),
            ("效益指标（30分）", ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"]),
            ("满意度指标（10分）", ["服务对象满意度指标"]),
        ], 1),
        [], ["总分"]);

    /// <summary>Every described printed layout, most specific title first.</summary>
    public static IReadOnlyList<FormLayout> All { get; } =
        [Annex1, Annex2, Annex3, College22, College232, College12, College132, College21, College11, NationalSelfEvaluation];

    /// <summary>The layout of a sheet from the text of its first rows, or null when no title names a form.</summary>
    public static FormLayout? Recognize(IReadOnlyList<string> topCells)
    {
        var keys = topCells.Select(FormVocabulary.Key).ToList();
        var described = All
            .Select(l => (Layout: l, Match: l.TitleWords.Select(FormVocabulary.Key).Where(w => keys.Any(k => k.Contains(w))).MaxBy(w => w.Length)))
            .Where(x => x.Match is not null).OrderByDescending(x => x.Match!.Length).Select(x => x.Layout).FirstOrDefault();
        return described ?? Generic(keys);
    }

    /// <summary>A form named by its words only (our own templates, a province's variant): read by captions alone.</summary>
    private static FormLayout? Generic(List<string> keys)
    {
        var title = keys.FirstOrDefault(k => k.EndsWith('表') && (k.Contains("绩效") || k.Contains("监控")));
        if (title is null) return null;
        FormPurpose? purpose = title.Contains("纠偏") ? FormPurpose.Correction
            : title.Contains("调整表") ? FormPurpose.Adjustment
            : title.Contains("自评") || title.Contains("自我评价") || title.Contains("评分表") ? FormPurpose.SelfEvaluation
            : title.Contains("申报表") ? FormPurpose.Declaration
            : title.Contains("监控") ? FormPurpose.Monitoring : null;
        if (purpose is null) return null;
        var scope = title.Contains("整体") ? FormScope.Department : FormScope.Project;
        return new FormLayout("通用", title, [title], scope, purpose.Value, "按标题与栏目识别（本系统模板或省级变体）", "（{0}年度）",
            [], null, [], new IndicatorBlock(null, null, ["一级指标", "二级指标", "三级指标"], [], [], 1), [], []);
    }
}
