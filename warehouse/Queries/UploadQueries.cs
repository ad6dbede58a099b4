using BudgetPerf.Warehouse.Engines;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>数据上报: the batch history (etl_batch), newest first.</summary>
public sealed class UploadQueries(WarehouseEngine engine) : MartQueries(engine)
{
    public GridQuery Whole() => new("etl_batch", "SELECT * FROM etl_batch ORDER BY batch_id DESC", null);

    public Task<IReadOnlyList<BatchRow>> RecentAsync(int limit, CancellationToken ct = default) =>
        ListAsync<BatchRow>("etl_batch", "SELECT * FROM etl_batch ORDER BY batch_id DESC LIMIT @limit",
            new { limit = Math.Clamp(limit, 1, 1000) }, ct);

    /// <summary>Rows of the project mart (one per project, year and period).</summary>
    public Task<long> ProjectRowsAsync(CancellationToken ct = default) => SingleAsync<long>("mart_project_deviation",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM mart_project_deviation", ct: ct);
}
