namespace BudgetPerf.Tests.Integration.Support;

/// <summary>A temporary folder removed at dispose.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("budgetperf-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string content)
    {
        var path = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content, new System.Text.UTF8Encoding(true));
        return path;
    }

    /// <summary>A copy of the project's sql/ folder that a test may edit.</summary>
    public string CopyOfSql()
    {
        var target = File("sql");
        foreach (var source in Directory.EnumerateFiles(Warehouse.SqlAssets.Root, "*", SearchOption.AllDirectories))
        {
            var destination = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(Warehouse.SqlAssets.Root, source));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            System.IO.File.Copy(source, destination);
        }
        return target;
    }

    /// <summary>A copy of the project's sql/ folder with one more mart, <paramref name="mart"/>.sql, holding <paramref name="sql"/>.</summary>
    public string CopyOfSqlWith(string mart, string sql)
    {
        var root = CopyOfSql();
        System.IO.File.WriteAllText(System.IO.Path.Combine(root, "models", "marts", mart + ".sql"), sql);
        return root;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
