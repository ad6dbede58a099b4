using BudgetPerf.Warehouse.Engines;

namespace BudgetPerf.Warehouse.Queries;

/// <summary>
/// 绩效监控报告 (附件4): the figures of one project at one monitoring period, from the same marts as the project page,
/// so the report and the dashboard agree to the cent.
/// </summary>
public sealed class ReportQueries(WarehouseEngine engine) : MartQueries(engine)
{
    /// <summary>Budget, execution and 序时进度 of the project at the period (mart_project_deviation).</summary>
    public Task<DeviationRow?> DeviationAtAsync(string project, int year, string period, CancellationToken ct = default) =>
        SingleAsync<DeviationRow>("mart_project_deviation", """
            SELECT * FROM mart_project_deviation
            WHERE project_code = @project AND fiscal_year = @year AND period = @period
            """, new { project, year, period }, ct);

    /// <summary>Every indicator monitored at the period, with its parsed target, expected value and light (mart_indicator_derivation).</summary>
    public Task<IReadOnlyList<IndicatorDerivationRow>> IndicatorsAtAsync(string project, int year, string period, CancellationToken ct = default) =>
        ListAsync<IndicatorDerivationRow>("mart_indicator_derivation", """
            SELECT * FROM mart_indicator_derivation
            WHERE project_code = @project AND fiscal_year = @year AND period = @period AND stage = '监控'
            ORDER BY source_row, level1, level2, level3
            """, new { project, year, period }, ct);
}
