using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration.Incremental;

/// <summary>
/// The cases the incremental facts and marts beyond the four first ones open (issue 15, 增量模型): a pair of projects of
/// two departments that becomes a 交叉重复 candidate when one side's 项目信息 changes, and stops being one when it changes
/// back (mart_overlap_pairs deletes the pairs with either side touched); a project that moves to another department
/// (the heatmap cells and ratings of both departments); the pair's side that moves into the other side's department
/// (the pair leaves); a department renamed by a 项目信息 row (dim_department and stg_project by key); a 部门整体自评 resubmission that drops indicators, so the
/// department's score and rank change and with them every other department's rank (mart_department_grade, kept in full).
/// Each step is compared with a full refresh by <see cref="IncrementalBuildTests"/>' sequence.
/// </summary>
public static class IncrementalSliceCases
{
    public static async Task RunAsync(DemoSlices demo, IReadOnlyList<string> kept, WarehouseEngine incremental,
        Func<string, string, Task> load, Func<string, Task<IReadOnlyList<NodeResult>>> buildAndCompare)
    {
        var masterFile = demo.Files.Single(f => Path.GetFileName(f) == "项目信息.csv");
        var master = demo.Keep(masterFile, (d, _) => kept.Contains(d));
        var code = master.Column("项目编码");
        var recurring = await RecurringItemsAsync(incremental);
        var funded = await FundedProjectsAsync(incremental);
        List<string> Candidate(string department) => master.Rows.First(r =>
            r[master.Column("主管部门编码")] == department && funded.Contains(r[code])
            && !recurring.Any(item => r[master.Column("项目名称")].Contains(item, StringComparison.Ordinal)));

        // step 7: a project of the fourth department restates the first one's 年度总体目标 and 实施单位 in its 项目信息:
        // goal + unit = 2 content matches (overlap_min_content_matches 2), so the pair becomes a candidate
        var left = Candidate(kept[0]);
        var right = Candidate(kept[3]);
        Assert.Equal(left[master.Column("区划代码")], right[master.Column("区划代码")]);
        var copied = right.Select((v, i) =>
            i == master.Column("年度总体目标") ? left[i] : i == master.Column("实施单位") ? left[i] : v).ToList();
        await load("overlap/项目信息.csv", (master with { Rows = [copied] }).Text());
        var overlap = await buildAndCompare("a 项目信息 upload that makes a 交叉重复 pair");
        Assert.StartsWith("incremental:", overlap.Single(n => n.Node == "mart_overlap_pairs").Message);
        // one pair per year both projects are in (the 项目信息 has no 年度: every year's pair)
        Assert.True(await PairsAsync(incremental, left[code], right[code]) > 0, "the pair is a candidate");

        // the right side moves to the left side's department (its 项目信息 names it; the department the warehouse has
        // for the left side now, which an earlier step may have moved): two projects of one department are never a pair,
        // so the pair leaves the mart (by its touched side alone)
        var (leftDepartment, leftDepartmentName) = await DepartmentOfAsync(incremental, left[code]);
        var joined = copied.Select((v, i) => i == master.Column("主管部门编码") ? leftDepartment
            : i == master.Column("主管部门") ? leftDepartmentName : v).ToList();
        await load("overlap-joined/项目信息.csv", (master with { Rows = [joined] }).Text());
        var joinedBuild = await buildAndCompare("the pair's right side moves to the left side's department");
        Assert.StartsWith("incremental:", joinedBuild.Single(n => n.Node == "mart_overlap_pairs").Message);
        Assert.Equal(0, await PairsAsync(incremental, left[code], right[code]));

        // step 8: the same row as it was: the pair is deleted (its touched side), nothing else of the mart moves
        await load("overlap-undone/项目信息.csv", (master with { Rows = [right] }).Text());
        await buildAndCompare("the 项目信息 restored");
        Assert.Equal(0, await PairsAsync(incremental, left[code], right[code]));

        // step 9: a project of the first department moves to the third (its 项目信息 names the other department)
        var moved = master.Rows.Last(r => r[master.Column("主管部门编码")] == kept[0] && funded.Contains(r[code]) && r[code] != left[code]);
        var target = master.Rows.First(r => r[master.Column("主管部门编码")] == kept[2]);
        var movedRow = moved.Select((v, i) =>
            i == master.Column("主管部门编码") || i == master.Column("主管部门") ? target[i] : v).ToList();
        await load("move/项目信息.csv", (master with { Rows = [movedRow] }).Text());
        var move = await buildAndCompare("a project that moves department");
        Assert.StartsWith("incremental:", move.Single(n => n.Node == "mart_department_heatmap").Message);
        Assert.StartsWith("incremental:", move.Single(n => n.Node == "fct_execution_rating").Message);

        // a 项目信息 row that renames its department (主管部门): the department's row is recomputed by key, under the
        // name of the latest batch
        var renamed = master.Rows.First(r => r[master.Column("主管部门编码")] == kept[1]);
        var newName = renamed[master.Column("主管部门")] + "（更名）";
        await load("rename/项目信息.csv",
            (master with { Rows = [renamed.Select((v, i) => i == master.Column("主管部门") ? newName : v).ToList()] }).Text());
        var rename = await buildAndCompare("a department renamed by its 项目信息");
        Assert.StartsWith("incremental:", rename.Single(n => n.Node == "dim_department").Message);
        Assert.StartsWith("incremental:", rename.Single(n => n.Node == "stg_project").Message);
        Assert.Equal(newName, await DepartmentNameAsync(incremental, kept[1]));

        // step 10: the department ranked first in the latest 自评 year resubmits its 部门整体自评指标 with 实际完成值 0 on
        // every ≥ indicator: each of them now scores 0 (B ≤ 0), so its total falls by their 分值 and its rank changes,
        // and the others' ranks with it
        var selfEvaluation = demo.Files.Where(f => f.EndsWith("_部门整体自评指标.csv", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Last();
        var year = int.Parse(Path.GetFileName(selfEvaluation)[..4], System.Globalization.CultureInfo.InvariantCulture);
        var ranks = await RanksAsync(incremental, year);
        Assert.True(ranks.Count(r => r.Value is not null) >= 2, "at least two departments are ranked");
        var best = ranks.Single(r => r.Value == 1).Key;
        var rows = demo.Keep(selfEvaluation, (d, _) => d == best);
        int nature = rows.Column("指标性质"), actual = rows.Column("实际完成值"), unit = rows.Column("计量单位");
        Assert.Contains(rows.Rows, r => r[nature] == "≥");
        var zeroed = rows.Rows.Select(r => r[nature] == "≥" ? r.Select((v, i) => i == actual ? "0" + r[unit] : v).ToList() : r).ToList();
        await load("dept-selfeval/部门整体自评指标.csv", (rows with { Rows = zeroed }).Text());
        var regraded = await buildAndCompare("a 部门整体自评 resubmission that changes the ranking");
        Assert.StartsWith("incremental:", regraded.Single(n => n.Node == "fct_evaluation_grade").Message);
        Assert.NotEqual(1, (await RanksAsync(incremental, year))[best]);
    }

    private static async Task<string[]> RecurringItemsAsync(WarehouseEngine engine)
    {
        await using var connection = await engine.OpenAsync();
        var value = await connection.ExecuteScalarAsync<string>("SELECT value FROM policy_current WHERE setting = 'overlap_recurring_items'");
        return (value ?? "").Split('、', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Projects with monitoring fund lines in the latest year (a pair needs both sides in one year).</summary>
    private static async Task<HashSet<string>> FundedProjectsAsync(WarehouseEngine engine)
    {
        await using var connection = await engine.OpenAsync();
        return (await connection.QueryAsync<string>(
            "SELECT DISTINCT project_code FROM fct_budget_execution WHERE fiscal_year = (SELECT MAX(fiscal_year) FROM fct_budget_execution)")).ToHashSet();
    }

    private static async Task<(string Code, string Name)> DepartmentOfAsync(WarehouseEngine engine, string project)
    {
        await using var connection = await engine.OpenAsync();
        return await connection.QuerySingleAsync<(string, string)>(engine.Sql(
            "SELECT p.department_code, d.department_name FROM dim_project AS p INNER JOIN dim_department AS d " +
            "ON p.department_code = d.department_code WHERE p.project_code = @project"), new { project });
    }

    private static async Task<string?> DepartmentNameAsync(WarehouseEngine engine, string department)
    {
        await using var connection = await engine.OpenAsync();
        return await connection.ExecuteScalarAsync<string?>(engine.Sql(
            "SELECT department_name FROM dim_department WHERE department_code = @department"), new { department });
    }

    private static async Task<long> PairsAsync(WarehouseEngine engine, string a, string b)
    {
        await using var connection = await engine.OpenAsync();
        return Convert.ToInt64(await connection.ExecuteScalarAsync(engine.Sql(
            "SELECT COUNT(*) FROM mart_overlap_pairs WHERE (project_a = @a AND project_b = @b) OR (project_a = @b AND project_b = @a)"),
            new { a, b }));
    }

    private static async Task<Dictionary<string, int?>> RanksAsync(WarehouseEngine engine, int year)
    {
        await using var connection = await engine.OpenAsync();
        return (await connection.QueryAsync<(string Department, int? Rank)>(engine.Sql(
            "SELECT department_code, score_rank FROM mart_department_grade WHERE fiscal_year = @year"), new { year }))
            .ToDictionary(r => r.Department, r => r.Rank);
    }
}
