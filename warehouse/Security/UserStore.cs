using System.Data.Common;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Warehouse.Security;

/// <summary>
/// The users of <c>app_user</c> (migration 0015). Every change writes an <c>audit_log</c> row in the same
/// transaction. The store keeps password hashes only; hashing is the caller's (dashboard/Security).
/// </summary>
public sealed class UserStore(WarehouseEngine engine)
{
    /// <summary>Adds the user; false (and a 'refused' audit row) when the name is taken.</summary>
    public async Task<bool> AddAsync(AppUser user, string actor, CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var detail = $"{user.UserName} roles={user.Roles} departments={user.Departments}" + (user.RegionCode is null ? "" : $" region={user.RegionCode}");
        if (await ExistsAsync(connection, tx, user.UserName, ct))
        {
            await AuditAsync(connection, tx, actor, "user.add", detail + " (name taken)", "refused", ct);
            await tx.CommitAsync(ct);
            return false;
        }
        await connection.ExecuteAsync(new CommandDefinition(engine.Sql("""
            INSERT INTO app_user (user_name, display_name, password_hash, roles, departments, is_disabled, failed_attempts, locked_until, created_at, region_code)
            VALUES (@UserName, @DisplayName, @PasswordHash, @Roles, @Departments, FALSE, 0, NULL, @CreatedAt, @RegionCode)
            """), new { user.UserName, user.DisplayName, user.PasswordHash, user.Roles, user.Departments, user.CreatedAt, user.RegionCode }, tx, cancellationToken: ct));
        await AuditAsync(connection, tx, actor, "user.add", detail, "ok", ct);
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<AppUser?> FindAsync(string userName, CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<AppUser>(new CommandDefinition(
            engine.Sql("SELECT * FROM app_user WHERE user_name = @userName"), new { userName }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<AppUser>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        return (await connection.QueryAsync<AppUser>(new CommandDefinition(
            "SELECT * FROM app_user ORDER BY user_name", cancellationToken: ct))).AsList();
    }

    /// <summary>Disables the user (sign-in refused from then on); false when there is no such user.</summary>
    public Task<bool> DisableAsync(string userName, string actor, CancellationToken ct = default) =>
        ChangeAsync(userName, actor, "user.disable", userName,
            "UPDATE app_user SET is_disabled = TRUE WHERE user_name = @userName", new { userName }, ct);

    /// <summary>Replaces the password hash and clears failed attempts and lockout; false when there is no such user.</summary>
    public Task<bool> SetPasswordHashAsync(string userName, string passwordHash, string actor, CancellationToken ct = default) =>
        ChangeAsync(userName, actor, "user.reset-password", userName,
            "UPDATE app_user SET password_hash = @passwordHash, failed_attempts = 0, locked_until = NULL WHERE user_name = @userName",
            new { userName, passwordHash }, ct);

    /// <summary>
    /// A failed sign-in of an existing user: counts it and, at <paramref name="lockAfter"/> failures in a row, locks the
    /// account until <paramref name="lockedUntil"/>; audited with <paramref name="reason"/>. Returns the failures so far.
    /// </summary>
    public async Task<int> RecordFailedSignInAsync(string userName, int lockAfter, DateTime lockedUntil, string reason, CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var failures = await connection.ExecuteScalarAsync<int>(new CommandDefinition(engine.Sql(
            "SELECT failed_attempts FROM app_user WHERE user_name = @userName"), new { userName }, tx, cancellationToken: ct)) + 1;
        var locks = failures >= lockAfter;
        await connection.ExecuteAsync(new CommandDefinition(engine.Sql(locks
                ? "UPDATE app_user SET failed_attempts = 0, locked_until = @lockedUntil WHERE user_name = @userName"
                : "UPDATE app_user SET failed_attempts = @failures WHERE user_name = @userName"),
            new { userName, failures, lockedUntil }, tx, cancellationToken: ct));
        await AuditAsync(connection, tx, userName, "sign-in", locks ? $"{reason}; 连续失败 {failures} 次，锁定至 {lockedUntil:yyyy-MM-dd HH:mm}" : reason,
            "refused", ct);
        await tx.CommitAsync(ct);
        return failures;
    }

    /// <summary>A successful sign-in: clears the failure count and any expired lock; audited.</summary>
    public async Task RecordSignInAsync(string userName, string? detail, CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(engine.Sql(
            "UPDATE app_user SET failed_attempts = 0, locked_until = NULL WHERE user_name = @userName"), new { userName }, tx, cancellationToken: ct));
        await AuditAsync(connection, tx, userName, "sign-in", detail, "ok", ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Appends one audit row on its own (sign-ins, uploads, exports).</summary>
    public async Task AuditAsync(string actor, string action, string? detail, string outcome, CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        await AuditAsync(connection, null, actor, action, detail, outcome, ct);
    }

    /// <summary>Several audit rows in one transaction (a worker pass's files: issue 15, one connection and commit per file was a fixed cost).</summary>
    public async Task AuditAllAsync(IReadOnlyList<(string Actor, string Action, string? Detail, string Outcome)> rows, CancellationToken ct = default)
    {
        if (rows.Count == 0) return;
        await using var connection = await engine.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        foreach (var (actor, action, detail, outcome) in rows) await AuditAsync(connection, tx, actor, action, detail, outcome, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The newest audit rows first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> RecentAuditAsync(int limit, CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        return (await connection.QueryAsync<AuditEntry>(new CommandDefinition(
            engine.Sql("SELECT * FROM audit_log ORDER BY logged_at DESC LIMIT @limit"),
            new { limit = Math.Clamp(limit, 1, 10_000) }, cancellationToken: ct))).AsList();
    }

    private async Task<bool> ChangeAsync(string userName, string actor, string action, string detail, string sql, object param, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var found = await ExistsAsync(connection, tx, userName, ct);
        if (found)
            await connection.ExecuteAsync(new CommandDefinition(engine.Sql(sql), param, tx, cancellationToken: ct));
        await AuditAsync(connection, tx, actor, action, found ? detail : detail + " (no such user)", found ? "ok" : "refused", ct);
        await tx.CommitAsync(ct);
        return found;
    }

    private async Task<bool> ExistsAsync(DbConnection connection, DbTransaction tx, string userName, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            engine.Sql("SELECT CAST(COUNT(*) AS BIGINT) FROM app_user WHERE user_name = @userName"), new { userName }, tx, cancellationToken: ct)) > 0;

    private Task AuditAsync(DbConnection connection, DbTransaction? tx, string actor, string action, string? detail, string outcome, CancellationToken ct) =>
        AuditLog.AppendAsync(engine, connection, tx, actor, action, detail, outcome, ct);
}

/// <summary>One <c>app_user</c> row.</summary>
public sealed class AppUser
{
    public string UserName { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string PasswordHash { get; set; } = "";

    /// <summary>Comma list of Chinese role names (领导,财政,分析,部门,管理员).</summary>
    public string Roles { get; set; } = "";

    /// <summary>Comma list of department codes (主管部门编码) a 部门 user may see.</summary>
    public string Departments { get; set; } = "";

    public bool IsDisabled { get; set; }
    public int FailedAttempts { get; set; }
    public DateTime? LockedUntil { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>区划代码 of the 省/市/县 the user is scoped to (migration 0051), or null.</summary>
    public string? RegionCode { get; set; }

    public IReadOnlyList<Role> RoleList => Security.Roles.ParseList(Roles);
    public IReadOnlyList<string> DepartmentList => Security.Roles.Split(Departments);
}

/// <summary>One <c>audit_log</c> row.</summary>
public sealed class AuditEntry
{
    public DateTime LoggedAt { get; set; }
    public string UserName { get; set; } = "";
    public string Action { get; set; } = "";
    public string? Detail { get; set; }
    public string Outcome { get; set; } = "";
}
