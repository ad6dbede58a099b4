using BudgetPerf.Warehouse.Queries;
using Microsoft.AspNetCore.Components;

namespace BudgetPerf.Dashboard.Components;

/// <summary>Filters live in the URL: helpers shared by the pages.</summary>
public static class PageState
{
    /// <summary>Navigates to the current page with some query parameters changed (null removes one).</summary>
    public static void With(this NavigationManager nav, IReadOnlyDictionary<string, object?> changes) =>
        nav.NavigateTo(nav.GetUriWithQueryParameters(changes));

    /// <summary>The year and period to show: the URL's, else the latest year's first period.</summary>
    public static (int? Year, string? Period) Resolve(IReadOnlyList<YearPeriod> choices, int? year, string? period)
    {
        var y = year is { } given && choices.Any(c => c.FiscalYear == given) ? given : choices.Select(c => (int?)c.FiscalYear).FirstOrDefault();
        var periods = choices.Where(c => c.FiscalYear == y).OrderBy(c => c.SortOrder).Select(c => c.Period).ToList();
        var p = period is not null && periods.Contains(period) ? period : periods.FirstOrDefault();
        return (y, p);
    }

    /// <summary>The path and query of the current URL (the breadcrumb's way back).</summary>
    public static string Relative(this NavigationManager nav) => "/" + nav.ToBaseRelativePath(nav.Uri);

    public static string Money(decimal? v) => v is { } d ? d.ToString("N2", Zh) : "—";
    public static string Percent(decimal? v) => v is { } d ? (d * 100).ToString("0.0", Zh) + "%" : "—";

    public static readonly System.Globalization.CultureInfo Zh = System.Globalization.CultureInfo.GetCultureInfo("zh-CN");
}
