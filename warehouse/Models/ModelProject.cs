namespace BudgetPerf.Warehouse.Models;

/// <summary>Everything under <c>sql/</c> that the runner builds: seeds, models (with engine variants), tests.</summary>
public sealed class ModelProject
{
    public required ModelGraph Graph { get; init; }
    public required SchemaSpec Schema { get; init; }
    public required IReadOnlyList<DataTest> Tests { get; init; }
    public required string SeedsDir { get; init; }

    /// <summary>Reads a sql folder for one engine: <c>name.{engine}.sql</c> replaces <c>name.sql</c>.</summary>
    public static ModelProject Load(string sqlRoot, string engineName)
    {
        var seedsDir = Path.Combine(sqlRoot, "seeds");
        var modelsDir = Path.Combine(sqlRoot, "models");
        var nodes = new Dictionary<string, ModelNode>(StringComparer.Ordinal);

        if (Directory.Exists(seedsDir))
            foreach (var file in Directory.EnumerateFiles(seedsDir, "*.csv"))
                Add(nodes, ModelNode.FromSeedFile(Path.GetFileNameWithoutExtension(file), file));

        foreach (var (name, file) in ModelFiles(modelsDir, engineName))
            Add(nodes, ModelNode.FromModelFile(name, file, engineName));

        var schema = SchemaSpec.LoadAll(seedsDir, modelsDir);
        var declared = schema.Sources.SelectMany(s => s.Tables.Select(t => (s.Name, t.Name))).ToHashSet();
        foreach (var node in nodes.Values)
        foreach (var (source, table) in node.Sources)
            if (!declared.Contains((source, table)))
                throw new ModelGraphException($"{node.Path}: source('{source}', '{table}') is not declared in a sources.yml under {modelsDir}");
        var tests = DataTest.Generic(schema.Models.Concat(schema.Seeds))
            .Concat(DataTest.Singular(Path.Combine(sqlRoot, "tests")))
            .ToList();
        return new ModelProject { Graph = new ModelGraph(nodes.Values), Schema = schema, Tests = tests, SeedsDir = seedsDir };
    }

    private static void Add(Dictionary<string, ModelNode> nodes, ModelNode node)
    {
        if (!nodes.TryAdd(node.Name, node))
            throw new ModelGraphException($"two nodes named '{node.Name}': {nodes[node.Name].Path} and {node.Path}");
    }

    private static IEnumerable<(string Name, string File)> ModelFiles(string modelsDir, string engineName)
    {
        if (!Directory.Exists(modelsDir)) return [];
        var engines = new[] { "duckdb", "postgres" };
        var chosen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(modelsDir, "*.sql", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var parts = Path.GetFileName(file).Split('.');
            var name = parts[0];
            var variant = parts.Length == 3 ? parts[1] : null;
            if (variant is not null && !engines.Contains(variant))
                throw new ModelGraphException($"{file}: unknown engine variant '{variant}'");
            if (variant is null) chosen.TryAdd(name, file);
            else if (variant == engineName) chosen[name] = file;
        }
        return chosen.Select(kv => (kv.Key, kv.Value));
    }

    public IReadOnlyList<ColumnSpec> SeedColumns(string seed) =>
        Schema.Seeds.FirstOrDefault(s => s.Name == seed)?.Columns ?? [];
}
