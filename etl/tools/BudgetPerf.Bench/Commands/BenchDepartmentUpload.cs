using System.Data.Common;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Bench.Commands;

/// <summary>
/// <c>bench build</c>'s one-department upload (issue 15, 增量模型): the department with the most projects resubmits
/// its current 监控资金 and 监控指标 rows of the latest 年度 unchanged, as two new loaded batches (one per file, as the
/// loader records them). The figures stay what they were; the next build sees two new batches touching that
/// department's (年度, 期间, 部门) slices, which is what an incremental build after a real upload has to do.
/// </summary>
public static class BenchDepartmentUpload
{
    public sealed record Upload(string Department, long Rows);

    /// <summary>
    /// The <paramref name="departments"/> departments with the most projects resubmit (1: <c>bench build</c>'s one
    /// upload; ~10: a deadline-week worker pass, <c>bench build --incremental-only --departments 10</c>).
    /// </summary>
    public static async Task<Upload> ResubmitAsync(WarehouseEngine engine, CancellationToken ct, int departments = 1)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var chosen = (await connection.QueryAsync<string>(engine.Sql("""
            SELECT department_code FROM dim_project WHERE department_code IS NOT NULL
            GROUP BY department_code ORDER BY COUNT(*) DESC, department_code LIMIT @departments
            """), new { departments })).ToList();
        var rows = 0L;
        foreach (var department in chosen)
            foreach (var (source, table) in new[] { ("monitoring_fund", "raw_monitoring_fund"), ("monitoring_indicator", "raw_monitoring_indicator") })
                rows += await CopyAsync(engine, connection, source, table, department);
        await tx.CommitAsync(ct);
        return new Upload(string.Join(",", chosen), rows);
    }

    private static async Task<long> CopyAsync(WarehouseEngine engine, DbConnection connection, string source, string table, string department)
    {
        var batch = Convert.ToInt64(await connection.ExecuteScalarAsync("SELECT nextval('etl_batch_seq')"));
        var columns = (await engine.ColumnsOfAsync(connection, table)).Select(c => c.Name).ToList();
        var copied = string.Join(", ", columns.Select(c => c == "batch_id" ? "@batch" : "r." + c));
        var rows = await connection.ExecuteAsync(engine.Sql($"""
            INSERT INTO {table} ({string.Join(", ", columns)})
            SELECT {copied} FROM {table} AS r
            WHERE r.fiscal_year = (SELECT MAX(fiscal_year) FROM stg_current_batch WHERE source_name = @source)
              AND EXISTS (
                SELECT 1 FROM stg_current_batch AS c
                INNER JOIN dim_project AS p ON p.project_code = c.entity_code AND p.department_code = @department
                WHERE c.source_name = @source AND c.batch_id = r.batch_id AND c.entity_code = trim(r.project_code)
                  AND c.fiscal_year = r.fiscal_year)
            """), new { batch, source, department }, commandTimeout: 0);
        await connection.ExecuteAsync(engine.Sql("""
            INSERT INTO etl_batch (batch_id, file_name, sha256, kind, row_count, warning_count, error_count, loaded_at, status, submitted_by)
            VALUES (@batch, @file, @sha, @source, @rows, 0, 0, @at, 'loaded', 'bench build')
            """), new
        {
            batch, file = $"bench_{department}_{source}.csv", sha = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()).PadRight(64, '0'),
            source, rows, at = DateTime.Now,
        });
        return rows;
    }
}
