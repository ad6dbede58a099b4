using System.Security.Claims;
using BudgetPerf.Warehouse.Security;
using Microsoft.Extensions.Options;

namespace BudgetPerf.Dashboard.Security;

/// <summary>Sign-in rules (配置节 <c>BudgetPerf:SignIn</c>).</summary>
public sealed class SignInOptions
{
    /// <summary>Wrong passwords in a row before the account locks.</summary>
    public int LockAfter { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public TimeSpan LockFor { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Idle time after which the session cookie expires (sliding).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Longest a sign-in lasts however active the user is (an open page's circuit included): then sign in again.
    /// </summary>
    public TimeSpan MaxSession { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Sign-in attempts allowed per client address per minute (then 429).</summary>
    public int AttemptsPerMinute { get; set; } = 10;
}

/// <summary>The outcome of one sign-in: the principal to issue, or the message to show.</summary>
public sealed record SignInResult(ClaimsPrincipal? Principal, string? Error);

/// <summary>
/// Checks a user name and password against <c>app_user</c>: disabled and locked accounts are refused, wrong passwords
/// count towards the lockout, and every attempt is audited. The messages do not tell an unknown user from a wrong password.
/// </summary>
public sealed class SignInService(UserAccounts accounts, IOptions<SignInOptions> options, TimeProvider clock)
{
    public const string WrongCredentials = "用户名或密码错误。";

    public async Task<SignInResult> SignInAsync(string userName, string password, string? client, CancellationToken ct = default)
    {
        var rules = options.Value;
        var name = userName.Trim();
        var user = name.Length == 0 ? null : await accounts.Store.FindAsync(name, ct);
        var now = clock.GetLocalNow().DateTime;
        if (user is null)
        {
            await accounts.Store.AuditAsync(name.Length == 0 ? "(空)" : name, "sign-in", $"no such user; client {client}", "refused", ct);
            return new SignInResult(null, WrongCredentials);
        }
        if (user.IsDisabled)
        {
            await accounts.Store.AuditAsync(name, "sign-in", $"disabled; client {client}", "refused", ct);
            return new SignInResult(null, "该账户已停用，请联系管理员。");
        }
        if (user.LockedUntil is { } until && until > now)
        {
            await accounts.Store.AuditAsync(name, "sign-in", $"locked until {until:yyyy-MM-dd HH:mm}; client {client}", "refused", ct);
            return new SignInResult(null, $"密码连续错误次数过多，账户已锁定至 {until:HH:mm}，请稍后再试或联系管理员。");
        }
        if (!UserAccounts.Verifies(user, password))
        {
            var failures = await accounts.Store.RecordFailedSignInAsync(name, rules.LockAfter, now + rules.LockFor,
                $"wrong password; client {client}", ct);
            return failures >= rules.LockAfter
                ? new SignInResult(null, $"密码连续错误 {failures} 次，账户已锁定 {rules.LockFor.TotalMinutes:0} 分钟。")
                : new SignInResult(null, WrongCredentials);
        }
        await accounts.Store.RecordSignInAsync(name, $"client {client}", ct);
        return new SignInResult(CallerClaims.PrincipalOf(user, clock.GetUtcNow()), null);
    }
}
