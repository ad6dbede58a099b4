using BudgetPerf.Etl.Submissions;
using BudgetPerf.Warehouse.Engines;

namespace BudgetPerf.Etl.Loading;

/// <summary>
/// The 预算执行率 分值 already submitted on the 年度资金总额 line of self-evaluation fund files (latest batch wins),
/// so that a flat 自评指标 file's 分值 can be checked to sum to 100 with it (10 when none was submitted).
/// Asked per (年度, 编码) the file names, once each (<see cref="MemoLookup{TKey,TValue}"/>; issue 15: the whole fund
/// table was read for every indicator file).
/// </summary>
internal static class BudgetWeights
{
    public static Func<int, string, decimal?>? For(WarehouseEngine engine, SubmissionKind kind, Action<(int, string)>? asked = null)
    {
        var (table, code) = kind.Code switch
        {
            "selfeval_indicator" => ("raw_selfeval_fund", "project_code"),
            "dept_selfeval_indicator" => ("raw_dept_selfeval_fund", "department_code"),
            _ => (null, null),
        };
        if (table is null) return null;
        var weights = new MemoLookup<(int Year, string Code), decimal?>(engine,
            $"SELECT weight FROM {table} WHERE fund_line = '年度资金总额' AND weight IS NOT NULL " +
            $"AND fiscal_year = @year AND {code} = @c ORDER BY batch_id DESC LIMIT 1", k => new { year = k.Year, c = k.Code }, asked);
        return (year, c) => weights[(year, c)];
    }
}
