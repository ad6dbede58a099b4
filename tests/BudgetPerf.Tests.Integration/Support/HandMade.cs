using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;

namespace BudgetPerf.Tests.Integration.Support;

/// <summary>Small hand-made submissions loaded and built into a fresh warehouse, for the rules and page-query tests.</summary>
public static class HandMade
{
    public const string FundHeader = "年度,项目编码,项目名称,主管部门编码,主管部门,资金类别,年初预算数,全年预算数,全年执行数,分值,得分\n";
    public const string IndicatorHeader = "年度,项目编码,一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位,实际完成值,分值,得分\n";
    public const string MonitoringHeader = "年度,期间,项目编码,一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位,期间指标值,期间执行情况,完成目标可能性\n";
    public const string MonitoringFundHeader = "年度,期间,项目编码,项目名称,主管部门编码,主管部门,资金类别,年初预算数,调整后预算数,期间执行数,结转年数\n";

    /// <summary>Loads every file (each must load cleanly), builds all models, and asserts every data test passed.</summary>
    public static async Task<WarehouseEngine> BuildAsync(string engineName, TempDir dir, PostgresServer postgres,
        params (string Name, string Csv)[] files)
    {
        var engine = await Engines.FreshAsync(engineName, dir, postgres);
        await WarehouseSetup.InitAsync(engine, dir.File("target"));
        var loader = new SubmissionLoader(engine);
        foreach (var (name, csv) in files) await LoadAsync(loader, dir, name, csv);
        await BuildModelsAsync(engine, dir);
        return engine;
    }

    /// <summary>
    /// A warehouse built from one project's 监控资金 (M01, 教育局, budget 100) with a second project's (M02, 交通局, budget
    /// 300) loaded since and not built yet: what the build tests build next.
    /// </summary>
    public static async Task<WarehouseEngine> TwoProjectsOneBuiltAsync(string engineName, TempDir dir, PostgresServer postgres)
    {
        var engine = await BuildAsync(engineName, dir, postgres,
            ("mf.csv", MonitoringFundHeader + "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n"));
        await LoadAsync(new SubmissionLoader(engine), dir, "mf2.csv",
            MonitoringFundHeader + "2025,1-6月,M02,农村公路养护,102,交通局,年度资金总额,300,,60,\n");
        return engine;
    }

    /// <summary>Writes <paramref name="csv"/> as <paramref name="name"/> in <paramref name="dir"/> and loads it; it must load cleanly.</summary>
    public static async Task LoadAsync(SubmissionLoader loader, TempDir dir, string name, string csv)
    {
        var result = await loader.LoadFileAsync(dir.Write(name, csv));
        Assert.True(result.Status == LoadStatus.Loaded, name + ": " + string.Join("\n", result.Issues));
    }

    /// <summary>Builds all models (full or incremental, as the runner decides) and asserts every node and data test passed.</summary>
    public static async Task<BuildResult> BuildModelsAsync(WarehouseEngine engine, TempDir dir)
    {
        var build = await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = dir.File("target") });
        Assert.True(build.Success, string.Join("\n", build.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}")));
        return build;
    }
}
