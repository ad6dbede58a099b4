namespace BudgetPerf.Warehouse.Security;

/// <summary>What a user may do; stored in <c>app_user.roles</c> by its Chinese name.</summary>
public enum Role
{
    /// <summary>领导: reads everything.</summary>
    Leader,

    /// <summary>财政: reads everything; may annotate flags.</summary>
    Finance,

    /// <summary>分析: reads everything; exports.</summary>
    Analyst,

    /// <summary>部门: reads and uploads for its own department(s) only.</summary>
    Department,

    /// <summary>管理员: users and policy seeds.</summary>
    Admin,
}

/// <summary>The Chinese role names of the warehouse and the forms, both ways.</summary>
public static class Roles
{
    private static readonly (Role Role, string Name)[] Names =
    [
        (Role.Leader, "领导"), (Role.Finance, "财政"), (Role.Analyst, "分析"), (Role.Department, "部门"), (Role.Admin, "管理员"),
    ];

    public static IReadOnlyList<string> AllNames { get; } = Names.Select(n => n.Name).ToArray();

    public static string NameOf(Role role) => Names.Single(n => n.Role == role).Name;

    /// <summary>A role by its Chinese name (or the enum name, any case); null when there is no such role.</summary>
    public static Role? TryParse(string text)
    {
        var trimmed = text.Trim();
        foreach (var (role, name) in Names)
            if (trimmed == name || string.Equals(trimmed, role.ToString(), StringComparison.OrdinalIgnoreCase))
                return role;
        return null;
    }

    /// <summary>The stored comma list (<c>部门,分析</c>) as roles; unknown names are dropped.</summary>
    public static IReadOnlyList<Role> ParseList(string? stored) =>
        Split(stored).Select(TryParse).OfType<Role>().Distinct().ToArray();

    public static string Join(IEnumerable<Role> roles) => string.Join(",", roles.Distinct().Select(NameOf));

    /// <summary>The items of a stored comma list, trimmed, without blanks.</summary>
    public static IReadOnlyList<string> Split(string? stored) =>
        (stored ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
