using System.Data.Common;
using BudgetPerf.Etl.Submissions;
using Dapper;

namespace BudgetPerf.Etl.Loading;

/// <summary>
/// The 预算执行率 分值 already submitted on the 年度资金总额 line of self-evaluation fund files (latest batch wins),
/// so that a flat 自评指标 file's 分值 can be checked to sum to 100 with it (10 when none was submitted).
/// </summary>
internal static class BudgetWeights
{
    private sealed record Row(int FiscalYear, string Code, decimal Weight);

    public static async Task<Func<int, string, decimal?>?> ForAsync(DbConnection connection, SubmissionKind kind)
    {
        var (table, code) = kind.Code switch
        {
            "selfeval_indicator" => ("raw_selfeval_fund", "project_code"),
            "dept_selfeval_indicator" => ("raw_dept_selfeval_fund", "department_code"),
            _ => (null, null),
        };
        if (table is null) return null;
        var rows = await connection.QueryAsync<Row>(
            $"SELECT fiscal_year, {code} AS code, weight FROM {table} " +
            "WHERE fund_line = '年度资金总额' AND weight IS NOT NULL ORDER BY batch_id");
        var weights = new Dictionary<(int, string), decimal>();
        foreach (var r in rows) weights[(r.FiscalYear, r.Code)] = r.Weight;
        return weights.Count == 0 ? null : (year, c) => weights.TryGetValue((year, c), out var w) ? w : null;
    }
}
