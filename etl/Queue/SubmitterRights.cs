using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Etl.Queue;

/// <summary>
/// 提交人当前权限: what the account of a queued submission may upload when the worker loads it, read from <c>app_user</c>
/// then, not as it was when the file was accepted. A bureau disables or rescopes an account because the person may no
/// longer report for those departments (moved post, left, 权责统一 "谁支出，谁负责"); a file still waiting must not load
/// on the strength of rights that are gone. So: an account disabled (or gone) since, or without an uploading role
/// (部门, 管理员) any more, has its submission 已拒绝 naming the reason; otherwise the rows are checked against the
/// account's current departments or 区划, row by row, exactly as at upload (a row now outside is an error naming its
/// cell, and nothing of the file loads). A temporary sign-in lockout (failed passwords) is not a change of rights.
/// The scope rule is the sign-in's (<see cref="DataScope.ForUser"/>).
/// </summary>
public static class SubmitterRights
{
    /// <summary>The account's upload scope now, or the reason it may no longer upload.</summary>
    public static async Task<(DataScope? Scope, string? Refusal)> CurrentAsync(WarehouseEngine engine, string userName,
        CancellationToken ct = default)
    {
        var user = await new UserStore(engine).FindAsync(userName, ct);
        if (user is null) return (null, $"提交人账号“{userName}”不存在，文件未入库");
        if (user.IsDisabled) return (null, $"提交人账号“{userName}”在受理后已停用，文件未入库");
        return ScopeOf(user) is { } scope ? (scope, null)
            : (null, $"提交人账号“{userName}”在受理后已无上报权限（部门或管理员角色），文件未入库");
    }

    /// <summary>The scope an account uploads with; null when none of its roles uploads.</summary>
    public static DataScope? ScopeOf(AppUser user)
    {
        var roles = user.RoleList;
        if (!roles.Contains(Role.Department) && !roles.Contains(Role.Admin)) return null;
        return DataScope.ForUser(user.RegionCode, roles, user.DepartmentList);
    }
}
