using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace BudgetPerf.Warehouse.Models;

/// <summary>A <c>schema.yml</c>: seeds' column types and the generic tests declared beside models.</summary>
public sealed class SchemaSpec
{
    public List<RelationSpec> Models { get; set; } = [];
    public List<RelationSpec> Seeds { get; set; } = [];

    /// <summary>Tables the runner reads but does not build (<c>{{ source('name', 'table') }}</c>), by source name.</summary>
    public List<SourceSpec> Sources { get; set; } = [];

    public static SchemaSpec Load(string path)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build();
        return deserializer.Deserialize<SchemaSpec?>(File.ReadAllText(path)) ?? new SchemaSpec();
    }

    /// <summary>Every schema.yml under a folder, merged.</summary>
    public static SchemaSpec LoadAll(params string[] folders)
    {
        var merged = new SchemaSpec();
        foreach (var folder in folders.Where(Directory.Exists))
        foreach (var file in Directory.EnumerateFiles(folder, "*.yml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var spec = Load(file);
            merged.Models.AddRange(spec.Models);
            merged.Seeds.AddRange(spec.Seeds);
            merged.Sources.AddRange(spec.Sources);
        }
        return merged;
    }
}

public sealed class SourceSpec
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public List<RelationSpec> Tables { get; set; } = [];
}

public sealed class RelationSpec
{
    public string Name { get; set; } = "";

    /// <summary>What one row is (a model's grain), for readers; not checked.</summary>
    public string? Grain { get; set; }

    public string? Description { get; set; }
    public List<ColumnSpec> Columns { get; set; } = [];
}

public sealed class ColumnSpec
{
    public string Name { get; set; } = "";
    public string? Type { get; set; }
    public string? Description { get; set; }

    /// <summary>Each entry is a test name (<c>unique</c>) or a one-key map (<c>relationships: {to, field}</c>).</summary>
    public List<object> Tests { get; set; } = [];
}
