using System.Security.Claims;
using System.Security.Cryptography;
using BudgetPerf.Dashboard.Security;
using BudgetPerf.Etl.Regulations;
using BudgetPerf.Etl.Validation;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Regulations;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Dashboard.Regulations;

/// <summary>The outcome of a regulation change: the problems (nothing recorded), or the rebuild it caused.</summary>
public sealed record RegulationChange(IReadOnlyList<LoadIssue> Problems, BuildResult? Build)
{
    public bool Ok => Problems.Count == 0 && Build?.Success == true;
}

/// <summary>
/// 法规条款 for 管理员 only (issue 13): load a bureau's regulation table, map a rule to its articles. A valid change is
/// recorded (audited) and what it touches rebuilds (regulation_current and everything that cites it); figures are
/// untouched.
/// </summary>
public sealed class RegulationService(WarehouseEngine engine, WarehouseRebuild rebuild)
{
    public RegulationStore Store { get; } = new(engine);

    public async Task<RegulationChange> LoadAsync(ClaimsPrincipal user, string fileName, Stream content, CancellationToken ct = default)
    {
        Demand(user);
        var name = Upload.UploadService.SafeName(fileName);
        if (name is null)
            return new([new LoadIssue(fileName, null, null, null, null, Severity.Error, "法规条款表应为 .csv 或 .xlsx 文件")], null);
        var path = Path.Combine(Path.GetTempPath(), "budgetperf-regulations", Guid.NewGuid().ToString("N"), name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            string sha;
            await using (var file = File.Create(path))
            {
                await content.CopyToAsync(file, ct);
                file.Position = 0;
                sha = Convert.ToHexString(await SHA256.HashDataAsync(file, ct)).ToLowerInvariant();
            }
            RegulationTable table;
            try
            {
                table = RegulationTableReader.Read(path, name);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or Etl.Reading.Xlsx.XlsxRefusedException
                                           or CsvHelper.CsvFormatException or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException)
            {
                return new([new LoadIssue(name, null, null, null, null, Severity.Error, "无法读取：" + ex.Message)], null);
            }
            if (table.Problems.Count > 0) return new(table.Problems, null);
            await Store.LoadAsync(table.Rows, name, sha, CallerClaims.NameOf(user), ct);
            return new([], await rebuild.RunAsync(RegulationStore.Touches, ct));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    public async Task<RegulationChange> MapAsync(ClaimsPrincipal user, string ruleKey, IReadOnlyList<string> articleKeys, CancellationToken ct = default)
    {
        Demand(user);
        if (await Store.ProblemAsync(ruleKey, articleKeys, ct) is { } problem)
            return new([new LoadIssue("规则对应", null, null, ruleKey, string.Join("、", articleKeys), Severity.Error, problem)], null);
        await Store.MapAsync(ruleKey, articleKeys, CallerClaims.NameOf(user), ct);
        return new([], await rebuild.RunAsync(RegulationStore.Touches, ct));
    }

    private static void Demand(ClaimsPrincipal user)
    {
        if (!user.Has(Role.Admin)) throw new UnauthorizedAccessException("只有管理员可以修改法规条款及其对应");
    }
}
