using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Warehouse.Scenarios;

/// <summary>
/// 预算安排模拟: the allocation of the policy in force (side 0) beside up to two scenarios, computed in the warehouse
/// by <c>sql/queries/what_if_allocation.sql</c> (the rules of mart_cut_candidates with each side's parameters).
/// </summary>
public sealed class WhatIfQueries(WarehouseEngine engine) : MartQueries(engine)
{
    /// <summary>The query file, read once from the sql folder.</summary>
    private static readonly Lazy<string> Template = new(() =>
        File.ReadAllText(Path.Combine(SqlAssets.Root, "queries", "what_if_allocation.sql")));

    /// <summary>The policy side's id in <see cref="WhatIfLine.Side"/>.</summary>
    public const long PolicySide = 0;

    /// <summary>Lines of the policy in force and of scenarios <paramref name="first"/>, <paramref name="second"/> (0 = none).</summary>
    public Task<IReadOnlyList<WhatIfLine>> CompareAsync(DataScope scope, int year, long first, long second = 0, CancellationToken ct = default)
    {
        var query = Query(scope, year, first, second);
        return ListAsync<WhatIfLine>(query.Requires, query.Sql, query.Parameters, ct);
    }

    /// <summary>The same lines as a grid query, for CSV/xlsx export.</summary>
    public GridQuery Query(DataScope scope, int year, long first, long second = 0)
    {
        var (inScope, p) = Scoped(scope, "projects.department_code", new { year, first, second });
        return new GridQuery("mart_cut_candidates", Template.Value.Replace("{scope}", inScope), p);
    }
}
