using System.Globalization;
using BudgetPerf.Warehouse;
using CsvHelper;

namespace BudgetPerf.Etl.Demo;

/// <summary>
/// One row of the indicator taxonomy (绩效指标体系), seed <c>sql/seeds/indicator_framework.csv</c>.
/// </summary>
/// <param name="Level1">一级指标: 产出指标 / 效益指标 / 满意度指标, or 决策 / 过程 / 履职 / 效益 / 满意度 for 部门整体.</param>
/// <param name="Level2">二级指标, e.g. 数量指标, 社会效益指标.</param>
/// <param name="Level3">三级指标, e.g. 培训人次.</param>
/// <param name="Unit">计量单位; null for a qualitative indicator.</param>
/// <param name="Comparator">指标性质: ≥, ≤, = or 定性.</param>
/// <param name="TargetExample">A typical 年度指标值, e.g. <c>≥1200人次</c> or <c>健全</c>.</param>
/// <param name="Sector">通用, a sector (教育, 卫生 …) or 部门整体.</param>
public sealed record FrameworkIndicator(
    string Level1, string Level2, string Level3, string? Unit, string Comparator, string TargetExample, string Sector)
{
    /// <summary>The sector of indicators that suit any project.</summary>
    public const string Generic = "通用";

    /// <summary>The sector of department-level (部门整体) indicators.</summary>
    public const string DepartmentWide = "部门整体";

    public bool IsQualitative => Comparator == "定性";

    /// <summary>The number in <see cref="TargetExample"/> (1200 in <c>≥1200人次</c>); 0 when qualitative.</summary>
    public decimal ExampleNumber { get; } = ParseExample(TargetExample, Comparator, Unit);

    private static decimal ParseExample(string example, string comparator, string? unit)
    {
        if (comparator == "定性") return 0m;
        var text = example.TrimStart('≥', '≤', '=');
        if (unit is { Length: > 0 } && text.EndsWith(unit, StringComparison.Ordinal)) text = text[..^unit.Length];
        return decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
    }
}

/// <summary>The indicator taxonomy the demo draws from, read from the seed file.</summary>
public sealed class IndicatorFramework
{
    /// <summary>The seed's file name inside <see cref="SqlAssets.Seeds"/>.</summary>
    public const string FileName = "indicator_framework.csv";

    private readonly Dictionary<(string Sector, string Level2), FrameworkIndicator[]> _pools = new();
    private readonly HashSet<(string, string, string)> _keys;

    public IndicatorFramework(IReadOnlyList<FrameworkIndicator> indicators)
    {
        Indicators = indicators;
        _keys = indicators.Select(i => (i.Level1, i.Level2, i.Level3)).ToHashSet();
    }

    public IReadOnlyList<FrameworkIndicator> Indicators { get; }

    /// <summary>Reads the seed at <see cref="SqlAssets.Seeds"/>/<see cref="FileName"/>.</summary>
    public static IndicatorFramework LoadDefault() => Load(Path.Combine(SqlAssets.Seeds, FileName));

    /// <summary>Reads a framework CSV with header <c>level1,level2,level3,unit,comparator,target_example[,sector]</c>.</summary>
    public static IndicatorFramework Load(string path)
    {
        using var csv = CsvReader.FromFile(path, CsvReaderOptions.Default with { TrimWhitespace = true }, FileOptions.SequentialScan);
        csv.ReadHeader();
        var hasSector = csv.Headers.Contains("sector");
        var rows = new List<FrameworkIndicator>();
        while (csv.Read())
        {
            var unit = csv.GetString("unit");
            var sector = hasSector ? csv.GetString("sector") : "";
            rows.Add(new FrameworkIndicator(
                csv.GetString("level1"), csv.GetString("level2"), csv.GetString("level3"),
                unit.Length == 0 ? null : unit,
                csv.GetString("comparator"), csv.GetString("target_example"),
                sector.Length == 0 ? FrameworkIndicator.Generic : sector));
        }
        return new IndicatorFramework(rows);
    }

    /// <summary>True when (一级, 二级, 三级) is a row of the framework.</summary>
    public bool Contains(string level1, string level2, string level3) => _keys.Contains((level1, level2, level3));

    /// <summary>
    /// Candidates for one 二级指标 of a project in <paramref name="sector"/>: the sector's own rows first, then the
    /// generic ones. <see cref="FrameworkIndicator.DepartmentWide"/> gives the department-level rows alone.
    /// </summary>
    internal FrameworkIndicator[] Pool(string sector, string level2)
    {
        lock (_pools)
        {
            if (_pools.TryGetValue((sector, level2), out var pool)) return pool;
            pool = sector == FrameworkIndicator.DepartmentWide
                ? Indicators.Where(i => i.Sector == sector && i.Level2 == level2).ToArray()
                : Indicators.Where(i => i.Level2 == level2 && i.Sector == sector)
                    .Concat(Indicators.Where(i => i.Level2 == level2 && i.Sector == FrameworkIndicator.Generic))
                    .ToArray();
            _pools[(sector, level2)] = pool;
            return pool;
        }
    }
}
