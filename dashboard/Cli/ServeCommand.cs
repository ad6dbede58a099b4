using System.CommandLine;
using BudgetPerf.Warehouse.Engines;

namespace BudgetPerf.Dashboard.Cli;

/// <summary><c>budgetperf serve [--urls http://127.0.0.1:5000]</c>: the dashboard (the default command).</summary>
public static class ServeCommand
{
    public static readonly Option<string> Urls = new("--urls")
    {
        Description = "监听地址（默认只在本机 127.0.0.1:5000）",
        DefaultValueFactory = _ => "http://127.0.0.1:5000",
    };

    public static readonly Option<int?> UploadLimitMb = new("--upload-limit-mb")
    {
        Description = $"单个上报文件的大小上限（MB，默认 {Upload.UploadService.DefaultLimitMB}；也可用配置 {Upload.UploadService.LimitSetting}）",
    };

    public static Command Create()
    {
        var command = new Command("serve", "启动看板（默认命令）") { Urls, UploadLimitMb };
        command.SetAction((parse, ct) => RunAsync(parse, ct));
        return command;
    }

    public static Task<int> RunAsync(ParseResult parse, CancellationToken ct) => BudgetPerfCli.Guard(async () =>
    {
        var engine = CliOptions.Engine(parse);
        await Warehouse.WarehouseSetup.InitAsync(engine, ct: ct);
        // the dashboard owns the DuckDB file while it runs (uploads go through it): hold one connection open
        await using var owner = await engine.OpenAsync(ct);
        // the queue worker's loads and builds take DuckDB's threads, the readers the gated requests (Readers.ReaderGate):
        // one core fewer than the machine each, so neither starves the other in a deadline week (issue 15)
        if (engine is Warehouse.Engines.DuckDb.DuckDbEngine duck && Environment.ProcessorCount > 1)
            await duck.UseThreadsAsync(owner, Environment.ProcessorCount - 1, ct);
        var urls = parse.GetValue(Urls)!;
        var settings = parse.GetValue(UploadLimitMb) is { } mb
            ? new Dictionary<string, string?> { [Upload.UploadService.LimitSetting] = mb.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            : null;
        var app = DashboardApp.Create(engine, urls, settings);
        Console.WriteLine($"BudgetPerf 看板: {urls}  (数据库 {engine.Describe()})");
        await app.RunAsync(ct);
        return 0;
    });
}
