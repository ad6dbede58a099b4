using System.Text;

namespace BudgetPerf.Tests.Integration.Incremental;

/// <summary>
/// A small warehouse cut out of the county demo for the incremental tests: the demo's CSV files kept to a few
/// departments (a department column, else the project's department from 项目信息), and single submissions made from
/// those rows (one department's file, one project's resubmission with changed figures, a file that must be rejected).
/// </summary>
public sealed class DemoSlices
{
    private readonly Dictionary<string, string> _departmentOfProject = new(StringComparer.Ordinal);

    public DemoSlices(IReadOnlyList<string> demoFiles)
    {
        Files = demoFiles;
        var master = Read(demoFiles.Single(f => Path.GetFileName(f) == "项目信息.csv"));
        var code = master.Header.IndexOf("项目编码");
        var department = master.Header.IndexOf("主管部门编码");
        foreach (var row in master.Rows) _departmentOfProject[row[code]] = row[department];
        Departments = _departmentOfProject.Values.Distinct().Order(StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<string> Files { get; }

    public IReadOnlyList<string> Departments { get; }

    /// <summary>A parsed CSV: header and rows (the demo writes no line breaks inside a field).</summary>
    public sealed record Csv(List<string> Header, List<List<string>> Rows)
    {
        public string Text() =>
            string.Join("\n", new[] { Header }.Concat(Rows).Select(r => string.Join(",", r.Select(Quote)))) + "\n";

        public int Column(string name) => Header.IndexOf(name);
    }

    public static Csv Read(string path)
    {
        var lines = File.ReadAllLines(path, Encoding.UTF8).Where(l => l.Length > 0).ToList();
        return new Csv(Split(lines[0].TrimStart('\uFEFF')), lines.Skip(1).Select(Split).ToList());
    }

    /// <summary>The department a row belongs to: its own department column, else its project's department.</summary>
    public string DepartmentOf(Csv csv, List<string> row)
    {
        foreach (var column in new[] { "主管部门编码", "部门编码" })
            if (csv.Column(column) is >= 0 and var i) return row[i];
        return _departmentOfProject.GetValueOrDefault(row[csv.Column("项目编码")], "");
    }

    /// <summary>The rows of a file whose department is kept.</summary>
    public Csv Keep(string path, Func<string, List<string>, bool> keep)
    {
        var csv = Read(path);
        return csv with { Rows = csv.Rows.Where(r => keep(DepartmentOf(csv, r), r)).ToList() };
    }

    private static string Quote(string field) =>
        field.Contains(',') || field.Contains('"') ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
