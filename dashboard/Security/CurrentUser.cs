using System.Security.Claims;
using BudgetPerf.Warehouse.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace BudgetPerf.Dashboard.Security;

/// <summary>The signed-in user of a page's circuit, and the data scope every query of the page is given.</summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication)
{
    public async Task<ClaimsPrincipal> PrincipalAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    public async Task<DataScope> ScopeAsync() => (await PrincipalAsync()).ScopeOf();
}
