using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;
using Dapper;

namespace BudgetPerf.Warehouse.Scenarios;

/// <summary>
/// 预算安排模拟方案 (allocation_scenario): saved, listed, deleted (soft) — each write with an audit_log row in one
/// transaction ('scenario.save' / 'scenario.delete'), like 政策参数 changes. Never touches policy_override.
/// Who may save is the dashboard's gate (领导, 财政), not the store's.
/// </summary>
public sealed class ScenarioStore(WarehouseEngine engine)
{
    /// <summary>Saves a new scenario (after <see cref="AllocationScenario.Problem"/>), audits it, returns its id.</summary>
    public async Task<long> SaveAsync(AllocationScenario s, string owner, CancellationToken ct = default)
    {
        if (s.Problem() is { } problem) throw new ArgumentException(problem);
        s.Name = s.Name.Trim();
        s.Owner = owner;
        var now = DateTime.Now;
        s.CreatedAt = new DateTime(now.Ticks - now.Ticks % 10, now.Kind);
        await using var connection = await engine.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        s.ScenarioId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(engine.Sql("""
            INSERT INTO allocation_scenario (name, owner, created_at, fiscal_year, supported_change_pct, mid_change_pct,
                poor_change_pct, again_change_pct, execution_min, recover_years, note)
            VALUES (@Name, @Owner, @CreatedAt, @FiscalYear, @SupportedChangePct, @MidChangePct, @PoorChangePct,
                @AgainChangePct, @ExecutionMin, @RecoverYears, @Note)
            RETURNING scenario_id
            """), new
            {
                s.Name, s.Owner, s.CreatedAt, s.FiscalYear, s.SupportedChangePct, s.MidChangePct, s.PoorChangePct,
                s.AgainChangePct, s.ExecutionMin, s.RecoverYears, s.Note,
            }, tx, cancellationToken: ct));
        await AuditLog.AppendAsync(engine, connection, tx, owner, "scenario.save", $"#{s.ScenarioId} {s.Name}：{s.Describe()}", "ok", ct);
        await Caching.WarehouseVersion.BumpAsync(engine, connection, tx, "scenario.save", ct);
        await tx.CommitAsync(ct);
        Caching.WarehouseVersion.Committed(engine);
        return s.ScenarioId;
    }

    /// <summary>Every saved (not deleted) scenario, newest first; scenarios are shared among 领导 and 财政.</summary>
    public async Task<IReadOnlyList<AllocationScenario>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        return (await connection.QueryAsync<AllocationScenario>(new CommandDefinition(
            "SELECT * FROM allocation_scenario WHERE deleted_at IS NULL ORDER BY created_at DESC, scenario_id DESC",
            cancellationToken: ct))).AsList();
    }

    /// <summary>Marks the scenario deleted (its row stays for the audit trail) and audits it; false when there is none.</summary>
    public async Task<bool> DeleteAsync(long id, string actor, CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var name = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(engine.Sql(
            "SELECT name FROM allocation_scenario WHERE scenario_id = @id AND deleted_at IS NULL"), new { id }, tx, cancellationToken: ct));
        if (name is null) return false;
        await connection.ExecuteAsync(new CommandDefinition(engine.Sql(
            "UPDATE allocation_scenario SET deleted_at = @at WHERE scenario_id = @id"), new { id, at = DateTime.Now }, tx, cancellationToken: ct));
        await AuditLog.AppendAsync(engine, connection, tx, actor, "scenario.delete", $"#{id} {name}", "ok", ct);
        await Caching.WarehouseVersion.BumpAsync(engine, connection, tx, "scenario.delete", ct);
        await tx.CommitAsync(ct);
        Caching.WarehouseVersion.Committed(engine);
        return true;
    }
}
