using System.Globalization;
using BudgetPerf.Dashboard.Security;
using BudgetPerf.Warehouse.Scenarios;
using Microsoft.AspNetCore.Components;

namespace BudgetPerf.Dashboard.Components.Pages;

/// <summary>
/// 预算安排模拟 (issue 17 item 2): 领导 and 财政 save a scenario of the allocation rules and see next year's allocation
/// beside the policy in force (<c>?year=&amp;a=&amp;b=</c>: the evaluated year and one or two scenarios). Read-only
/// towards the policy; every save and delete is audited by <see cref="ScenarioStore"/>.
/// </summary>
public partial class WhatIf
{
    [SupplyParameterFromQuery(Name = "year")] public int? Year { get; set; }
    [SupplyParameterFromQuery(Name = "a")] public long? First { get; set; }
    [SupplyParameterFromQuery(Name = "b")] public long? Second { get; set; }

    /// <summary>The rules in the order of DESIGN §3's table (the waterfall's steps).</summary>
    private static readonly string[] RuleOrder = ["优先保障", "从紧安排", "削减/取消", "整改未到位", "收回", "暂停拨款"];

    private int? _year;
    private long _first, _second;
    private long[] _sides = [];
    private string _user = "";
    private IReadOnlyList<AllocationScenario> _saved = [];
    private IReadOnlyList<WhatIfLine> _lines = [];
    private AllocationScenario _draft = new();
    private decimal _executionPercent;
    private string _policyText = "";
    private string? _message;
    private bool _saving;

    protected override async Task OnParametersSetAsync()
    {
        _user = CallerClaims.NameOf(await Caller.PrincipalAsync());
        var years = await Grades.YearsAsync();
        _year = Year is { } y && years.Contains(y) ? y : years.Cast<int?>().FirstOrDefault();
        _saved = await Scenarios.ListAsync();
        if (_year is not { } year) return;
        if (_draft.Name.Length == 0) await PrefillAsync(year);
        _first = First is { } a && _saved.Any(s => s.ScenarioId == a) ? a : 0;
        _second = Second is { } b && b != _first && _saved.Any(s => s.ScenarioId == b) ? b : 0;
        _sides = new[] { WhatIfQueries.PolicySide, _first, _second }.Where((s, i) => i == 0 || s > 0).ToArray();
        _lines = _first > 0 ? await Allocations.CompareAsync(await Caller.ScopeAsync(), year, _first, _second) : [];
    }

    /// <summary>The form starts from the policy in force (policy_current).</summary>
    private async Task PrefillAsync(int year)
    {
        var policy = (await Policy.Store.ListAsync()).ToDictionary(p => p.Setting, p => p.Value);
        decimal D(string key) => decimal.TryParse(policy.GetValueOrDefault(key), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : 0;
        _draft = new AllocationScenario
        {
            Name = $"方案 {DateTime.Now:MM-dd HH:mm}", FiscalYear = year, SupportedChangePct = 0,
            MidChangePct = D("grade_mid_change_pct"), PoorChangePct = D("grade_poor_change_pct"), AgainChangePct = D("mid_cut_again_change_pct"),
            ExecutionMin = D("year_end_execution_min"), RecoverYears = (int)D("carryover_recover_years"),
        };
        _executionPercent = _draft.ExecutionMin * 100;
        _policyText = _draft.Describe();
    }

    private async Task SaveAsync()
    {
        if (_year is not { } year) return;
        _draft.FiscalYear = year;
        _draft.ExecutionMin = _executionPercent / 100;   // the form's % to the stored ratio (a threshold, not an amount)
        if (_draft.Problem() is { } problem) { _message = problem; return; }
        _saving = true;
        try
        {
            var id = await Scenarios.SaveAsync(_draft, _user);
            _message = null;
            _draft = new AllocationScenario();
            Nav.NavigateTo(Link(year, id, 0));
        }
        catch (System.Data.Common.DbException ex)
        {
            _message = $"方案未保存：{ex.Message}";   // on the form, rather than an event handler's exception ending the circuit
        }
        finally { _saving = false; }
    }

    private async Task DeleteAsync(long id)
    {
        await Scenarios.DeleteAsync(id, _user);
        Nav.NavigateTo(Link(_year ?? 0, id == _first ? 0 : _first, id == _second ? 0 : _second), forceLoad: false);
        _saved = await Scenarios.ListAsync();
    }

    private static string Link(int year, long first, long second) =>
        $"/what-if?year={year}" + (first > 0 ? $"&a={first}" : "") + (second > 0 ? $"&b={second}" : "");

    private string SideName(long side) => side == WhatIfQueries.PolicySide ? "现行政策" : _saved.FirstOrDefault(s => s.ScenarioId == side)?.Name ?? $"#{side}";

    private IEnumerable<WhatIfLine> Departments(long side) =>
        _lines.Where(l => l.Side == side && l.IsScopeTotal == 0 && l.IsRuleTotal == 1);

    private WhatIfLine? Line(long side, string? department) =>
        Departments(side).FirstOrDefault(l => l.DepartmentCode == department);

    private WhatIfLine? Total(long side) => _lines.FirstOrDefault(l => l.Side == side && l.IsScopeTotal == 1 && l.IsRuleTotal == 1);

    /// <summary>The scope's change by rule (the waterfall's steps), rules without projects left out.</summary>
    private IReadOnlyList<(string Label, decimal? Value)> Steps(long side) =>
        RuleOrder.Select(r => _lines.FirstOrDefault(l => l.Side == side && l.IsScopeTotal == 1 && l.IsRuleTotal == 0 && l.Flag == r))
            .OfType<WhatIfLine>().Select(l => (l.Flag!, l.Change)).ToList();
}
