using BudgetPerf.Etl.Reading;
using BudgetPerf.Etl.Reading.Forms;
using BudgetPerf.Etl.Templates;
using BudgetPerf.Tests.Integration.Support;
using Xunit.Abstractions;

namespace BudgetPerf.Tests.Integration.Forms;

/// <summary>Each printed layout, written from its description and filled, is read back by the one engine: the right families, fields and rows.</summary>
public sealed class PrintedFormReadingTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new();

    private SubmissionFile Read(FormLayout layout, FormFill fill, PrintOptions? options = null)
    {
        var xlsx = new XlsxBuilder();
        PrintedForms.Write(xlsx.Sheet("项目"), layout, fill, options);
        var path = _dir.File($"{layout.Id}.xlsx");
        xlsx.Save(path);
        var file = SubmissionSources.Open(path);
        foreach (var e in file.Explanations) output.WriteLine(e.Format());
        return file;
    }

    private static Dictionary<string, string?> Row(ISubmissionSource part, int index)
    {
        var row = part.Rows().ElementAt(index);
        return part.Headers.Select((h, i) => (h.Split('（')[0], row.Cells[i])).ToDictionary(x => x.Item1, x => x.Item2);
    }

    private static ISubmissionSource Part(SubmissionFile file, string kind) =>
        file.Parts.Single(p => ((IKnownKind)p).Kind.Code == kind);

    [Fact]
    public void Annex1_reads_its_fund_lines_and_indicators_not_the_merged_label_nor_the_goal()
    {
        using var file = Read(FormLayouts.Annex1, PrintedCorpus.Annex1());

        var funds = Part(file, "monitoring_fund");
        Assert.Equal("年度资金总额|本年一般公共预算拨款|其他资金", string.Join("|", Enumerable.Range(0, funds.Rows().Count()).Select(i => Row(funds, i)["资金类别"])));
        Assert.Equal("100", Row(funds, 0)["年初预算数"]);
        Assert.Equal("30", Row(funds, 0)["期间执行数"]);
        Assert.Equal("1-6月", Row(funds, 0)["期间"]);
        Assert.Equal("2025", Row(funds, 0)["年度"]);
        Assert.Equal(PrintedCorpus.Project, Row(funds, 0)["项目名称"]);
        Assert.Equal(PrintedCorpus.Department, Row(funds, 0)["主管部门"]);
        var indicators = Part(file, "monitoring_indicator");
        Assert.Equal(3, indicators.Rows().Count());   // the 12 empty skeleton rows are skipped
        var first = Row(indicators, 0);
        Assert.Equal(("产出指标", "数量指标", "培训人次"), (first["一级指标"], first["二级指标"], first["三级指标"]));
        Assert.Equal("经费保障；人员保障", first["偏差原因"]);
        Assert.Equal("有可能", first["完成目标可能性"]);
        Assert.Equal("加快资金拨付", first["改进措施"]);
        Assert.Equal("480人次", first["期间执行情况"]);
        Assert.Equal("满意度指标", Row(indicators, 2)["一级指标"]);
        Assert.Equal("问卷回收中", Row(indicators, 2)["备注"]);
    }

    [Fact]
    public void Annex2_reads_labels_and_values_in_one_cell_and_attaches_the_texts_under_the_grid()
    {
        using var file = Read(FormLayouts.Annex2, PrintedCorpus.Annex2());

        var part = Part(file, "correction");
        var row = Assert.Single(part.Rows());
        var values = Row(part, 0);
        Assert.Equal("Q2", values["季度"]);
        Assert.Equal(("产出目标", "数量目标", "培训人次"), (values["一级指标"], values["二级指标"], values["三级指标"]));
        Assert.Equal("600人次", values["本季度应完成值"]);
        Assert.Equal("1. 资金下达晚；2. 师资不足", values["存在的主要问题"]);
        Assert.Equal("1. 加快拨付；2. 外聘讲师", values["改进措施和有关建议"]);
        Assert.StartsWith("X", values["项目编码"]);
    }

    [Fact]
    public void Annex3_reads_amounts_printed_under_their_captions_and_the_indicator_group_header()
    {
        using var file = Read(FormLayouts.Annex3, PrintedCorpus.Annex3());

        var values = Row(Part(file, "adjustment"), 0);
        Assert.Equal("100", values["原先申请资金"]);
        Assert.Equal("80", values["计划调整后资金"]);
        Assert.Equal("上级政策调整，培训规模缩减", values["调整原因及依据"]);
        Assert.Equal(("满意度指标", "学员满意度", "≥90%", "≥85%"), (values["一级指标"], values["三级指标"], values["原指标"], values["调整后指标"]));
    }

    [Fact]
    public void College_232_maps_weight_to_points_and_reads_the_dash_as_blank()
    {
        using var file = Read(FormLayouts.College232, PrintedCorpus.College232());

        var funds = Part(file, "selfeval_fund");
        Assert.Equal(3, funds.Rows().Count());
        Assert.Equal(("年度资金总额", "50", "45", "10"), (Row(funds, 0)["资金类别"], Row(funds, 0)["全年预算数"], Row(funds, 0)["全年执行数"], Row(funds, 0)["分值"]));
        Assert.Equal(("子项目1", null), (Row(funds, 1)["资金类别"], Row(funds, 1)["分值"]));
        var indicators = Part(file, "selfeval_indicator");
        Assert.Equal(3, indicators.Rows().Count());
        Assert.Equal(("≥40台", "40台", "40"), (Row(indicators, 0)["年度指标值"], Row(indicators, 0)["实际完成值"], Row(indicators, 0)["分值"]));
        Assert.Equal("服务对象满意度", Row(indicators, 2)["二级指标"]);
    }

    [Fact]
    public void The_national_self_evaluation_form_reads_levels_without_their_points()
    {
        using var file = Read(FormLayouts.NationalSelfEvaluation, PrintedCorpus.National());

        var indicators = Part(file, "selfeval_indicator");
        Assert.Equal("产出指标", Row(indicators, 0)["一级指标"]);
        Assert.Equal(3, indicators.Rows().Count());
        Assert.Equal("本年一般公共预算拨款", Row(Part(file, "selfeval_fund"), 1)["资金类别"]);
    }

    public static TheoryData<string, string> FormsAndVariants()
    {
        var data = new TheoryData<string, string>();
        foreach (var form in Corpus.Keys)
            foreach (var variant in Variants.Keys) data.Add(form, variant);
        return data;
    }

    private static readonly Dictionary<string, Func<(FormLayout, FormFill)>> Corpus = new()
    {
        ["附件1"] = () => (FormLayouts.Annex1, PrintedCorpus.Annex1()), ["附件2"] = () => (FormLayouts.Annex2, PrintedCorpus.Annex2()),
        ["附件3"] = () => (FormLayouts.Annex3, PrintedCorpus.Annex3()), ["表2-1"] = () => (FormLayouts.College21, PrintedCorpus.College21()),
        ["表2-2"] = () => (FormLayouts.College22, PrintedCorpus.College22()), ["表2-3-2"] = () => (FormLayouts.College232, PrintedCorpus.College232()),
        ["表1-1"] = () => (FormLayouts.College11, PrintedCorpus.College11()), ["表1-2"] = () => (FormLayouts.College12, PrintedCorpus.College12()), ["表1-3-2"] = () => (FormLayouts.College132, PrintedCorpus.College132()),
        ["财预〔2020〕10号"] = () => (FormLayouts.NationalSelfEvaluation, PrintedCorpus.National()),
    };

    private static readonly Dictionary<string, PrintOptions> Variants = new()
    {
        ["no-merges"] = new(Merges: false), ["blank-rows-and-columns"] = new(BlankRows: 2, BlankColumns: 3),
        ["columns-reordered"] = new(ReorderColumns: true), ["captions-on-one-line"] = new(LineBreaks: false),
        ["no-skeleton"] = new(Skeleton: false),
    };

    /// <summary>Every part's rows as text, headers without their column letters, row numbers left out.</summary>
    private static string Values(SubmissionFile file) => string.Join("\n", file.Parts.Select(p =>
        ((IKnownKind)p).Kind.Code + ": " + string.Join(" | ", p.Rows().Select(r =>
            string.Join(",", p.Headers.Select((h, i) => $"{h.Split('（')[0]}={r.Cells[i]}").Order())))));

    [Theory]
    [MemberData(nameof(FormsAndVariants))]
    public void Every_form_reads_the_same_rows_in_every_office_variant(string form, string variant)
    {
        var (layout, fill) = Corpus[form]();
        using var printed = Read(layout, fill);
        var xlsx = new XlsxBuilder();
        PrintedForms.Write(xlsx.Sheet("项目"), layout, Corpus[form]().Item2, Variants[variant]);
        var path = _dir.File($"{form}-{variant}.xlsx");
        xlsx.Save(path);
        using var varied = SubmissionSources.Open(path);
        foreach (var e in varied.Explanations) output.WriteLine(e.Format());

        Assert.NotEmpty(printed.Parts.SelectMany(p => p.Rows()));
        Assert.Equal(Values(printed), Values(varied));
    }

    public static TheoryData<string> Forms() => [.. Corpus.Keys];

    [Theory]
    [MemberData(nameof(Forms))]
    public void Every_form_reads_the_same_rows_saved_wps_style(string form)
    {
        var (layout, fill) = Corpus[form]();
        using var printed = Read(layout, fill);
        var xlsx = new XlsxBuilder();
        PrintedForms.Write(xlsx.Sheet("项目"), layout, Corpus[form]().Item2);
        var path = _dir.File($"{form}.xlsx");
        xlsx.Save(path);
        using var wps = SubmissionSources.Open(WpsStyle.Convert(path, _dir.File($"{form}-wps.xlsx")));
        foreach (var e in wps.Explanations) output.WriteLine(e.Format());

        Assert.Equal("Sheet1", Assert.Single(wps.Explanations).Sheet);
        Assert.Equal(Values(printed), Values(wps));
    }

    public void Dispose() => _dir.Dispose();
}
