using System.Globalization;
using System.Text.RegularExpressions;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration.Incremental;

/// <summary>
/// 目标变更 kept by subject (常纺院 预算绩效管理办法 第十条; fct_target_comparison, fct_target_change and
/// fct_department_target_change, incremental): a project declares its indicators (表2-1) as its 1-6月 监控 form states
/// them; its monitoring resubmission changes one target (a change, unadjusted); an 调整表 names that indicator (the change
/// is adjusted: fct_target_change deletes the project's row with nothing to insert); a second resubmission restores the
/// target (the comparison deletes the project's row). A department declares (表1-1) one target other than its 表1-2 states,
/// then declares again as stated. The demo declares nothing, so every row of the three models is one of these. Each step is
/// compared with a full refresh by <see cref="IncrementalBuildTests"/>' sequence: a delete that misses a row fails it.
/// </summary>
public static partial class IncrementalTargetCases
{
    public static async Task RunAsync(DemoSlices demo, string projectDepartment, string department, WarehouseEngine incremental,
        Func<string, string, Task<(long Incremental, long Full)>> load, Func<string, Task<IReadOnlyList<NodeResult>>> buildAndCompare)
    {
        var monitoringFile = demo.Files.Where(f => f.EndsWith("_1-6月_监控指标.csv", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Last();
        var year = int.Parse(Path.GetFileName(monitoringFile)[..4], CultureInfo.InvariantCulture);
        var monitoring = demo.Keep(monitoringFile, (d, _) => d == projectDepartment);
        int code = monitoring.Column("项目编码"), level3 = monitoring.Column("三级指标");
        int annual = monitoring.Column("年度指标值"), period = monitoring.Column("期间指标值");
        // a project with a numeric target and no 调整表 or 纠偏表 of the year (either would name or restate its targets)
        var plain = await ProjectsWithoutAdjustmentOrCorrectionAsync(incremental, year);
        var project = monitoring.Rows.Select(r => r[code]).Distinct()
            .First(p => plain.Contains(p) && monitoring.Rows.Any(r => r[code] == p && Number().IsMatch(r[annual])));
        var stated = monitoring.Rows.Where(r => r[code] == project).ToList();
        var changed = stated.FindIndex(r => Number().IsMatch(r[annual]));
        var indicator = stated[changed][level3];
        Assert.Single(stated, r => r[level3] == indicator);

        // step 20: 表2-1 declares every indicator as the 监控 form states it: nothing differs
        await load("targets/申报指标.csv", Declaration(year, "项目编码", project, monitoring, stated, annual, period));
        var declared = await buildAndCompare("a 表2-1 declaring the monitored targets");
        Assert.StartsWith("incremental:", declared.Single(n => n.Node == "fct_target_comparison").Message);
        Assert.Equal(0L, await CountAsync(incremental, "fct_target_comparison", "subject_code", project));

        // step 21: the 监控 form resubmitted with one 年度指标值 raised by one (e.g. ≥95% → ≥96%): one unadjusted change
        var raised = stated.Select((r, i) => i == changed ? r.Select((v, c) => c == annual ? Raise(v) : v).ToList() : r).ToList();
        await load("targets-changed/监控指标.csv", (monitoring with { Rows = raised }).Text());
        var change = await buildAndCompare("a 监控 resubmission that changes a declared target");
        Assert.Equal("incremental: 0 rows deleted, 1 inserted", change.Single(n => n.Node == "fct_target_change").Message);
        Assert.Equal(1L, await CountAsync(incremental, "fct_target_change", "project_code", project));

        // step 22: an 调整表 naming the indicator: the change is adjusted, the project's row of fct_target_change goes (the
        // 调整表 touches the project's slices; its comparison row stays)
        var adjustment = new DemoSlices.Csv(
            ["年度", "项目编码", "调整原因及依据", "原先申请资金", "计划调整后资金", "一级指标", "二级指标", "三级指标", "原指标", "调整后指标", "指标标准解释"],
            [[year.ToString(CultureInfo.InvariantCulture), project, "实施内容调整", "", "",
              stated[changed][monitoring.Column("一级指标")], stated[changed][monitoring.Column("二级指标")], indicator,
              stated[changed][annual], raised[changed][annual], "按调整后目标考核"]]);
        await load("targets-adjusted/调整.csv", adjustment.Text());
        var adjusted = await buildAndCompare("an 调整表 naming the changed target");
        Assert.Equal("incremental: 1 rows deleted, 0 inserted", adjusted.Single(n => n.Node == "fct_target_change").Message);
        Assert.Equal(1L, await CountAsync(incremental, "fct_target_comparison", "subject_code", project));

        // step 23: the 监控 form resubmitted as first stated: the comparison's row goes too
        await load("targets-restored/监控指标.csv", (monitoring with { Rows = stated }).Text());
        var restored = await buildAndCompare("a 监控 resubmission restoring the declared target");
        Assert.Equal("incremental: 1 rows deleted, 0 inserted", restored.Single(n => n.Node == "fct_target_comparison").Message);
        Assert.Equal(0L, await CountAsync(incremental, "fct_target_comparison", "subject_code", project));

        // step 24: a department's 表1-1 declares one of its 表1-2 targets otherwise (年度 and 期间指标值 both raised, so it
        // differs whichever of them the 表1-2 row is compared by): one change of the department
        var departmentFile = demo.Files.Single(f => Path.GetFileName(f) == $"{year}_1-6月_部门整体监控指标.csv");
        var departmentRows = demo.Keep(departmentFile, (d, _) => d == department);
        var departmentLevel3 = departmentRows.Column("三级指标");
        int departmentAnnual = departmentRows.Column("年度指标值"), departmentPeriod = departmentRows.Column("期间指标值");
        var otherwise = departmentRows.Rows.FindIndex(r => Number().IsMatch(r[departmentAnnual])
            && departmentRows.Rows.Count(o => o[departmentLevel3] == r[departmentLevel3]) == 1);
        Assert.True(otherwise >= 0, $"{department} states a numeric target of an indicator of its own");
        var redeclared = departmentRows.Rows.Select((r, i) => i == otherwise
            ? r.Select((v, c) => c == departmentAnnual || c == departmentPeriod ? Raise(v) : v).ToList() : r).ToList();
        await load("targets-dept/部门整体申报指标.csv",
            Declaration(year, "部门编码", department, departmentRows, redeclared, departmentAnnual, departmentPeriod));
        var departmentChange = await buildAndCompare("a 表1-1 declaring a 表1-2 target otherwise");
        Assert.StartsWith("incremental:", departmentChange.Single(n => n.Node == "fct_department_target_change").Message);
        Assert.Equal(1L, await CountAsync(incremental, "fct_department_target_change", "department_code", department));

        // step 25: the 表1-1 declared again as the 表1-2 states (the latest batch is the re-declaration): the change goes
        await load("targets-dept-again/部门整体申报指标.csv",
            Declaration(year, "部门编码", department, departmentRows, departmentRows.Rows, departmentAnnual, departmentPeriod));
        var again = await buildAndCompare("a 表1-1 declared again as stated");
        Assert.Equal("incremental: 1 rows deleted, 0 inserted", again.Single(n => n.Node == "fct_department_target_change").Message);
        Assert.Equal(0L, await CountAsync(incremental, "fct_department_target_change", "department_code", department));
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Number();

    /// <summary>The first number of a target raised by one: ≥95% → ≥96%, ≤3天 → ≤4天.</summary>
    private static string Raise(string target) => target.Length == 0 ? target
        : Number().Replace(target, m => (long.Parse(m.Value, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture), 1);

    /// <summary>A 申报指标 (表2-1) or 部门整体申报指标 (表1-1) CSV: each monitored row's 期间指标值 and 年度指标值 as declared.</summary>
    private static string Declaration(int year, string codeHeader, string subject, DemoSlices.Csv monitored, List<List<string>> rows,
        int annual, int period) =>
        new DemoSlices.Csv(["年度", codeHeader, "一级指标", "二级指标", "三级指标", "期间指标值", "年度指标值"],
            rows.Select(r => new List<string>
            {
                year.ToString(CultureInfo.InvariantCulture), subject, r[monitored.Column("一级指标")], r[monitored.Column("二级指标")],
                r[monitored.Column("三级指标")], r[period], r[annual],
            }).ToList()).Text();

    private static async Task<HashSet<string>> ProjectsWithoutAdjustmentOrCorrectionAsync(WarehouseEngine engine, int year)
    {
        await using var connection = await engine.OpenAsync();
        return (await connection.QueryAsync<string>(engine.Sql("""
            SELECT DISTINCT m.project_code FROM stg_monitoring_indicator AS m
            WHERE m.fiscal_year = @year
                AND NOT EXISTS (SELECT 1 FROM stg_adjustment AS a WHERE a.fiscal_year = m.fiscal_year AND a.project_code = m.project_code)
                AND NOT EXISTS (SELECT 1 FROM stg_correction AS c WHERE c.fiscal_year = m.fiscal_year AND c.project_code = m.project_code)
            """), new { year })).ToHashSet(StringComparer.Ordinal);
    }

    private static async Task<long> CountAsync(WarehouseEngine engine, string table, string column, string code)
    {
        await using var connection = await engine.OpenAsync();
        return Convert.ToInt64(await connection.ExecuteScalarAsync(engine.Sql($"SELECT COUNT(*) FROM {table} WHERE {column} = @code"), new { code }));
    }
}
