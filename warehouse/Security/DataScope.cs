using Dapper;

namespace BudgetPerf.Warehouse.Security;

/// <summary>
/// The rows a caller may see (权责统一, "谁支出，谁负责"): everything, or the projects of some departments (主管部门编码).
/// Every query of the query layer takes one; a page, chart, export or upload never reads around it.
/// </summary>
public sealed class DataScope
{
    private readonly string[]? _departments;

    private DataScope(string[]? departments) => _departments = departments;

    /// <summary>领导, 财政, 分析, 管理员 and the command line: every department.</summary>
    public static DataScope All { get; } = new(null);

    /// <summary>A 部门 user: only these departments (none at all when the list is empty).</summary>
    public static DataScope Of(IEnumerable<string> departments) =>
        new(departments.Select(d => d.Trim()).Where(d => d.Length > 0).Distinct().Order(StringComparer.Ordinal).ToArray());

    public bool IsAll => _departments is null;

    /// <summary>The departments in scope; empty for <see cref="All"/>.</summary>
    public IReadOnlyList<string> Departments => _departments ?? [];

    public bool Includes(string? departmentCode) =>
        _departments is null || departmentCode is not null && Array.IndexOf(_departments, departmentCode) >= 0;

    /// <summary>
    /// A SQL condition limiting <paramref name="column"/> to the scope (<c>TRUE</c> for everything), its parameters
    /// (<c>@scope0</c>, <c>@scope1</c>, …) added to <paramref name="parameters"/>. Dapper's list expansion is not used:
    /// it does not rewrite DuckDB's <c>$name</c> parameters.
    /// </summary>
    public string Condition(string column, DynamicParameters parameters)
    {
        if (_departments is null) return "TRUE";
        if (_departments.Length == 0) return "FALSE";
        var names = new string[_departments.Length];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = "@scope" + i;
            parameters.Add("scope" + i, _departments[i]);
        }
        return $"{column} IN ({string.Join(", ", names)})";
    }

    /// <summary><paramref name="values"/> (an anonymous object or null) as parameters, to which <see cref="Condition"/> adds its own.</summary>
    public static DynamicParameters Parameters(object? values = null)
    {
        var p = new DynamicParameters();
        if (values is not null) p.AddDynamicParams(values);
        return p;
    }

    public override string ToString() => IsAll ? "全部部门" : string.Join(",", Departments);
}
