using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>数据上报: the batch history (etl_batch), newest first.</summary>
public sealed class UploadQueries(WarehouseEngine engine) : MartQueries(engine)
{
    /// <summary>The uploader looks for the batch they just sent: read it from the primary.</summary>
    protected override bool ReadsOwnWrites => true;

    /// <summary>
    /// The batch history a caller may see: all of it for every-department roles; for a 部门 user the files it submitted
    /// itself (a batch has no single department: one file may carry many).
    /// </summary>
    public GridQuery Whole(DataScope scope, string userName) => new("etl_batch",
        $"SELECT * FROM etl_batch WHERE {(scope.IsAll ? "TRUE" : "submitted_by = @userName")} ORDER BY batch_id DESC", new { userName });

    public Task<IReadOnlyList<BatchRow>> RecentAsync(DataScope scope, string userName, int limit, CancellationToken ct = default) =>
        ListAsync<BatchRow>("etl_batch", Whole(scope, userName).Sql + " LIMIT @limit",
            new { userName, limit = Math.Clamp(limit, 1, 1000) }, ct);

    /// <summary>Rows of the project mart in scope (one per project, year and period).</summary>
    public Task<long> ProjectRowsAsync(DataScope scope, CancellationToken ct = default)
    {
        var (inScope, p) = Scoped(scope, "department_code");
        return SingleAsync<long>("mart_project_deviation", $"SELECT CAST(COUNT(*) AS BIGINT) FROM mart_project_deviation WHERE {inScope}", p, ct);
    }
}
