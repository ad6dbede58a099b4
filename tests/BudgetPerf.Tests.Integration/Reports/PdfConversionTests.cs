using System.Diagnostics;
using System.Text.RegularExpressions;
using BudgetPerf.Dashboard.Reports;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Reports;

/// <summary>
/// A generated 绩效监控报告 opens in LibreOffice: converted headless to PDF (A4, a few pages), its text layer holds the
/// Chinese title and headings (read back with poppler's pdftotext). Needs <c>libreoffice-writer-nogui</c> and
/// <c>poppler-utils</c>: skipped with a message outside CI when missing, failed in CI.
/// </summary>
[Collection(UntimedPostgresCollection.Name)]
public sealed partial class PdfConversionTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^Pages:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex PagesLine();

    [GeneratedRegex(@"^Page size:\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex PageSizeLine();

    /// <summary>The full path of a program on PATH, or null.</summary>
    private static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    private static void RequireTools(out string soffice, out string pdftotext, out string pdfinfo)
    {
        var (s, t, i) = (Which("soffice"), Which("pdftotext"), Which("pdfinfo"));
        if (s is null || t is null || i is null)
        {
            var reason = "LibreOffice headless and poppler-utils are needed (apt-get install --no-install-recommends "
                         + $"libreoffice-writer-nogui poppler-utils); found soffice={s ?? "无"}, pdftotext={t ?? "无"}, pdfinfo={i ?? "无"}";
            if (InCi) Assert.Fail("CI=true: " + reason);
            Skip.If(true, reason);
        }
        (soffice, pdftotext, pdfinfo) = (s!, t!, i!);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {timeout.TotalSeconds:0} s");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    [SkippableFact]
    public async Task The_report_converts_to_an_a4_pdf_whose_text_holds_the_chinese_headings()
    {
        RequireTools(out var soffice, out var pdftotext, out var pdfinfo);

        // given the report of RP1 written to a file
        var engine = await BuildAsync("duckdb", _dir, postgres, ReportFixtures.Project());
        var file = await ReportFiles.BuildAsync(engine, ReportRequest.ForProject("RP1", 2024, "1-6月", ReportKind.Monitoring));
        var docx = _dir.File("report.docx");
        await File.WriteAllBytesAsync(docx, file!.Content);

        // when LibreOffice converts it headless, with a private profile (the first start creates it: slow)
        var profile = Path.Combine(_dir.Path, "lo-profile");
        var watch = Stopwatch.StartNew();
        var (code, output) = await RunAsync(soffice, TimeSpan.FromMinutes(4),
            $"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", "pdf", "--outdir", _dir.Path, docx);
        var pdf = _dir.File("report.pdf");
        Assert.True(code == 0 && File.Exists(pdf), $"soffice exit {code}: {output}");
        Console.WriteLine($"soffice --convert-to pdf: {watch.Elapsed.TotalSeconds:0.0} s, {new FileInfo(pdf).Length / 1024.0:0.0} KB");

        // then the PDF is A4 with a few pages (the report is about six pages of 三号 仿宋 with one chart: 附件4 prints every heading)
        var (_, info) = await RunAsync(pdfinfo, TimeSpan.FromMinutes(1), pdf);
        var pages = int.Parse(PagesLine().Match(info).Groups[1].Value);
        Console.WriteLine($"pdfinfo: {pages} pages, {PageSizeLine().Match(info).Groups[1].Value.Trim()}");
        Assert.InRange(pages, 3, 10);
        Assert.Contains("(A4)", PageSizeLine().Match(info).Groups[1].Value);

        // and its text layer holds the title, every section heading and a sentence of 四
        var (textCode, text) = await RunAsync(pdftotext, TimeSpan.FromMinutes(1), "-enc", "UTF-8", pdf, "-");
        Assert.Equal(0, textCode);
        var flat = Regex.Replace(text, @"\s+", "");
        foreach (var heading in new[] { "农村改厕项目支出绩效监控报告", "一、绩效监控工作组织实施情况", "二、项目基本情况", "三、年度预算执行情况",
                     "四、绩效目标情况及分析", "五、意见和建议", "六、其他需要说明的问题" })
            Assert.Contains(heading, flat);
        Assert.Contains("完成年度目标值的55.0%，偏差率为10.0%（超前）", flat);
    }

    public void Dispose() => _dir.Dispose();
}
