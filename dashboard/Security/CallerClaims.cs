using System.Security.Claims;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Dashboard.Security;

/// <summary>A signed-in user as claims (roles by enum name, one claim per department), and the data scope they give.</summary>
public static class CallerClaims
{
    public const string Scheme = "budgetperf";
    public const string DepartmentClaim = "budgetperf:department";
    public const string RegionClaim = "budgetperf:region";

    /// <summary>Who may upload (数据上报): 部门 for its own departments, 管理员 for all. For <c>[Authorize(Roles = …)]</c>.</summary>
    public const string Uploaders = nameof(Role.Department) + "," + nameof(Role.Admin);

    /// <summary>Who may annotate consequence flags (批注): 财政. The gate is <c>FlagAnnotationService</c>.</summary>
    public const string Annotators = nameof(Role.Finance);

    /// <summary>Users and the audit log (管理).</summary>
    public const string Admins = nameof(Role.Admin);

    public const string SignedInAtClaim = "budgetperf:signed-in-at";

    /// <summary>The user's claims; <paramref name="signedInAt"/> (UTC) dates the sign-in for the session's maximum age.</summary>
    public static ClaimsPrincipal PrincipalOf(AppUser user, DateTimeOffset? signedInAt = null)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, user.UserName), new("display_name", user.DisplayName) };
        if (signedInAt is { } at) claims.Add(new Claim(SignedInAtClaim, at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        claims.AddRange(user.RoleList.Select(r => new Claim(ClaimTypes.Role, r.ToString())));
        claims.AddRange(user.DepartmentList.Select(d => new Claim(DepartmentClaim, d)));
        if (user.RegionCode is { Length: > 0 } region) claims.Add(new Claim(RegionClaim, region));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>Whether the sign-in is older than <paramref name="maxSession"/> (or carries no date).</summary>
    public static bool IsExpired(ClaimsPrincipal user, TimeSpan maxSession, DateTimeOffset now) =>
        !long.TryParse(user.FindFirst(SignedInAtClaim)?.Value, out var at) || DateTimeOffset.FromUnixTimeSeconds(at) + maxSession < now;

    public static bool Has(this ClaimsPrincipal user, Role role) => user.IsInRole(role.ToString());

    /// <summary>
    /// A user scoped to a 区划 sees its departments whatever the roles; else everything for 领导/财政/分析/管理员, a 部门
    /// user's own departments, nothing for anyone else.
    /// </summary>
    public static DataScope ScopeOf(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? DataScope.ForUser(user.FindFirst(RegionClaim)?.Value, Enum.GetValues<Role>().Where(user.Has),
                user.FindAll(DepartmentClaim).Select(c => c.Value))
            : DataScope.Of([]);

    /// <summary>The name shown in the header and written to the audit log.</summary>
    public static string NameOf(ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";

    public static string DisplayNameOf(ClaimsPrincipal user) => user.FindFirst("display_name")?.Value ?? NameOf(user);

    /// <summary>The Chinese names of the user's roles (领导、财政 …).</summary>
    public static string RoleNamesOf(ClaimsPrincipal user) =>
        string.Join("、", Enum.GetValues<Role>().Where(user.Has).Select(Roles.NameOf));
}
