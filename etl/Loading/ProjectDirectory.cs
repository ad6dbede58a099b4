using BudgetPerf.Etl.Reading.Xlsx;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Etl.Loading;

/// <summary>
/// Projects already known by (主管部门, 项目名称), from the project master and the fund submissions that name them:
/// the printed forms carry no 项目编码, so a form's project is matched here first and only derived when new.
/// </summary>
internal static class ProjectDirectory
{
    private sealed record Known(string Code, string? Department, string Name);

    public static async Task<ProjectLookup> LoadAsync(WarehouseEngine engine, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        var rows = await connection.QueryAsync<Known>(
            """
            SELECT project_code AS code, department_name AS department, project_name AS name FROM raw_project
            UNION SELECT project_code, department_name, project_name FROM raw_monitoring_fund WHERE project_name IS NOT NULL
            UNION SELECT project_code, department_name, project_name FROM raw_selfeval_fund WHERE project_name IS NOT NULL
            """);
        var map = new Dictionary<(string, string), string>();
        foreach (var r in rows) map.TryAdd((r.Department ?? "", r.Name), r.Code);
        return (department, name) => map.TryGetValue((department, name), out var code) ? code : null;
    }
}
