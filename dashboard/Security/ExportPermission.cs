using System.Security.Claims;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Policy;
using BudgetPerf.Warehouse.Security;
using Microsoft.AspNetCore.Authorization;

namespace BudgetPerf.Dashboard.Security;

/// <summary>The requirement behind the <c>export</c> authorization policy (导出 of grids, issue 18).</summary>
public sealed class ExportRequirement : IAuthorizationRequirement;

/// <summary>
/// Who may export grids (导出) is the 政策参数 <c>export_roles</c> (policy_setting seed; default every role), read at each
/// request so a 管理员's change applies at once. Each role exports within its scope: a 部门 user its own departments.
/// </summary>
public sealed class ExportPermission(WarehouseEngine engine) : AuthorizationHandler<ExportRequirement>
{
    public const string Policy = "export";

    private readonly PolicyStore _store = new(engine);

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ExportRequirement requirement)
    {
        if (await AllowsAsync(context.User)) context.Succeed(requirement);
    }

    public async Task<bool> AllowsAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (user.Identity?.IsAuthenticated != true) return false;
        var roles = await RolesAsync(ct);
        return roles.Any(user.Has);
    }

    /// <summary>The roles the setting names; every role before the first build (no policy_current yet).</summary>
    public async Task<IReadOnlyList<Role>> RolesAsync(CancellationToken ct = default)
    {
        var setting = (await _store.ListAsync(ct)).FirstOrDefault(s => s.Setting == PolicyStore.ExportRoles);
        return setting is null ? Enum.GetValues<Role>() : PolicyStore.RoleList(setting.Value);
    }
}
