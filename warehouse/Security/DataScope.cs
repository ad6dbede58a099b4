using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Warehouse.Security;

/// <summary>
/// The rows a caller may see (权责统一, "谁支出，谁负责"): everything, the projects of some departments (主管部门编码),
/// or those of the departments of one 行政区划 (a county's 财政局 sees its county: every department whose 省, 市 or 县
/// in dim_department is the region's code). Every query of the query layer takes one; a page, chart, export or
/// upload never reads around it.
/// </summary>
public sealed class DataScope
{
    private readonly string[]? _departments;
    private readonly HashSet<string>? _regionDepartments;

    /// <summary>A region the view is narrowed to (the drill's 省/市/县), on top of the user's own scope.</summary>
    private readonly string? _within;

    private DataScope(string[]? departments, string? region = null, HashSet<string>? regionDepartments = null, string? within = null)
    {
        _departments = departments;
        Region = region;
        _regionDepartments = regionDepartments;
        _within = within;
    }

    /// <summary>领导, 财政, 分析, 管理员 and the command line: every department.</summary>
    public static DataScope All { get; } = new(null);

    /// <summary>A 部门 user: only these departments (none at all when the list is empty).</summary>
    public static DataScope Of(IEnumerable<string> departments) =>
        new(departments.Select(d => d.Trim()).Where(d => d.Length > 0).Distinct().Order(StringComparer.Ordinal).ToArray());

    /// <summary>A user scoped to a 行政区划 (6-digit 区划代码 of a 省, 市 or 县): the departments within it.</summary>
    public static DataScope OfRegion(string regionCode) => new(null, regionCode.Trim());

    /// <summary>Roles that read every department (领导, 财政, 分析, 管理员).</summary>
    public static IReadOnlyList<Role> ReadAllRoles { get; } = [Role.Leader, Role.Finance, Role.Analyst, Role.Admin];

    /// <summary>
    /// A user's scope, the one rule for sign-in and the queue alike: a 区划 wins, then a read-all role, then the
    /// 部门 user's own departments.
    /// </summary>
    public static DataScope ForUser(string? regionCode, IEnumerable<Role> roles, IEnumerable<string> departments) =>
        regionCode is { Length: > 0 } region ? OfRegion(region)
        : roles.Any(ReadAllRoles.Contains) ? All
        : Of(departments);

    public bool IsAll => _departments is null && Region is null && _within is null;

    /// <summary>A 部门 user's scope (<see cref="Of"/>): its own departments, not every department or a 区划's.</summary>
    public bool IsDepartments => _departments is not null;

    /// <summary>
    /// This scope narrowed to a 区划 (the drill 省 → 市 → 县): both must hold, so a county user drilling into another
    /// county sees nothing. Null or blank leaves the scope as it is.
    /// </summary>
    public DataScope Within(string? regionCode) =>
        string.IsNullOrWhiteSpace(regionCode) ? this : new(_departments, Region, _regionDepartments, regionCode.Trim());

    /// <summary>The 区划 the view is narrowed to by <see cref="Within"/>, or null.</summary>
    public string? WithinRegion => _within;

    /// <summary>The 区划代码 of a region scope, else null.</summary>
    public string? Region { get; }

    /// <summary>The departments of a department scope; empty for <see cref="All"/> and for a region scope.</summary>
    public IReadOnlyList<string> Departments => _departments ?? [];

    /// <summary>
    /// Whether the department is in scope. A region scope answers only after <see cref="ResolveAsync"/> (it then
    /// knows the region's departments); asked before, it throws rather than guess.
    /// </summary>
    public bool Includes(string? departmentCode)
    {
        if (Region is not null)
            return (_regionDepartments ?? throw new InvalidOperationException("region scope not resolved: call ResolveAsync first"))
                .Contains(departmentCode ?? "");
        return _departments is null || departmentCode is not null && Array.IndexOf(_departments, departmentCode) >= 0;
    }

    /// <summary>This scope with a region's departments read from dim_department (other scopes are returned as they are).</summary>
    public async Task<DataScope> ResolveAsync(WarehouseEngine engine, CancellationToken ct = default)
    {
        if (Region is null || _regionDepartments is not null) return this;
        await using var connection = await engine.OpenAsync(ct);
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (await engine.RelationTypeAsync(connection, "dim_department", ct) is not null)
        {
            var p = Parameters();
            var condition = OwnCondition("department_code", p);
            found.UnionWith(await connection.QueryAsync<string>(new CommandDefinition(
                engine.Sql($"SELECT department_code FROM dim_department WHERE {condition}"), p, cancellationToken: ct)));
        }
        return new DataScope(null, Region, found, _within);
    }

    /// <summary>
    /// A SQL condition limiting <paramref name="column"/> to the scope (<c>TRUE</c> for everything), its parameters
    /// (<c>@scope0</c>, <c>@scope1</c>, …, <c>@scopeRegion</c>) added to <paramref name="parameters"/>. Dapper's list
    /// expansion is not used: it does not rewrite DuckDB's <c>$name</c> parameters.
    /// </summary>
    public string Condition(string column, DynamicParameters parameters)
    {
        if (_within is null) return OwnCondition(column, parameters);
        parameters.Add("scopeWithin", _within);
        return $"({OwnCondition(column, parameters)}) AND {RegionCondition(column, "@scopeWithin")}";
    }

    private static string RegionCondition(string column, string parameter) =>
        $"{column} IN (SELECT sd.department_code FROM dim_department sd WHERE sd.province_code = {parameter} "
        + $"OR sd.city_code = {parameter} OR sd.county_code = {parameter})";

    private string OwnCondition(string column, DynamicParameters parameters)
    {
        if (Region is not null)
        {
            parameters.Add("scopeRegion", Region);
            return RegionCondition(column, "@scopeRegion");
        }
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

    /// <summary>
    /// The scope spelled for the dashboard's result cache (issue 15): scopes that may see different rows never spell
    /// alike (all; the sorted departments; the 区划; each with the 区划 it is narrowed to).
    /// </summary>
    public string CacheKey =>
        (Region is not null ? "r:" + Region : _departments is null ? "*" : "d:" + string.Join(",", _departments))
        + (_within is null ? "" : "|w:" + _within);

    public override string ToString() =>
        (Region is not null ? "区划 " + Region : _departments is null ? "全部部门" : string.Join(",", Departments))
        + (_within is null ? "" : " ∩ 区划 " + _within);
}
