using System.Text.RegularExpressions;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Warehouse.Security;

/// <summary>
/// BI 只读登录 (issue 18): a PostgreSQL login for Power BI, Excel or FineBI that reads the <c>bi</c> schema and nothing
/// else. It is a member of the group role <c>budgetperf_bi</c> (USAGE on bi, SELECT on its views, granted at every model
/// build), read-only by default, with bi first on its search_path; its departments are rows of <c>bi_access</c>
/// (none = every department), which every bi view filters on for current_user.
/// </summary>
public sealed partial class BiLogins(WarehouseEngine engine)
{
    public const string GroupRole = "budgetperf_bi";

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex LoginName();

    /// <summary>Why <paramref name="name"/> cannot be a login name, or null.</summary>
    public static string? NameProblem(string name) => LoginName().IsMatch(name)
        ? null
        : $"登录名“{name}”不合用：须以小写字母开头，只含小写字母、数字和下划线，最长 63 个字符";

    /// <summary>
    /// Creates the login with <paramref name="password"/> and grants it <paramref name="departments"/> (empty = all).
    /// Returns the problem (an existing login, an unknown department, a DuckDB warehouse) or null when it was created.
    /// </summary>
    public async Task<string?> AddAsync(string name, IReadOnlyList<string> departments, string password, string actor, CancellationToken ct = default)
    {
        if (engine.Name != "postgres")
            return "BI 登录只用于 PostgreSQL 仓库；DuckDB 文件的 bi 视图由 Excel / ODBC 直接打开文件读取，没有登录";
        if (NameProblem(name) is { } problem) return problem;
        await using var connection = await engine.OpenAsync(ct);
        if (await engine.RelationTypeAsync(connection, "bi_access", ct) is null) return "仓库尚未初始化（先运行 budgetperf init）";
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM pg_roles WHERE rolname = @name", new { name }, cancellationToken: ct)) > 0)
            return $"数据库角色 {name} 已存在";
        var codes = departments.Select(d => d.Trim()).Where(d => d.Length > 0).Distinct().ToArray();
        if (codes.Length > 0 && await engine.RelationTypeAsync(connection, "dim_department", ct) is not null)
        {
            var known = (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT department_code FROM dim_department WHERE department_code = ANY(@codes)", new { codes }, cancellationToken: ct))).ToHashSet();
            if (codes.FirstOrDefault(c => !known.Contains(c)) is { } unknown) return $"没有部门 {unknown}";
        }

        await using var tx = await connection.BeginTransactionAsync(ct);
        // role names and passwords cannot be parameters: the name matched ^[a-z][a-z0-9_]*$, the password is quoted
        var quoted = password.Replace("'", "''");
        await connection.ExecuteAsync($"""
            DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{GroupRole}') THEN CREATE ROLE {GroupRole} NOLOGIN; END IF;
                IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'bi') THEN
                    GRANT USAGE ON SCHEMA bi TO {GroupRole};
                    GRANT SELECT ON ALL TABLES IN SCHEMA bi TO {GroupRole};
                END IF;
            END $$;
            CREATE ROLE "{name}" LOGIN PASSWORD '{quoted}' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION INHERIT IN ROLE {GroupRole};
            ALTER ROLE "{name}" SET search_path = bi;
            ALTER ROLE "{name}" SET default_transaction_read_only = on;
            """, transaction: tx);
        var at = DateTime.Now;
        var rows = codes.Length == 0 ? [(string?)null] : codes.Select(c => (string?)c).ToArray();
        foreach (var code in rows)
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO bi_access (role_name, department_code, granted_by, granted_at) VALUES (@name, @code, @actor, @at)",
                new { name, code, actor, at }, tx, cancellationToken: ct));
        await AuditLog.AppendAsync(engine, connection, tx, actor, "bi.add",
            $"{name}：{(codes.Length == 0 ? "全部部门" : "部门 " + string.Join(",", codes))}", "ok", ct);
        await tx.CommitAsync(ct);
        return null;
    }
}
