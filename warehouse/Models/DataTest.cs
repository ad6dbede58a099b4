namespace BudgetPerf.Warehouse.Models;

/// <summary>A data test: a SELECT that returns the violating rows (zero rows = pass).</summary>
public sealed record DataTest(string Name, string Sql, IReadOnlyList<string> Refs)
{
    /// <summary>
    /// For a test of one relation's rows one at a time (not_null, accepted_values): the condition a violating row meets,
    /// so several such tests of one relation are counted in one scan (<see cref="DataTestBatch"/>); null otherwise.
    /// </summary>
    public string? Violation { get; init; }

    /// <summary>
    /// For a relationships test: the child column and the parent relation and field, so the tests of one relation are
    /// counted in the same scan as its row-by-row tests (<see cref="DataTestBatch"/>); null otherwise.
    /// </summary>
    public ParentKey? Parent { get; init; }

    /// <summary>Generic tests (unique, not_null, accepted_values, relationships) from schema.yml.</summary>
    public static IEnumerable<DataTest> Generic(IEnumerable<RelationSpec> relations)
    {
        foreach (var relation in relations)
        foreach (var column in relation.Columns)
        foreach (var test in column.Tests)
            yield return FromDeclaration(relation.Name, column.Name, test);
    }

    /// <summary>Singular tests: every <c>sql/tests/*.sql</c>.</summary>
    public static IEnumerable<DataTest> Singular(string folder)
    {
        if (!Directory.Exists(folder)) yield break;
        foreach (var file in Directory.EnumerateFiles(folder, "*.sql").Order(StringComparer.Ordinal))
        {
            var sql = File.ReadAllText(file);
            yield return new DataTest(Path.GetFileNameWithoutExtension(file), ModelNode.RenderSql(sql), ModelNode.RefsIn(sql));
        }
    }

    private static DataTest FromDeclaration(string model, string column, object declaration)
    {
        var (kind, args) = declaration switch
        {
            string s => (s, new Dictionary<object, object>()),
            Dictionary<object, object> d when d.Count == 1 =>
                (d.Keys.First().ToString()!, d.Values.First() as Dictionary<object, object> ?? []),
            _ => throw new ModelGraphException($"{model}.{column}: cannot read test declaration '{declaration}'"),
        };
        var name = $"{kind}_{model}_{column}";
        return kind switch
        {
            "unique" => new(name,
                $"SELECT {column}, COUNT(*) AS occurrences FROM {model} WHERE {column} IS NOT NULL " +
                $"GROUP BY {column} HAVING COUNT(*) > 1", [model]),
            "not_null" => new(name, $"SELECT * FROM {model} WHERE {column} IS NULL", [model]) { Violation = $"{column} IS NULL" },
            "accepted_values" => new(name,
                $"SELECT {column}, COUNT(*) AS occurrences FROM {model} WHERE {column} NOT IN ({ValueList(args, name)}) " +
                $"GROUP BY {column}", [model]) { Violation = $"{column} NOT IN ({ValueList(args, name)})" },
            "relationships" => Relationship(name, model, column, args),
            _ => throw new ModelGraphException($"{model}.{column}: unknown generic test '{kind}'"),
        };
    }

    private static DataTest Relationship(string name, string model, string column, Dictionary<object, object> args)
    {
        var to = ModelNode.RenderSql(Arg(args, "to", name));
        var field = Arg(args, "field", name);
        return new DataTest($"{name}__{to}_{field}",
            $"SELECT child.{column} FROM {model} child LEFT JOIN {to} parent ON child.{column} = parent.{field} " +
            $"WHERE child.{column} IS NOT NULL AND parent.{field} IS NULL", [model, to]) { Parent = new ParentKey(column, to, field) };
    }

    private static string Arg(Dictionary<object, object> args, string key, string test) =>
        args.TryGetValue(key, out var v) && v?.ToString() is { Length: > 0 } s
            ? s
            : throw new ModelGraphException($"{test}: missing '{key}'");

    private static string ValueList(Dictionary<object, object> args, string test)
    {
        if (!args.TryGetValue("values", out var v) || v is not List<object> values || values.Count == 0)
            throw new ModelGraphException($"{test}: accepted_values needs 'values'");
        return string.Join(", ", values.Select(x => "'" + x.ToString()!.Replace("'", "''") + "'"));
    }
}

/// <summary>A relationships test's child column, parent relation and parent field (every non-null child value is a parent's).</summary>
public sealed record ParentKey(string Column, string To, string Field);
