using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Dashboard.Security;

/// <summary>
/// The demo's users: one per role and one 部门 user for each of the first few departments, each with a generated
/// password that is returned once (the demo prints it). Users that already exist keep their passwords.
/// </summary>
public static class DemoUsers
{
    public const int DepartmentUsers = 3;

    /// <summary>One demo user; <see cref="Password"/> is null when the user already existed.</summary>
    public sealed record Created(string UserName, string Roles, string Departments, string? Password);

    public static async Task<IReadOnlyList<Created>> EnsureAsync(WarehouseEngine engine, CancellationToken ct = default)
    {
        var accounts = new UserAccounts(engine);
        var departments = (await new RankingQueries(engine).DepartmentsAsync(DataScope.All, ct)).Take(DepartmentUsers).ToList();
        var wanted = new List<UserAccounts.NewUser>
        {
            new("leader", "领导（演示）", ["领导"], []),
            new("finance", "财政（演示）", ["财政"], []),
            new("analyst", "分析（演示）", ["分析"], []),
            new("admin", "管理员（演示）", ["管理员"], []),
            // the meeting room's wall display (/screen, issue 17): a 领导 who only reads
            new("screen", "会议室大屏（领导，演示）", ["领导"], []),
        };
        wanted.AddRange(departments.Select(d => new UserAccounts.NewUser($"dept-{d.DepartmentCode}", d.DepartmentName, ["部门"], [d.DepartmentCode])));
        var created = new List<Created>();
        foreach (var user in wanted)
        {
            var existing = await accounts.Store.FindAsync(user.UserName, ct);
            var password = existing is null ? await accounts.AddAsync(user, null, "demo", ct) : null;
            created.Add(new Created(user.UserName, string.Join(",", user.Roles), string.Join(",", user.Departments), password));
        }
        return created;
    }
}
