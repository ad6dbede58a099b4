using System.Globalization;
using BudgetPerf.Dashboard.Cli;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using MiniExcelLibs;
using Parquet;

namespace BudgetPerf.Tests.Integration.Bi;

/// <summary>
/// <c>budgetperf export mart_trends</c> from a real warehouse on both engines (their readers hand back different .NET
/// types): the xlsx read back by MiniExcel keeps the values in period order, Parquet keeps typed columns.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MartExportTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Trend_xlsx_round_trips_through_miniexcel_in_period_order(string engineName)
    {
        var engine = await BiWarehouse.BuildAsync(engineName, _dir, postgres);
        var path = _dir.File("trends.xlsx");
        Assert.Equal(4, await ExportCommand.WriteAsync(engine, "mart_trends", 2025, "xlsx", path, CancellationToken.None));

        var rows = MiniExcel.Query(path, useHeaderRow: true, sheetName: "数据").Cast<IDictionary<string, object?>>()
            .Where(r => (string?)r["部门编码"] == "101").ToArray();
        static decimal Number(object? v) => decimal.Parse(Convert.ToString(v, CultureInfo.InvariantCulture)!, NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.Equal(["1-3月", "1-6月", "1-12月"], rows.Select(r => (string?)r["期间"]));
        Assert.Equal([3m, 6m, 12m], rows.Select(r => Number(r["期间排序"])));
        // 执行率 = executed / budget: 20/100, 50/100, 90/100; 预算数 100 万元 each
        Assert.Equal([0.2m, 0.5m, 0.9m], rows.Select(r => Number(r["执行率"])));
        Assert.All(rows, r => Assert.Equal(100m, Number(r["预算数（万元）"])));
        Assert.Equal([new DateTime(2025, 3, 31), new DateTime(2025, 6, 30), new DateTime(2025, 12, 31)], rows.Select(r => (DateTime)r["期间截止日"]!));
        var notes = MiniExcel.Query(path, sheetName: "说明").Cast<IDictionary<string, object?>>().ToArray();
        Assert.Contains(notes, n => (string?)n["A"] == "筛选条件" && (string?)n["B"] == "年度：2025");
        Assert.Contains(notes, n => (string?)n["A"] == "数据构建时间" && n["B"] is DateTime);
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Trend_parquet_keeps_typed_columns_and_field_headers_give_machine_names(string engineName)
    {
        var engine = await BiWarehouse.BuildAsync(engineName, _dir, postgres);
        var path = _dir.File("trends.parquet");
        await ExportCommand.WriteAsync(engine, "mart_trends", null, "parquet", path, CancellationToken.None, fieldHeaders: true);
        await using var file = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(file);
        var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name, f => f.ClrType);
        Assert.Equal(typeof(decimal), fields["budget"]);
        Assert.Equal(typeof(decimal), fields["execution_rate"]);
        Assert.Equal(typeof(int), fields["period_sort_order"]);
        // a code stays text (Parquet.Net 6 reads a UTF-8 string column as ReadOnlyMemory<char>)
        Assert.Contains(fields["department_code"], new[] { typeof(string), typeof(ReadOnlyMemory<char>) });
        Assert.Equal(typeof(DateTime), fields["period_end"]);
    }
}
