using Dapper;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>
/// 交叉筛选 (issue 17): what a click on one visual of 总览 or 等级与预算挂钩 narrows every other visual of the page to — a
/// department (a heatmap row, a grade bar), a light (预警灯 of the page's year and period) or a grade (自评等级 of the
/// grade year). It is in the URL (<c>?xdept=…&amp;xlight=…&amp;xgrade=…</c>) like every other filter, and it only narrows: the
/// caller's <see cref="Security.DataScope"/> still applies on top, so a 部门 user filtering another department sees nothing.
/// Null parts mean "no filter".
/// </summary>
public sealed record CrossFilter
{
    public static CrossFilter None { get; } = new();

    /// <summary>The lights a filter may name (mart_project_deviation.warning).</summary>
    public static readonly IReadOnlyList<string> Lights = ["red", "yellow", "green", "blue"];

    /// <summary>主管部门编码.</summary>
    public string? Department { get; init; }

    /// <summary>预警灯 (red / yellow / green / blue) of the project at <see cref="Year"/> and <see cref="Period"/>.</summary>
    public string? Light { get; init; }

    /// <summary>自评等级 (a grade of the grade_band seed, or 未评) of the project in <see cref="GradeYear"/>.</summary>
    public string? Grade { get; init; }

    /// <summary>The monitoring year and period whose lights <see cref="Light"/> means.</summary>
    public int? Year { get; init; }
    public string? Period { get; init; }

    /// <summary>The year whose grades <see cref="Grade"/> means (总览 falls back a year while the year has no 自评).</summary>
    public int? GradeYear { get; init; }

    /// <summary>No part is set.</summary>
    public bool IsEmpty => Department is null && Light is null && Grade is null;

    /// <summary>A part that is a property of projects (light or grade), not of departments: aggregates must then be taken over projects.</summary>
    public bool ByProject => Light is not null || Grade is not null;

    /// <summary>The filter read from URL values: blanks dropped, a light that is no light ignored.</summary>
    public static CrossFilter FromQuery(string? department, string? light, string? grade) => new()
    {
        Department = string.IsNullOrWhiteSpace(department) ? null : department.Trim(),
        Light = light is not null && Lights.Contains(light.Trim()) ? light.Trim() : null,
        Grade = string.IsNullOrWhiteSpace(grade) ? null : grade.Trim(),
    };

    /// <summary>
    /// A SQL condition (<c>TRUE</c> when empty) limiting rows whose department is <paramref name="departmentColumn"/> and
    /// project <paramref name="projectColumn"/>; its parameters (<c>@cf_*</c>) are added to <paramref name="parameters"/>.
    /// A light or grade without its year (and period) matches nothing rather than every year.
    /// </summary>
    public string Condition(DynamicParameters parameters, string departmentColumn, string? projectColumn)
    {
        var clauses = new List<string>();
        if (Department is not null)
        {
            clauses.Add($"{departmentColumn} = @cf_dept");
            parameters.Add("cf_dept", Department);
        }
        if (Light is not null)
        {
            clauses.Add(projectColumn is null || Year is null || Period is null ? "FALSE"
                : $"{projectColumn} IN (SELECT cfl.project_code FROM {MartQueries.ProjectDeviationRows} cfl "
                  + "WHERE cfl.fiscal_year = @cf_year AND cfl.period = @cf_period AND cfl.warning = @cf_light)");
            parameters.Add("cf_year", Year);
            parameters.Add("cf_period", Period);
            parameters.Add("cf_light", Light);
        }
        if (Grade is not null)
        {
            clauses.Add(projectColumn is null || GradeYear is null ? "FALSE"
                : $"{projectColumn} IN (SELECT cfg.project_code FROM mart_project_grade cfg "
                  + "WHERE cfg.fiscal_year = @cf_grade_year AND cfg.grade = @cf_grade)");
            parameters.Add("cf_grade_year", GradeYear);
            parameters.Add("cf_grade", Grade);
        }
        return clauses.Count == 0 ? "TRUE" : string.Join(" AND ", clauses);
    }

    /// <summary>The light's Chinese name (红灯 …) for the chip.</summary>
    public static string LightName(string? light) => light switch
    {
        "red" => "红灯", "yellow" => "黄灯", "green" => "绿灯", "blue" => "蓝灯", _ => light ?? "",
    };
}
