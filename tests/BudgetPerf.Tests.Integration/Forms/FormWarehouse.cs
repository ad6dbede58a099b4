using BudgetPerf.Etl.Loading;
using BudgetPerf.Etl.Reading.Forms;
using BudgetPerf.Etl.Templates;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;

namespace BudgetPerf.Tests.Integration.Forms;

/// <summary>
/// The Forms tests' one set-up: printed forms (<see cref="PrintedForms"/>) saved as workbooks in the test's folder, and
/// a fresh warehouse on either engine (PostgreSQL from the fixture) initialised, loaded with them and built — a file
/// the loader refuses, or a failed model, fails the test with its issues.
/// </summary>
internal static class FormWarehouse
{
    /// <summary>One printed form on a sheet <paramref name="sheetName"/>; <paramref name="more"/> adds cells after it.</summary>
    public static string Save(TempDir dir, string name, FormLayout layout, FormFill fill, Action<SheetBuilder>? more = null,
        string sheetName = "表")
    {
        var xlsx = new XlsxBuilder();
        var sheet = xlsx.Sheet(sheetName);
        PrintedForms.Write(sheet, layout, fill);
        more?.Invoke(sheet);
        var path = dir.File(name);
        xlsx.Save(path);
        return path;
    }

    /// <summary>Several printed forms in one workbook, on sheets 项目1, 项目2, ….</summary>
    public static string Save(TempDir dir, string name, params (FormLayout Layout, FormFill Fill)[] sheets)
    {
        var xlsx = new XlsxBuilder();
        var k = 0;
        foreach (var (layout, fill) in sheets) PrintedForms.Write(xlsx.Sheet($"项目{++k}"), layout, fill);
        var path = dir.File(name);
        xlsx.Save(path);
        return path;
    }

    /// <summary>A fresh warehouse of <paramref name="engineName"/> with migrations and seeds.</summary>
    public static async Task<WarehouseEngine> InitializedAsync(string engineName, TempDir dir, PostgresServer postgres)
    {
        var engine = await Engines.FreshAsync(engineName, dir, postgres);
        await WarehouseSetup.InitAsync(engine, dir.File("target"));
        return engine;
    }

    /// <summary>Loads every file (each must load) and builds every model (each must succeed).</summary>
    public static async Task LoadAndBuildAsync(WarehouseEngine engine, TempDir dir, params string[] files)
    {
        var loader = new SubmissionLoader(engine);
        foreach (var file in files)
        {
            var result = await loader.LoadFileAsync(file);
            Assert.True(result.Status == LoadStatus.Loaded, $"{Path.GetFileName(file)}: {result.Status}\n" + string.Join("\n", result.Issues));
        }
        var build = await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = dir.File("target") });
        Assert.True(build.Success, string.Join("\n", build.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}")));
    }

    /// <summary>A fresh warehouse loaded with <paramref name="files"/> and built.</summary>
    public static async Task<WarehouseEngine> LoadAndBuildAsync(string engineName, TempDir dir, PostgresServer postgres, params string[] files)
    {
        var engine = await InitializedAsync(engineName, dir, postgres);
        await LoadAndBuildAsync(engine, dir, files);
        return engine;
    }
}
