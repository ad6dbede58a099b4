using BudgetPerf.Etl.Demo;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Etl.Bench;

/// <summary>One pair the 交叉重复 rule flagged (mart_overlap_pairs), with what matched.</summary>
public sealed record FlaggedPair(int FiscalYear, string ProjectA, string ProjectB, string NameA, string NameB, string Matched);

/// <summary>The 交叉重复 rule against the demo's planted truth: precision, recall and the pairs it got wrong.</summary>
public sealed record OverlapBenchResult(
    int TruePairs, int LookAlikePairs, int Flagged, int TruePositives,
    IReadOnlyList<FlaggedPair> FalsePositives, IReadOnlyList<DemoPlantedPair> Missed, int LookAlikesFlagged)
{
    /// <summary>Flagged pairs that are planted overlaps ÷ flagged pairs (1 when nothing was flagged).</summary>
    public double Precision => Flagged == 0 ? 1 : (double)TruePositives / Flagged;

    /// <summary>Planted overlaps flagged ÷ planted overlaps.</summary>
    public double Recall => TruePairs == 0 ? 1 : (double)TruePositives / TruePairs;
}

/// <summary>
/// <c>bench overlap</c> (issue 14): reads the pairs the 交叉重复 rule flagged in a warehouse built from the demo
/// generator with <see cref="DemoOptions"/>, and compares them with the pairs that generator planted — true overlaps
/// (two departments funding the same thing) and look-alike names that are not.
/// </summary>
public static class OverlapBenchmark
{
    public static async Task<OverlapBenchResult> RunAsync(WarehouseEngine engine, DemoOptions options, CancellationToken ct = default)
    {
        var generator = new DemoGenerator(options);
        var planted = new List<(int Year, DemoPlantedPair Pair)>();
        for (var year = options.FirstYear; year <= options.LastYear; year++)
            planted.AddRange(generator.PlantedPairs(year).Select(p => (year, p)));

        await using var connection = await engine.OpenAsync(ct);
        var flagged = (await connection.QueryAsync<FlaggedPair>(new CommandDefinition("""
            SELECT fiscal_year, project_a, project_b, name_a, name_b,
                   matched
            FROM mart_overlap_pairs ORDER BY fiscal_year, project_a, project_b
            """, cancellationToken: ct))).AsList();

        static (int, string, string) Key(int year, string a, string b) => string.CompareOrdinal(a, b) < 0 ? (year, a, b) : (year, b, a);
        var truth = planted.Where(p => p.Pair.IsOverlap).ToDictionary(p => Key(p.Year, p.Pair.ProjectA, p.Pair.ProjectB), p => p.Pair);
        var lookAlikes = planted.Where(p => !p.Pair.IsOverlap).Select(p => Key(p.Year, p.Pair.ProjectA, p.Pair.ProjectB)).ToHashSet();
        var flaggedKeys = flagged.Select(f => Key(f.FiscalYear, f.ProjectA, f.ProjectB)).ToHashSet();

        var falsePositives = flagged.Where(f => !truth.ContainsKey(Key(f.FiscalYear, f.ProjectA, f.ProjectB))).ToList();
        return new OverlapBenchResult(
            TruePairs: truth.Count,
            LookAlikePairs: lookAlikes.Count,
            Flagged: flagged.Count,
            TruePositives: flagged.Count - falsePositives.Count,
            FalsePositives: falsePositives,
            Missed: truth.Where(t => !flaggedKeys.Contains(t.Key)).Select(t => t.Value).ToList(),
            LookAlikesFlagged: falsePositives.Count(f => lookAlikes.Contains(Key(f.FiscalYear, f.ProjectA, f.ProjectB))));
    }
}
