using BudgetPerf.Warehouse.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace BudgetPerf.Dashboard.Security;

/// <summary>
/// A page's circuit outlives the request that signed it in: every minute the user is looked up again, and a disabled,
/// locked or removed account, one whose roles or departments changed, or a sign-in past the maximum session, loses the
/// circuit's sign-in.
/// </summary>
public sealed class UserRevalidation(ILoggerFactory logger, IServiceScopeFactory scopes, IOptions<SignInOptions> rules, TimeProvider clock)
    : RevalidatingServerAuthenticationStateProvider(logger)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        if (CallerClaims.IsExpired(state.User, rules.Value.MaxSession, clock.GetUtcNow())) return false;
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<UserAccounts>().Store;
        var user = state.User.Identity?.Name is { } name ? await store.FindAsync(name, ct) : null;
        if (user is null || user.IsDisabled || user.LockedUntil > DateTime.Now) return false;
        var issued = CallerClaims.PrincipalOf(user);
        return issued.ScopeOf().ToString() == state.User.ScopeOf().ToString()
               && CallerClaims.RoleNamesOf(issued) == CallerClaims.RoleNamesOf(state.User);
    }
}
