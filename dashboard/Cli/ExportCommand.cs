using System.CommandLine;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using CsvHelper;
using Spectre.Console;

namespace BudgetPerf.Dashboard.Cli;

/// <summary><c>budgetperf export MART [--year Y] [--format csv] [--out PATH]</c>: the whole mart, streamed.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var mart = new Argument<string>("mart") { Description = "数据集市名，如 mart_project_deviation" };
        var year = new Option<int?>("--year") { Description = "年度" };
        var format = new Option<string>("--format") { Description = "csv", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv");
        var output = new Option<string?>("--out") { Description = "输出文件（默认 MART.csv）" };
        var command = new Command("export", "导出数据集市（CSV，UTF-8 带 BOM，可直接用 Excel 打开）") { mart, year, format, output };
        command.SetAction((parse, ct) => BudgetPerfCli.Guard(async () =>
        {
            var engine = EngineFactory.Create(parse.GetValue(CliOptions.Db));
            var name = parse.GetValue(mart)!;
            var path = parse.GetValue(output) ?? $"{name}.csv";
            try
            {
                var rows = await WriteCsvAsync(engine, name, parse.GetValue(year), path, ct);
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

    /// <summary>CSV with BOM; text cells that start like a formula (= + - @) are neutralised with a leading quote.</summary>
    public static async Task<long> WriteCsvAsync(WarehouseEngine engine, string mart, int? year, string path, CancellationToken ct)
    {
        var (connection, reader) = await MartExport.OpenAsync(engine, mart, year, ct);
        await using var _ = connection;
        await using var __ = reader;
        var options = CsvWriterOptions.Default with { WriteByteOrderMark = true, Injection = CsvInjection.Escape };
        await using var csv = CsvWriter.ToFile(path, options, FileOptions.None);
        csv.WriteRecord(Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray());
        long rows = 0;
        while (await reader.ReadAsync(ct))
        {
            // numbers are written as numbers (a negative amount is not a formula); only text is neutralised
            for (var i = 0; i < reader.FieldCount; i++)
                csv.WriteField(reader.IsDBNull(i) ? null : reader.GetValue(i));
            csv.EndRecord();
            rows++;
        }
        return rows;
    }
}
