using BudgetPerf.Etl.Reading.Xlsx;
using BudgetPerf.Warehouse.Engines;

namespace BudgetPerf.Etl.Loading;

/// <summary>
/// Projects already known by (主管部门, 项目名称), from the project master and the fund submissions that name them:
/// the printed forms carry no 项目编码, so a form's project is matched here first and only derived when new. Asked per
/// project the form names, once each (<see cref="MemoLookup{TKey,TValue}"/>; issue 15: the three raw tables were read
/// whole for every form uploaded).
/// </summary>
internal static class ProjectDirectory
{
    public static ProjectLookup For(WarehouseEngine engine, Action<(string, string)>? asked = null)
    {
        // the project master first, then the fund submissions naming it
        var codes = new MemoLookup<(string Department, string Name), string>(engine, """
            SELECT project_code, 0 AS source_rank FROM raw_project
            WHERE coalesce(department_name, '') = @department AND project_name = @name
            UNION ALL SELECT project_code, 1 FROM raw_monitoring_fund
            WHERE coalesce(department_name, '') = @department AND project_name = @name
            UNION ALL SELECT project_code, 1 FROM raw_selfeval_fund
            WHERE coalesce(department_name, '') = @department AND project_name = @name
            ORDER BY source_rank, project_code LIMIT 1
            """, k => new { department = k.Department, name = k.Name }, asked);
        return (department, name) => codes[(department, name)];
    }
}
