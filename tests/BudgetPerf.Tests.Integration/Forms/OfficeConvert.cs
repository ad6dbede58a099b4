using System.Diagnostics;

namespace BudgetPerf.Tests.Integration.Forms;

/// <summary>
/// Re-saves a workbook through LibreOffice headless, as another office would: <c>xls</c> (Excel 97-2003, what WPS and
/// older offices save) or <c>xlsx</c> (shared strings, its own styles and merges, as a WPS/LibreOffice save writes them).
/// </summary>
public static class OfficeConvert
{
    public static string? Soffice =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "soffice")).FirstOrDefault(File.Exists);

    /// <summary>The converted file's path in <paramref name="outDir"/>; skips the test when LibreOffice is missing (fails on CI).</summary>
    public static async Task<string> ToAsync(string file, string format, string outDir)
    {
        if (Soffice is not { } soffice)
        {
            const string reason = "LibreOffice headless (soffice) is needed to write .xls and re-saved workbooks";
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail("CI=true: " + reason);
            Skip.If(true, reason);
            throw new InvalidOperationException();
        }
        Directory.CreateDirectory(outDir);
        var profile = Path.Combine(Path.GetTempPath(), "budgetperf-lo-profile-" + Environment.ProcessId);
        var start = new ProcessStartInfo(soffice) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { $"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", format, "--outdir", outDir, file })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        var converted = Path.Combine(outDir, Path.GetFileNameWithoutExtension(file) + "." + format);
        Assert.True(process.ExitCode == 0 && File.Exists(converted), $"soffice exit {process.ExitCode}: {await output}{await error}");
        return converted;
    }
}
