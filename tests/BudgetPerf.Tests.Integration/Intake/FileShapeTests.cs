using System.Text;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Etl.Reading;
using BudgetPerf.Etl.Templates;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Tests.Integration.Intake;

/// <summary>Every family of spec/submissions.md loads from CSV UTF-8, CSV GB18030 and a flat .xlsx sheet, on both engines.</summary>
[Collection(UntimedPostgresCollection.Name)]
public sealed class FileShapeTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    /// <summary>Family code → raw table, header and one valid row (amounts as departments write them).</summary>
    public static readonly Dictionary<string, (string Table, string Header, string Row)> Families = new()
    {
        ["project"] = ("raw_project", "项目编码,项目名称,主管部门编码,主管部门", "P1,暖通改造,101,教育局"),
        ["monitoring_fund"] = ("raw_monitoring_fund", "年度,期间,项目编码,资金类别,年初预算数,期间执行数", "2025,1-6月,P1,年度资金总额,1234.56万,30"),
        ["monitoring_indicator"] = ("raw_monitoring_indicator", "年度,期间,项目编码,一级指标,二级指标,三级指标,年度指标值,期间执行情况,完成目标可能性",
            "2025,1-6月,P1,产出指标,数量指标,培训人次,≥100人次,60,确定能"),
        ["selfeval_fund"] = ("raw_selfeval_fund", "年度,项目编码,资金类别,全年预算数,全年执行数,分值", "2025,P1,年度资金总额,43.2,37.24,10"),
        ["selfeval_indicator"] = ("raw_selfeval_indicator", "年度,项目编码,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值",
            "2025,P1,产出指标,质量指标,工程完工率,100%,100%,90"),
        ["correction"] = ("raw_correction", "年度,季度,项目编码,一级指标,二级指标,三级指标,实际完成", "2025,Q2,P1,产出指标,数量指标,培训人次,60"),
        ["adjustment"] = ("raw_adjustment", "年度,项目编码,调整原因及依据,原先申请资金,计划调整后资金", "2025,P1,政策调整,100,80"),
        ["dept_monitoring_fund"] = ("raw_dept_monitoring_fund", "年度,期间,部门编码,资金类别,年初预算数,期间执行数", "2025,1-6月,101,年度资金总额,500,200"),
        ["dept_monitoring_indicator"] = ("raw_dept_monitoring_indicator", "年度,期间,部门编码,一级指标,二级指标,三级指标,年度指标值,期间执行情况,完成目标可能性",
            "2025,1-6月,101,履职,数量指标,督查次数,≥4次,2,有可能"),
        ["dept_selfeval_fund"] = ("raw_dept_selfeval_fund", "年度,部门编码,资金类别,全年预算数,全年执行数", "2025,101,年度资金总额,500,480"),
        ["dept_selfeval_indicator"] = ("raw_dept_selfeval_indicator", "年度,部门编码,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值",
            "2025,101,履职,数量指标,督查次数,≥4次,4次,90"),
    };

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var engine in new[] { "duckdb", "postgres" })
            foreach (var shape in new[] { "csv-utf8", "csv-gb18030", "xlsx" })
                foreach (var family in Families.Keys)
                    data.Add(engine, shape, family);
        return data;
    }

    /// <summary>Writes header + row in the shape: UTF-8 with BOM, GB18030, or a flat sheet built with the Open XML SDK.</summary>
    public static string WriteShape(TempDir dir, string shape, string name, string header, params string[] rows)
    {
        var text = header + "\n" + string.Concat(rows.Select(r => r + "\n"));
        switch (shape)
        {
            case "csv-utf8":
                return dir.Write(name + ".csv", text);
            case "csv-gb18030":
                var path = dir.File(name + ".csv");
                File.WriteAllBytes(path, CsvSniffer.Gb18030.GetBytes(text));
                return path;
            default:
                var xlsx = new XlsxBuilder();
                var sheet = xlsx.Sheet("数据");
                var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                for (var r = 0; r < lines.Length; r++)
                {
                    var cells = lines[r].Split(',');
                    for (var c = 0; c < cells.Length; c++) sheet.Value(r + 1, c, cells[c].Length == 0 ? null : cells[c]);
                }
                var file = dir.File(name + ".xlsx");
                xlsx.Save(file);
                return file;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public async Task Each_family_loads_from_each_shape(string engineName, string shape, string family)
    {
        var engine = await Engines.FreshAsync(engineName, _dir, postgres);
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        var (table, header, row) = Families[family];
        var file = WriteShape(_dir, shape, family, header, row);

        var result = await new SubmissionLoader(engine).LoadFileAsync(file);

        Assert.True(result.Status == LoadStatus.Loaded, string.Join("\n", result.Issues));
        Assert.Equal(family, result.Kind);
        await using var connection = await engine.OpenAsync();
        Assert.Equal(1L, Convert.ToInt64(await connection.ExecuteScalarAsync($"SELECT COUNT(*) FROM {table}")));
    }

    [SkippableTheory]
    [InlineData("duckdb", "xlsx")]
    [InlineData("duckdb", "csv-gb18030")]
    [InlineData("postgres", "xlsx")]
    public async Task Money_keeps_its_exact_decimal_digits(string engineName, string shape)
    {
        var engine = await Engines.FreshAsync(engineName, _dir, postgres);
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        // 0.1 + 0.2-style values that double would blur: 37.24 and 1234.5678 must land exactly
        var file = WriteShape(_dir, shape, "money", Families["selfeval_fund"].Header, "2025,P1,年度资金总额,1234.5678,37.24,10");

        var result = await new SubmissionLoader(engine).LoadFileAsync(file);

        Assert.Equal(LoadStatus.Loaded, result.Status);
        await using var connection = await engine.OpenAsync();
        var (budget, executed) = await connection.QuerySingleAsync<(decimal, decimal)>(
            "SELECT annual_budget, annual_executed FROM raw_selfeval_fund");
        Assert.Equal(1234.5678m, budget);
        Assert.Equal(37.24m, executed);
    }

    public void Dispose() => _dir.Dispose();
}
