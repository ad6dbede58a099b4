using System.Security.Claims;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Policy;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Dashboard.Security;

/// <summary>The outcome of a 政策参数 change: the problem with the value, or the rebuild it caused.</summary>
public sealed record PolicyChange(string? Problem, BuildResult? Build);

/// <summary>
/// 政策参数 for 管理员 only: a valid new value is recorded (audited) and the models rebuild, so every mart uses it.
/// </summary>
public sealed class PolicyService(WarehouseEngine engine, WarehouseRebuild rebuild)
{
    public PolicyStore Store { get; } = new(engine);

    public async Task<PolicyChange> ChangeAsync(ClaimsPrincipal user, string setting, string value, string? reason, CancellationToken ct = default)
    {
        if (!user.Has(Role.Admin)) throw new UnauthorizedAccessException("只有管理员可以修改政策参数");
        if (await Store.ProblemAsync(setting, value, ct) is { } problem) return new PolicyChange(problem, null);
        await Store.SetAsync(setting, value, CallerClaims.NameOf(user), reason, ct);
        return new PolicyChange(null, await rebuild.RunAsync(ct));
    }
}
