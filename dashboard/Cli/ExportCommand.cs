using System.CommandLine;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Dashboard.Export;
using Spectre.Console;

namespace BudgetPerf.Dashboard.Cli;

/// <summary><c>budgetperf export MART [--year Y] [--format csv|xlsx|parquet] [--out PATH] [--headers zh|field]</c>: the whole mart, streamed.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var mart = new Argument<string>("mart") { Description = "数据集市名，如 mart_project_deviation" };
        var year = new Option<int?>("--year") { Description = "年度" };
        var format = new Option<string>("--format") { Description = "csv | xlsx | parquet", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong(GridExport.Formats);
        var output = new Option<string?>("--out") { Description = "输出文件（默认 数据目录/out/MART.FORMAT）" };
        var headers = new Option<string>("--headers") { Description = "表头：zh = 页面的中文列名（默认），field = 字段名", DefaultValueFactory = _ => ExportOptions.ChineseHeaders };
        headers.AcceptOnlyFromAmong(ExportOptions.HeaderStyles);
        var command = new Command("export", "导出数据集市（CSV 为 UTF-8 带 BOM，可直接用 Excel 打开；或 xlsx、Parquet），不限行数") { mart, year, format, output, headers };
        command.SetAction((parse, ct) => BudgetPerfCli.Guard(async () =>
        {
            var engine = CliOptions.Engine(parse);
            var name = parse.GetValue(mart)!;
            var fmt = parse.GetValue(format)!;
            var path = parse.GetValue(output) ?? Path.Combine(CliOptions.OutDir, $"{name}.{fmt}");
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
            try
            {
                var rows = await WriteAsync(engine, name, parse.GetValue(year), fmt, path, ct,
                    parse.GetValue(headers) == ExportOptions.FieldHeaders);
                AnsiConsole.MarkupLineInterpolated($"已导出 {rows:N0} 行到 {path}");
                return 0;
            }
            catch (ArgumentException ex)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{ex.Message}[/]");
                return 1;
            }
        }));
        return command;
    }

    /// <summary>
    /// The mart through the dashboard's export code: CSV with BOM (text cells that start like a formula, = + - @, are
    /// neutralised), xlsx or Parquet.
    /// </summary>
    public static async Task<long> WriteAsync(WarehouseEngine engine, string mart, int? year, string format, string path, CancellationToken ct,
        bool fieldHeaders = false)
    {
        var options = new ExportOptions
        {
            UseFieldNames = fieldHeaders, Title = $"数据集市 {mart}", User = $"命令行 {Environment.UserName}",
            Filters = year is { } y ? [("年度", y.ToString(System.Globalization.CultureInfo.InvariantCulture))] : [],
            BuiltAt = await MartExport.BuiltAtAsync(engine, ct),
        };
        var (connection, reader) = await MartExport.OpenAsync(engine, mart, year, ct);
        await using var _ = connection;
        await using var __ = reader;
        return await GridExport.WriteAsync(reader, format, path, options, ct);
    }

    public static Task<long> WriteCsvAsync(WarehouseEngine engine, string mart, int? year, string path, CancellationToken ct) =>
        WriteAsync(engine, mart, year, "csv", path, ct);
}
