using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>One row of the region drill: a 省, 市, 县 or 部门 below the current level, with its totals.</summary>
public sealed class RegionRow
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public long Departments { get; set; }
    public long Projects { get; set; }
    public decimal? Budget { get; set; }
    public decimal? Executed { get; set; }
    public long RedCount { get; set; }
    public long YellowCount { get; set; }
    public decimal? MeanDeviation { get; set; }
    /// <summary>拟削减/收回 (mart_cut_takeback) of the year in this row's departments (those monitored in the period).</summary>
    public decimal? Takeback { get; set; }
    /// <summary>执行率 = Σ执行数 / Σ预算数, by the warehouse's execution_rate() (migration 0185).</summary>
    public decimal? ExecutionRate { get; set; }
}

/// <summary>A 省, 市 or 县 and the names of the levels above it (the breadcrumbs).</summary>
public sealed class RegionPath
{
    public string ProvinceCode { get; set; } = "";
    public string ProvinceName { get; set; } = "";
    public string CityCode { get; set; } = "";
    public string CityName { get; set; } = "";
    public string CountyCode { get; set; } = "";
    public string CountyName { get; set; } = "";
}

/// <summary>A slicer's search hit: a department or a region whose code or name holds the typed text.</summary>
public sealed class SlicerHit
{
    /// <summary>部门, 省, 市 or 县.</summary>
    public string Kind { get; set; } = "";
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>Where it sits (the county of a department).</summary>
    public string? Place { get; set; }
    public override string ToString() => Kind == "部门" ? $"{Name}（{Code}，{Place}）" : $"{Name}（{Kind} {Code}）";
}

/// <summary>
/// 行政区划 as a dimension (issue 14): the drill 省 → 市 → 县 → 部门 over dim_department's region columns, its
/// heatmap rows, breadcrumbs and the search-as-you-type slicer.
/// </summary>
public sealed class RegionQueries(WarehouseEngine engine) : MartQueries(engine)
{
    /// <summary>The level of a 区划代码: 省 (xx0000, and 000000 未划分), 市 (xxxx00), else 县.</summary>
    public static string LevelOf(string? code) =>
        code is null or "" ? "全部" : code.EndsWith("0000", StringComparison.Ordinal) ? "省" : code.EndsWith("00", StringComparison.Ordinal) ? "市" : "县";

    /// <summary>The level the rows below <paramref name="code"/> are: 省 at the top, then 市, 县, 部门.</summary>
    public static string ChildLevel(string? code) => LevelOf(code) switch { "全部" => "省", "省" => "市", "市" => "县", _ => "部门" };

    /// <summary>dim_department's code and name columns and the parent filter for the rows below <paramref name="code"/>.</summary>
    internal static (string Code, string Name, string Parent) Columns(string? code) => LevelOf(code) switch
    {
        "全部" => ("province_code", "province_name", "TRUE"),
        "省" => ("city_code", "city_name", "province_code = @region"),
        "市" => ("county_code", "county_name", "city_code = @region"),
        _ => ("department_code", "department_name", "county_code = @region"),
    };

    /// <summary>The rows one level below <paramref name="region"/> (null: the provinces), in scope, for the year and period.</summary>
    public Task<IReadOnlyList<RegionRow>> ChildrenAsync(DataScope scope, int year, string period, string? region,
        CancellationToken ct = default) => ChildrenAsync(scope, CrossFilter.None, year, period, region, ct);

    /// <summary>The drill's rows over the cross-filter's departments or projects (issue 17).</summary>
    public Task<IReadOnlyList<RegionRow>> ChildrenAsync(DataScope scope, CrossFilter cross, int year, string period, string? region,
        CancellationToken ct = default)
    {
        var (code, name, parent) = Columns(region);
        var (inScope, p) = Scoped(scope, "department_code", new { year, period, region });
        var rollup = CrossFilteredSources.Rollup(cross, p);
        return ListAsync<RegionRow>("mart_department_rollup", $"""
            WITH d AS (
                SELECT department_code, {code} AS code, {name} AS name FROM dim_department WHERE {parent} AND {inScope}
            )
            SELECT d.code AS code, MAX(d.name) AS name, CAST(COUNT(*) AS BIGINT) AS departments,
                   CAST(SUM(r.project_count) AS BIGINT) AS projects, SUM(r.budget) AS budget, SUM(r.executed) AS executed,
                   execution_rate(SUM(r.executed), SUM(r.budget)) AS execution_rate,
                   CAST(SUM(r.red_count) AS BIGINT) AS red_count, CAST(SUM(r.yellow_count) AS BIGINT) AS yellow_count,
                   CAST(SUM(r.deviation_sum) / NULLIF(SUM(r.deviation_count), 0) AS DECIMAL(18,2)) AS mean_deviation,
                   SUM(r.takeback) AS takeback
            FROM {rollup} r
            INNER JOIN d ON d.department_code = r.department_code
            GROUP BY d.code
            ORDER BY d.code
            """, p, ct);
    }

    /// <summary>The heatmap rows of a level: one per region (or department) below <paramref name="region"/>, × 指标类别.</summary>
    public Task<IReadOnlyList<HeatmapCell>> HeatmapAsync(DataScope scope, int year, string period, string? region,
        CancellationToken ct = default) => HeatmapAsync(scope, CrossFilter.None, year, period, region, ct);

    public async Task<IReadOnlyList<HeatmapCell>> HeatmapAsync(DataScope scope, CrossFilter cross, int year, string period, string? region,
        CancellationToken ct = default)
    {
        var (code, name, parent) = Columns(region);
        var (inScope, p) = Scoped(scope, "department_code", new { year, period, region });
        var cells = CrossFilteredSources.Heatmap(cross, p, DataScope.All, await LightCellsAsync(cross, ct) ? year : null, period);
        return await ListAsync<HeatmapCell>("mart_department_heatmap", $"""
            WITH d AS (
                SELECT department_code, {code} AS code, {name} AS name FROM dim_department WHERE {parent} AND {inScope}
            )
            SELECT d.code AS department_code, MAX(d.name) AS department_name, h.indicator_category,
                   CAST(SUM(h.indicator_count) AS BIGINT) AS indicator_count,
                   CAST(SUM(h.mean_shortfall * h.reported_count) / NULLIF(SUM(h.reported_count), 0) AS DECIMAL(18,4)) AS mean_shortfall,
                   CAST(SUM(h.red_count) AS BIGINT) AS red_count
            FROM {cells} h
            INNER JOIN d ON d.department_code = h.department_code
            GROUP BY d.code, h.indicator_category
            ORDER BY d.code, h.indicator_category
            """, p, ct);
    }

    /// <summary>Projects per grade (优良中差未评) of the year, by the regions (or departments) one level below <paramref name="region"/>.</summary>
    public Task<IReadOnlyList<GradeCount>> GradesAsync(DataScope scope, int year, string? region, CancellationToken ct = default) =>
        GradesAsync(scope, CrossFilter.None, year, region, ct);

    public Task<IReadOnlyList<GradeCount>> GradesAsync(DataScope scope, CrossFilter cross, int year, string? region, CancellationToken ct = default)
    {
        var (code, name, parent) = Columns(region);
        var (inScope, p) = Scoped(scope, "department_code", new { year, region });
        var crossed = cross.Condition(p, "g.department_code", "g.project_code");
        return ListAsync<GradeCount>("mart_project_grade", $"""
            WITH d AS (
                SELECT department_code, {code} AS code, {name} AS name FROM dim_department WHERE {parent} AND {inScope}
            )
            SELECT d.code AS department_code, MAX(d.name) AS department_name, g.grade, CAST(COUNT(*) AS BIGINT) AS projects
            FROM mart_project_grade g
            INNER JOIN d ON d.department_code = g.department_code
            WHERE g.fiscal_year = @year AND {crossed}
            GROUP BY d.code, g.grade
            ORDER BY d.code, g.grade
            """, p, ct);
    }

    /// <summary>The 省 / 市 / 县 names above and at <paramref name="region"/> (null when no department in scope sits there).</summary>
    public async Task<RegionPath?> PathAsync(DataScope scope, string region, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "department_code", new { region });
        var rows = await ListAsync<RegionPath>("dim_department", $"""
            SELECT province_code, province_name, city_code, city_name,
                   county_code, county_name
            FROM dim_department
            WHERE (province_code = @region OR city_code = @region OR county_code = @region) AND {inScope}
            ORDER BY department_code
            LIMIT 1
            """, p, ct);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>
    /// Search as you type: up to <paramref name="limit"/> regions and departments in scope whose code or name holds
    /// <paramref name="text"/> — never the whole list of ten thousand departments.
    /// </summary>
    public Task<IReadOnlyList<SlicerHit>> SearchAsync(DataScope scope, string? text, int limit = 20, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "department_code", new { q = "%" + (text ?? "").Trim() + "%", limit = Math.Clamp(limit, 1, 100) });
        return ListAsync<SlicerHit>("dim_department", $"""
            WITH d AS (SELECT * FROM dim_department WHERE {inScope}),
            hits AS (
                SELECT DISTINCT '省' AS kind, province_code AS code, province_name AS name, CAST(NULL AS VARCHAR) AS place, 1 AS rank_order
                FROM d WHERE province_name LIKE @q OR province_code LIKE @q
                UNION
                SELECT DISTINCT '市', city_code, city_name, province_name, 2
                FROM d WHERE region_level <> '省' AND (city_name LIKE @q OR city_code LIKE @q)
                UNION
                SELECT DISTINCT '县', county_code, county_name, city_name, 3
                FROM d WHERE region_level = '县' AND (county_name LIKE @q OR county_code LIKE @q)
                UNION
                SELECT '部门', department_code, department_name, county_name, 4
                FROM d WHERE department_name LIKE @q OR department_code LIKE @q
            )
            SELECT kind, code, name, place FROM hits
            ORDER BY rank_order, code
            LIMIT @limit
            """, p, ct);
    }
}
