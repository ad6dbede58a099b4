using BudgetPerf.Dashboard.Components.Shared;
using BudgetPerf.Warehouse.Queries;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace BudgetPerf.Tests.Component;

/// <summary>bUnit (issue 17): the stacked grade bars, the transition matrix and the cross-filter chips.</summary>
public sealed class LeadershipComponentTests
{
    private static BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        return ctx;
    }

    // the grade_band seed's order, then 未评 (no band)
    private static readonly IReadOnlyList<GradeName> Grades =
    [
        new() { Grade = "优", SortOrder = 1, IsBand = true }, new() { Grade = "良", SortOrder = 2, IsBand = true },
        new() { Grade = "中", SortOrder = 3, IsBand = true }, new() { Grade = "差", SortOrder = 4, IsBand = true },
        new() { Grade = "未评", SortOrder = 5, IsBand = false },
    ];

    // 教育局 (101): 优 6, 差 2 → 8 projects; 交通局 (102): 良 1, 差 3 → 4 projects
    private static readonly IReadOnlyList<GradeCount> Counts =
    [
        new() { DepartmentCode = "101", DepartmentName = "教育局", Grade = "差", Projects = 2 },
        new() { DepartmentCode = "101", DepartmentName = "教育局", Grade = "优", Projects = 6 },
        new() { DepartmentCode = "102", DepartmentName = "交通局", Grade = "良", Projects = 1 },
        new() { DepartmentCode = "102", DepartmentName = "交通局", Grade = "差", Projects = 3 },
    ];

    [Fact]
    public async Task Grade_bars_stack_the_grades_in_the_seed_order_scaled_to_the_largest_department_and_report_clicks()
    {
        await using var ctx = NewContext();
        string? row = null;
        (string, string)? segment = null;
        var cut = ctx.Render<GradeBars>(p => p.Add(x => x.Counts, Counts).Add(x => x.Grades, Grades)
            .Add(x => x.OnRowClick, EventCallback.Factory.Create<string>(this, c => row = c))
            .Add(x => x.OnSegmentClick, EventCallback.Factory.Create<(string, string)>(this, s => segment = s)));

        // by project count: 教育局 (8) above 交通局 (4); 教育局's segments 优 then 差 (seed order, not the input's)
        Assert.Equal(["101", "102"], cut.FindAll("[data-grade-bar]").Select(e => e.GetAttribute("data-grade-bar")));
        Assert.Equal(["优", "差"], cut.FindAll("[data-grade-bar='101'] [data-grade]").Select(e => e.GetAttribute("data-grade")));
        // widths against the largest total 8: 优 6/8 = 75%, 差 2/8 = 25%; 交通局's 差 3/8 = 37.5%
        Assert.Contains("width:75%", cut.Find("[data-grade-bar='101'] [data-grade='优']").GetAttribute("style"));
        Assert.Contains("width:25%", cut.Find("[data-grade-bar='101'] [data-grade='差']").GetAttribute("style"));
        Assert.Contains("width:37.5%", cut.Find("[data-grade-bar='102'] [data-grade='差']").GetAttribute("style"));
        // the best band green, the fourth red
        Assert.Contains("#2e7d32", cut.Find("[data-grade-bar='101'] [data-grade='优']").GetAttribute("style"));
        Assert.Contains("#c62828", cut.Find("[data-grade-bar='101'] [data-grade='差']").GetAttribute("style"));

        // sorted by the share of 差: 交通局 3/4 = 75% before 教育局 2/8 = 25%
        cut.Find("[data-grade-sort]").Change("share:差");
        Assert.Equal(["102", "101"], cut.FindAll("[data-grade-bar]").Select(e => e.GetAttribute("data-grade-bar")));

        cut.Find("[data-grade-bar-label='102']").Click();
        Assert.Equal("102", row);
        cut.Find("[data-grade-bar='101'] [data-grade='优']").Click();
        Assert.Equal(("101", "优"), segment);
    }

    [Fact]
    public async Task Transition_matrix_colours_moves_up_green_and_down_red_and_a_click_reports_the_cell()
    {
        await using var ctx = NewContext();
        (string, string)? opened = null;
        IReadOnlyList<GradeTransition> transitions =
        [
            new() { FromGrade = "中", ToGrade = "优", Projects = 4 }, new() { FromGrade = "优", ToGrade = "中", Projects = 2 },
            new() { FromGrade = "差", ToGrade = "差", Projects = 4 },
        ];
        var cut = ctx.Render<TransitionMatrix>(p => p.Add(x => x.Transitions, transitions).Add(x => x.Grades, Grades)
            .Add(x => x.OnCellClick, EventCallback.Factory.Create<(string, string)>(this, c => opened = c)));

        // 5 × 5 cells; 良 → 良 empty
        Assert.Equal(25, cut.FindAll("td[data-from]").Count);
        Assert.Equal("", cut.Find("td[data-from='良'][data-to='良']").TextContent);
        // 中 → 优 (up, the fullest: t = 0.25 + 0.75 × 4/4 = 1) is the pure green (46,125,50);
        // 优 → 中 (down, t = 0.25 + 0.75 × 2/4 = 0.625): 255 + (198 − 255) × 0.625 = 219.4 → 219, 255 − 215 × 0.625 = 120.6 → 121
        Assert.Contains("rgb(46,125,50)", cut.Find("td[data-from='中'][data-to='优']").GetAttribute("style"));
        Assert.Contains("rgb(219,121,121)", cut.Find("td[data-from='优'][data-to='中']").GetAttribute("style"));
        Assert.Equal("2", cut.Find("td[data-from='优'][data-to='中']").TextContent);

        cut.Find("td[data-from='优'][data-to='中']").Click();
        Assert.Equal(("优", "中"), opened);
    }

    [Fact]
    public async Task Cross_filter_chips_name_each_part_and_clear_one_or_all()
    {
        await using var ctx = NewContext();
        var cleared = new List<string?>();
        var filter = CrossFilter.FromQuery("101", "red", "差") with { GradeYear = 2025 };
        var cut = ctx.Render<CrossFilterChips>(p => p.Add(x => x.Filter, filter).Add(x => x.DepartmentName, "教育局")
            .Add(x => x.OnClear, EventCallback.Factory.Create<string?>(this, part => cleared.Add(part))));

        Assert.Contains("部门：教育局", cut.Find("[data-crossfilter-part='dept']").TextContent);
        Assert.Contains("预警：红灯", cut.Find("[data-crossfilter-part='light']").TextContent);
        Assert.Contains("等级：差（2025 年）", cut.Find("[data-crossfilter-part='grade']").TextContent);
        cut.Find("[data-crossfilter-clear]").Click();
        Assert.Equal([null], cleared);

        // no filter, no chips; a light that is no light is dropped from the URL's values
        var none = ctx.Render<CrossFilterChips>(p => p.Add(x => x.Filter, CrossFilter.FromQuery(" ", "purple", null)));
        Assert.Empty(none.FindAll("[data-crossfilter]"));
    }
}
