using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Tests.E2E;

/// <summary>
/// The what-if figures the browser test expects, worked out here from the demo's marts independently of
/// what_if_allocation.sql (before the server opens the file): per project, the /grades 合计 line is the smallest of its
/// mart_cut_candidates changes (amount × pct / 100). Under 中 → <see cref="MidPct"/>% and 差 → <see cref="PoorPct"/>% a 中
/// project's 从紧安排 row becomes budget × MidPct / 100, a 差 project's own 削减/取消 row budget × PoorPct / 100, and
/// every other row stays; 下年建议安排 = Σ 本年预算 (mart_project_grade) + Σ changes.
/// </summary>
public sealed record WhatIfExpected(int Year, decimal PolicyNet, decimal PolicyAllocation, decimal ScenarioAllocation, int MovedProjects, string Grades)
{
    public const decimal PoorPct = -50;
    public const decimal MidPct = -20;

    public static async Task<WhatIfExpected> ComputeAsync(WarehouseEngine engine)
    {
        await using var connection = await engine.OpenAsync();
        var year = await connection.ExecuteScalarAsync<int>("SELECT MAX(fiscal_year) FROM mart_project_grade");
        var grades = (await connection.QueryAsync<(string Project, string Grade, decimal Budget)>(
            "SELECT project_code, grade, budget FROM mart_project_grade WHERE fiscal_year = $year", new { year })).ToList();
        var rows = (await connection.QueryAsync<(string Project, string Flag, decimal? Amount, decimal? Pct)>(
            "SELECT project_code, flag, amount, suggested_change_pct FROM mart_cut_candidates WHERE fiscal_year = $year", new { year })).ToList();
        var poor = grades.Where(g => g.Grade == "差").ToDictionary(g => g.Project, g => g.Budget);
        decimal Change(decimal? amount, decimal? pct) => amount is { } a && pct is { } p ? Math.Round(a * p / 100, 4, MidpointRounding.AwayFromZero) : decimal.MaxValue;
        decimal policyNet = 0, scenarioNet = 0;
        foreach (var project in rows.GroupBy(r => r.Project))
        {
            var policy = project.Select(r => Change(r.Amount, r.Pct)).Min();
            var scenario = project.Select(r => r.Flag == "削减/取消" && poor.TryGetValue(project.Key, out var budget)
                ? Math.Round(budget * PoorPct / 100, 4, MidpointRounding.AwayFromZero)
                : r.Flag == "从紧安排" && r.Amount is { } amount ? Math.Round(amount * MidPct / 100, 4, MidpointRounding.AwayFromZero)
                : Change(r.Amount, r.Pct)).Min();
            if (policy != decimal.MaxValue) policyNet += policy;
            if (scenario != decimal.MaxValue) scenarioNet += scenario;
        }
        var budgets = grades.Sum(g => g.Budget);
        return new WhatIfExpected(year, policyNet, budgets + policyNet, budgets + scenarioNet, poor.Count + grades.Count(g => g.Grade == "中"),
            string.Join(" ", grades.GroupBy(g => g.Grade).Select(g => $"{g.Key}:{g.Count()}")) + $" flags {rows.Count}");
    }
}

/// <summary>The dashboard over a two-year demo: its first year has the year-end 自评, hence grades to simulate on.</summary>
public sealed class GradedDashboardFixture : DashboardFixture
{
    protected override int DemoYears => 2;
}

[CollectionDefinition(Name)]
public sealed class GradedDashboardCollection : ICollectionFixture<GradedDashboardFixture>
{
    public const string Name = "graded dashboard";
}
