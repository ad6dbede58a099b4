using BudgetPerf.Etl.Loading;
using BudgetPerf.Etl.Reading.Forms;
using BudgetPerf.Etl.Templates;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration.Forms;

/// <summary>
/// The variants offices produce of a printed 附件1 all reach the same hand-computed 偏差指数 (25, see
/// <see cref="PrintedCorpus.Annex1"/>): extra blank rows and columns, value columns in another order, captions without
/// their line breaks, no merges, a 填表说明 sheet and a hidden sheet beside it, a second project on the next sheet, the
/// total as a formula (read by its cached value), a workbook re-saved by another office, Excel 97-2003 .xls, and a WPS-style
/// save (<see cref="WpsStyle"/>: shared strings, no merges, Sheet1, WPS's KSOProductBuildVer).
/// </summary>
[Collection(UntimedPostgresCollection.Name)]
public sealed class PrintedVariantTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private async Task<string> WorkbookAsync(string variant)
    {
        var xlsx = new XlsxBuilder();
        var options = variant switch
        {
            "no-merges" => new PrintOptions(Merges: false),
            "blank-rows-and-columns" => new PrintOptions(BlankRows: 2, BlankColumns: 2),
            "columns-reordered" => new PrintOptions(ReorderColumns: true),
            "captions-on-one-line" => new PrintOptions(LineBreaks: false),
            "no-skeleton" => new PrintOptions(Skeleton: false),
            _ => new PrintOptions(),
        };
        if (variant == "instructions-and-hidden-sheets")
        {
            xlsx.Sheet("填表说明").Text(1, 0, "填表说明").Text(2, 0, "1. 金额单位为万元；2. 偏差原因请在对应栏打√。");
            var lists = xlsx.Sheet("lists");
            lists.Hidden = true;
            lists.Text(1, 0, "确定能").Text(2, 0, "有可能").Text(3, 0, "完全不可能");
        }
        var fill = PrintedCorpus.Annex1();
        if (variant == "formula-total")   // 年度资金总额 = 本年一般公共预算拨款 + 其他资金 as formulas with their cached values
            fill.Funds["年度资金总额："] = new() { ["年初预算数"] = "=F7+F8;100", ["期间执行数"] = "=H7+H8;30" };
        PrintedForms.Write(xlsx.Sheet("教师培训"), FormLayouts.Annex1, fill, options);
        if (variant == "second-project-sheet")   // 200 / 160: r = 0.8 / 0.5 × 100 = 160 → green, execution_deviation 0
            PrintedForms.Write(xlsx.Sheet("校舍维修"), FormLayouts.Annex1, PrintedCorpus.Annex1("校舍维修经费", 200m, 160m), options);
        var path = _dir.File($"附件1-{variant}.xlsx");
        xlsx.Save(path);
        return variant switch
        {
            "resaved" => await OfficeConvert.ToAsync(path, "xlsx", _dir.File("resaved")),
            "xls" => await OfficeConvert.ToAsync(path, "xls", _dir.File("xls")),
            "wps" => WpsStyle.Convert(path, _dir.File("附件1-wps-saved.xlsx")),
            _ => path,
        };
    }

    [SkippableTheory]
    [InlineData("duckdb", "printed")]
    [InlineData("duckdb", "no-merges")]
    [InlineData("duckdb", "blank-rows-and-columns")]
    [InlineData("duckdb", "columns-reordered")]
    [InlineData("duckdb", "captions-on-one-line")]
    [InlineData("duckdb", "no-skeleton")]
    [InlineData("duckdb", "instructions-and-hidden-sheets")]
    [InlineData("duckdb", "second-project-sheet")]
    [InlineData("duckdb", "formula-total")]
    [InlineData("duckdb", "resaved")]
    [InlineData("duckdb", "xls")]
    [InlineData("duckdb", "wps")]
    [InlineData("postgres", "wps")]
    [InlineData("postgres", "no-merges")]
    [InlineData("postgres", "xls")]
    public async Task A_variant_of_annex1_reaches_the_same_deviation_index(string engineName, string variant)
    {
        var file = await WorkbookAsync(variant);
        var engine = await Engines.FreshAsync(engineName, _dir, postgres);
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));

        var dry = await new SubmissionLoader(engine).LoadFileAsync(file, new LoadOptions { DryRun = true });
        var result = await new SubmissionLoader(engine).LoadFileAsync(file);

        Assert.True(result.Status == LoadStatus.Loaded, string.Join("\n", result.Issues));
        Assert.Equal(LoadStatus.Validated, dry.Status);
        Assert.Equal(result.Rows, dry.Rows);   // --dry-run and load agree
        var build = await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") });
        Assert.True(build.Success, string.Join("\n", build.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}")));
        await using var connection = await engine.OpenAsync();
        var index = await connection.ExecuteScalarAsync<decimal>(
            "SELECT deviation_index FROM mart_project_deviation WHERE project_code IN (SELECT project_code FROM raw_monitoring_fund WHERE project_name = '教师培训经费')");
        Assert.Equal(25m, index);   // 20 (execution 30 of 100 at 序时进度 0.5) + 50 × 0.1 (mean shortfall)
        Assert.Equal(3L, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM raw_monitoring_indicator WHERE project_code IN (SELECT project_code FROM raw_monitoring_fund WHERE project_name = '教师培训经费')"));
        if (variant == "second-project-sheet")   // 校舍维修经费: 160 of 200 → r 160, execution_deviation 0; indicators as 附件1: 0 + 5 = 5
            Assert.Equal(5m, await connection.ExecuteScalarAsync<decimal>(
                "SELECT deviation_index FROM mart_project_deviation WHERE project_code IN (SELECT project_code FROM raw_monitoring_fund WHERE project_name = '校舍维修经费')"));
    }

    public void Dispose() => _dir.Dispose();
}
