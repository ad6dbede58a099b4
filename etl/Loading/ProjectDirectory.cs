using BudgetPerf.Etl.Reading.Xlsx;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Etl.Loading;

/// <summary>
/// Projects already known by (主管部门, 项目名称), from the project master and the fund submissions that name them:
/// the printed forms carry no 项目编码, so a form's project is matched here first and only derived when new. Asked per
/// project the form names, once each, in a parameterised query (issue 15: the three raw tables were read whole for
/// every form uploaded).
/// </summary>
internal static class ProjectDirectory
{
    public static Task<ProjectLookup> LoadAsync(WarehouseEngine engine, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var asked = new Dictionary<(string, string), string?>();
        ProjectLookup lookup = (department, name) =>
        {
            lock (asked)
            {
                if (asked.TryGetValue((department, name), out var known)) return known;
                using var connection = engine.OpenAsync(ct).GetAwaiter().GetResult();
                // the project master first, then the fund submissions naming it
                var code = connection.QueryFirstOrDefault<string?>(engine.Sql(
                    """
                    SELECT project_code, 0 AS source_rank FROM raw_project
                    WHERE coalesce(department_name, '') = @department AND project_name = @name
                    UNION ALL SELECT project_code, 1 FROM raw_monitoring_fund
                    WHERE coalesce(department_name, '') = @department AND project_name = @name
                    UNION ALL SELECT project_code, 1 FROM raw_selfeval_fund
                    WHERE coalesce(department_name, '') = @department AND project_name = @name
                    ORDER BY source_rank, project_code LIMIT 1
                    """), new { department, name });
                asked[(department, name)] = code;
                return code;
            }
        };
        return Task.FromResult(lookup);
    }
}
