using BudgetPerf.Etl.Loading;
using BudgetPerf.Etl.Reading.Forms;
using BudgetPerf.Etl.Templates;
using BudgetPerf.Etl.Validation;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines.DuckDb;

namespace BudgetPerf.Tests.Integration.Forms;

/// <summary>
/// A refused printed form lists at least one error naming sheet, row and column; <c>--dry-run</c> finds the same
/// errors as <c>load</c>; <c>load --dry-run --explain</c> says how each sheet was read.
/// </summary>
public sealed class FormErrorTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string Save(string name, FormLayout layout, FormFill fill) => FormWarehouse.Save(_dir, name, layout, fill);

    private async Task<(LoadResult Dry, LoadResult Load)> BothAsync(string file)
    {
        var engine = new DuckDbEngine(_dir.File("w.duckdb"));
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        var dry = await new SubmissionLoader(engine).LoadFileAsync(file, new LoadOptions { DryRun = true });
        var load = await new SubmissionLoader(engine).LoadFileAsync(file);
        return (dry, load);
    }

    private static void AssertNamed(LoadResult dry, LoadResult load)
    {
        Assert.Equal(LoadStatus.Rejected, load.Status);
        Assert.True(load.ErrorCount >= 1);
        Assert.All(load.Issues.Where(i => i.Severity == Severity.Error), i =>
        {
            Assert.NotNull(i.Sheet);
            Assert.NotNull(i.Row);
            Assert.False(string.IsNullOrEmpty(i.Column));
        });
        // --dry-run and load never disagree
        Assert.Equal(load.Issues.Where(i => i.Severity == Severity.Error).Select(i => i.ToString()),
            dry.Issues.Where(i => i.Severity == Severity.Error).Select(i => i.ToString()));
    }

    [Fact]
    public async Task A_printed_correction_form_left_empty_is_refused_with_a_named_error_by_both_dry_run_and_load()
    {
        var fill = PrintedCorpus.Annex2();
        fill.Indicators.Clear();   // only the pre-printed skeleton rows remain
        var (dry, load) = await BothAsync(Save("附件2.xlsx", FormLayouts.Annex2, fill));

        AssertNamed(dry, load);
        var error = load.Issues.First(i => i.Severity == Severity.Error);
        Assert.Contains("附件2", error.Message);
        Assert.Contains("预印的空行", error.Message);
        Assert.Equal(5, error.Row);   // the indicator header row: title 1-2, 年季 3, 填报单位 4, header 5
    }

    [Fact]
    public async Task A_bad_amount_in_a_printed_form_names_its_sheet_row_and_column_letter()
    {
        var fill = PrintedCorpus.Annex1();
        fill.Funds["年度资金总额："]["期间执行数"] = "三十万";
        var (dry, load) = await BothAsync(Save("附件1.xlsx", FormLayouts.Annex1, fill));

        AssertNamed(dry, load);
        var error = load.Issues.First(i => i.Severity == Severity.Error);
        // rows: 附件1 1, title 2, year 3, head 4-6, fund header 7, 年度资金总额 8; 1-6月执行数 printed at H (A label, B-E line, F-G 年初预算数)
        Assert.Equal(("表", 8, "期间执行数（H列）", "三十万"), (error.Sheet, error.Row, error.Column, error.Value));
    }

    [Fact]
    public async Task A_department_declaration_with_a_budget_in_words_is_refused_naming_its_cell()
    {
        var fill = new FormFill { Year = 2025 };
        fill.Head["部门名称"] = "101-教育局";
        fill.Funds["资金总额"] = new() { ["期间计划执行数"] = "200", ["全年预算数"] = "五百" };
        var (dry, load) = await BothAsync(Save("表1-1.xlsx", FormLayouts.College11, fill));

        AssertNamed(dry, load);
        var error = load.Issues.First(i => i.Severity == Severity.Error);
        // rows: title 1, year 2, 部门名称 3, fund header 4, 资金总额 5; columns A label, B-C line, D 半年计划执行数, E 全年预算数
        Assert.Equal(("表", 5, "全年预算数（E列）", "五百"), (error.Sheet, error.Row, error.Column, error.Value));
    }

    [Fact]
    public async Task Load_dry_run_explain_prints_form_blocks_captions_and_rows_per_sheet()
    {
        var file = Save("附件1.xlsx", FormLayouts.Annex1, PrintedCorpus.Annex1());

        var outcome = await CliProcess.RunAsync(_dir.Path, null, "load", "--dry-run", "--explain", file, "--db", _dir.File("cli.duckdb"));

        Assert.True(outcome.ExitCode == 0, outcome.Output);
        foreach (var expected in new[]
                 {
                     "工作表“表”：附件1 项目支出绩效监控情况表", "资金块（监控资金），栏目行 7", "F “年初预算数” → 年初预算数",
                     "J “1-6月执行率” → 不读取", "指标块（监控指标），栏目行 12-13", "“经费保障” → 偏差原因（勾选“经费保障”）",
                     "读取 3 行：14-15、34", "A “绩效指标” → 左侧标签，不读取", "跳过 第35行：“注：1．偏差原因分析", "跳过 第11行：目标行“年度总体目标”结束本块", "预印的空行（无三级指标，无数值）", "表头 项目名称 = 教师培训经费",
                 })
            Assert.Contains(expected, outcome.Output);
    }

    [Fact]
    public async Task A_file_named_xls_that_is_no_excel_97_workbook_is_refused_by_both_dry_run_and_load()
    {
        var xlsx = Save("附件1.xlsx", FormLayouts.Annex1, PrintedCorpus.Annex1());
        var renamed = _dir.File("附件1.xls");
        File.Copy(xlsx, renamed);

        var (dry, load) = await BothAsync(renamed);

        Assert.Equal(LoadStatus.Rejected, load.Status);
        var error = Assert.Single(load.Issues);
        Assert.Contains("不是 Excel 97-2003 (.xls) 文件（内容是 .xlsx，请改扩展名为 .xlsx）", error.Message);
        Assert.Equal(error.ToString(), Assert.Single(dry.Issues).ToString());
    }

    public void Dispose() => _dir.Dispose();
}
