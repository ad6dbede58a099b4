using System.Data.Common;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Warehouse.Security;

/// <summary>The one INSERT into <c>audit_log</c> (migration 0015), for every store that audits in its own transaction.</summary>
internal static class AuditLog
{
    public static Task AppendAsync(WarehouseEngine engine, DbConnection connection, DbTransaction? tx, string actor, string action,
        string? detail, string outcome, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(engine.Sql(
                "INSERT INTO audit_log (logged_at, user_name, action, detail, outcome) VALUES (@loggedAt, @actor, @action, @detail, @outcome)"),
            new { loggedAt = DateTime.Now, actor, action, detail, outcome }, tx, cancellationToken: ct));
}
