using System.Security.Cryptography;
using BudgetPerf.Warehouse.Engines;
using Microsoft.AspNetCore.Identity;

namespace BudgetPerf.Warehouse.Security;

/// <summary>
/// Users with passwords: ASP.NET Core's <see cref="PasswordHasher{TUser}"/> over the warehouse's <see cref="UserStore"/>.
/// The password itself is never stored; a generated one is returned once for the caller to show.
/// </summary>
public sealed class UserAccounts(WarehouseEngine engine)
{
    private static readonly PasswordHasher<AppUser> Hasher = new();

    public UserStore Store { get; } = new(engine);

    /// <summary>A new user as asked for, checked: known roles, and at least one department for a 部门 user.</summary>
    /// <param name="Region">区划代码 of the 省/市/县 the user is scoped to (issue 14), or null.</param>
    public sealed record NewUser(string UserName, string? DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<string> Departments,
        string? Region = null);

    /// <summary>The usage error in <paramref name="user"/>, or null when it can be added.</summary>
    public static string? Validate(NewUser user)
    {
        if (string.IsNullOrWhiteSpace(user.UserName) || user.UserName.Contains(','))
            return "用户名不能为空，也不能含逗号";
        var roles = user.Roles.SelectMany(r => Roles.Split(r)).ToArray();
        if (roles.Length == 0)
            return $"至少指定一个角色（{string.Join(" / ", Roles.AllNames)}）";
        var unknown = roles.Where(r => Roles.TryParse(r) is null).ToArray();
        if (unknown.Length > 0)
            return $"未知角色：{string.Join("、", unknown)}（可用：{string.Join(" / ", Roles.AllNames)}）";
        if (roles.Select(r => Roles.TryParse(r)).Contains(Role.Department) && DepartmentsOf(user).Count == 0)
            return "部门用户必须用 --department 指定至少一个部门编码";
        if (user.Region is { } region && !System.Text.RegularExpressions.Regex.IsMatch(region.Trim(), "^[1-9][0-9]{5}$"))
            return $"--region 应为 6 位区划代码（如 660121），“{region}” 不是";
        return null;
    }

    /// <summary>Adds a valid user (see <see cref="Validate"/>); returns the password to show once, or null when the name is taken.</summary>
    public async Task<string?> AddAsync(NewUser user, string? password, string actor, CancellationToken ct = default)
    {
        if (Validate(user) is { } error) throw new ArgumentException(error, nameof(user));
        var roles = user.Roles.SelectMany(r => Roles.Split(r)).Select(r => Roles.TryParse(r)!.Value);
        password ??= GeneratePassword();
        var row = new AppUser
        {
            UserName = user.UserName.Trim(),
            DisplayName = string.IsNullOrWhiteSpace(user.DisplayName) ? user.UserName.Trim() : user.DisplayName.Trim(),
            Roles = Roles.Join(roles),
            Departments = string.Join(",", DepartmentsOf(user)),
            RegionCode = string.IsNullOrWhiteSpace(user.Region) ? null : user.Region.Trim(),
            CreatedAt = DateTime.Now,
        };
        row.PasswordHash = HashPassword(row, password);
        return await Store.AddAsync(row, actor, ct) ? password : null;
    }

    /// <summary>Whether the password is right for an existing, enabled user. Counts nothing (lockout comes with sign-in).</summary>
    public async Task<bool> VerifyAsync(string userName, string password, CancellationToken ct = default)
    {
        var user = await Store.FindAsync(userName, ct);
        if (user is null || user.IsDisabled) return false;
        return Verifies(user, password);
    }

    /// <summary>Sets a new password (generated when null); returns it to show once, or null when there is no such user.</summary>
    public async Task<string?> ResetPasswordAsync(string userName, string? password, string actor, CancellationToken ct = default)
    {
        var user = await Store.FindAsync(userName, ct);
        password ??= GeneratePassword();
        var hash = user is null ? "" : HashPassword(user, password);
        return await Store.SetPasswordHashAsync(userName, hash, actor, ct) ? password : null;
    }

    public Task<bool> DisableAsync(string userName, string actor, CancellationToken ct = default) =>
        Store.DisableAsync(userName, actor, ct);

    /// <summary>PasswordHasher's salted PBKDF2 hash (a new salt each time).</summary>
    public static string HashPassword(AppUser user, string password) => Hasher.HashPassword(user, password);

    /// <summary>Whether <paramref name="password"/> matches the user's stored hash.</summary>
    public static bool Verifies(AppUser user, string password) =>
        Hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;

    /// <summary>16 characters from an alphabet without look-alikes (0/O, 1/l/I), from a cryptographic generator.</summary>
    public static string GeneratePassword() =>
        RandomNumberGenerator.GetString("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 16);

    private static IReadOnlyList<string> DepartmentsOf(NewUser user) =>
        user.Departments.SelectMany(d => Roles.Split(d)).Distinct().ToArray();
}
