using System.Security.Cryptography;
using BudgetPerf.Etl.Demo;
using CsvHelper;

namespace BudgetPerf.Tests.Unit.Demo;

/// <summary>
/// One county demo of two years (2025 with self-evaluation, 2026 monitoring only), generated once for the tests
/// of this class, and helpers to read what was written.
/// </summary>
public sealed class DemoFiles : IDisposable
{
    public static readonly DemoOptions Options = new() { Scale = DemoScale.County, Years = 2, Seed = 42, LastYear = 2026 };

    public DemoFiles()
    {
        Directory = Temp("demo");
        Paths = new DemoGenerator(Options).Generate(Directory);
    }

    public string Directory { get; }
    public IReadOnlyList<string> Paths { get; }

    public string File(string name) => Path.Combine(Directory, name);

    public static string Temp(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"budgetperf-{prefix}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>SHA-256 of every file, by file name.</summary>
    public static Dictionary<string, string> Hashes(IEnumerable<string> paths) =>
        paths.ToDictionary(p => Path.GetFileName(p), p => Convert.ToHexString(SHA256.HashData(System.IO.File.ReadAllBytes(p))));

    public static IReadOnlyList<string> Headers(string path)
    {
        using var csv = CsvReader.FromFile(path);
        csv.ReadHeader();
        return csv.Headers.ToArray();
    }

    /// <summary>The rows of a CSV as header → cell dictionaries.</summary>
    public static IEnumerable<Dictionary<string, string>> Rows(string path)
    {
        using var csv = CsvReader.FromFile(path);
        csv.ReadHeader();
        var headers = csv.Headers.ToArray();
        while (csv.Read())
        {
            var row = new Dictionary<string, string>(headers.Length);
            for (var i = 0; i < headers.Length; i++) row[headers[i]] = csv.GetString(i);
            yield return row;
        }
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}
