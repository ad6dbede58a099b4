using System.Net;
using BudgetPerf.Dashboard.Security;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Tests.Integration.Web;

/// <summary>Sign-in through the form: lockout, disabled accounts, the cookie's flags, sign-out; on the real app in memory.</summary>
public sealed class SignInTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        for (var i = 1; i <= 4; i++)
        {
            var (_, wrong) = await host.TrySignInAsync("finance", "wrong-" + i);
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);   // the form again, with its message
            Assert.Contains(SignInService.WrongCredentials, await TextOf(wrong));
        }
        var (_, fifth) = await host.TrySignInAsync("finance", "wrong-5");
        Assert.Contains("已锁定", await TextOf(fifth));

        var (client, right) = await host.TrySignInAsync("finance", DashboardHost.Password);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("账户已锁定至", await TextOf(right));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);

        var accounts = new UserAccounts(host.Engine);
        Assert.True((await accounts.Store.FindAsync("finance"))!.LockedUntil > DateTime.Now.AddMinutes(14));
        var audit = await accounts.Store.RecentAuditAsync(100);
        Assert.Equal(6, audit.Count(e => e is { UserName: "finance", Action: "sign-in", Outcome: "refused" }));
        Assert.DoesNotContain(audit, e => e.Detail?.Contains("wrong-") == true);   // no password is ever logged

        // an administrator's reset clears the lock
        await accounts.ResetPasswordAsync("finance", DashboardHost.Password, "test");
        await host.SignInAsync("finance");
    }

    /// <summary>The page's text (Blazor writes CJK as character references).</summary>
    private static async Task<string> TextOf(HttpResponseMessage answer) => WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());

    [Fact]
    public async Task An_unknown_user_gets_the_same_message_as_a_wrong_password()
    {
        var (_, unknown) = await host.TrySignInAsync("nobody", "whatever");
        var (_, wrong) = await host.TrySignInAsync("leader", "whatever");
        Assert.Contains(SignInService.WrongCredentials, await TextOf(unknown));
        Assert.Contains(SignInService.WrongCredentials, await TextOf(wrong));
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in()
    {
        await new UserAccounts(host.Engine).DisableAsync("analyst", "test");
        var (client, answer) = await host.TrySignInAsync("analyst", DashboardHost.Password);
        Assert.Contains("已停用", await TextOf(answer));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/export/ranking?format=csv")).StatusCode);
    }

    [Fact]
    public async Task The_cookie_is_http_only_and_same_site_strict_and_sign_out_ends_the_session()
    {
        var (client, answer) = await host.TrySignInAsync("leader", DashboardHost.Password);
        var cookie = Assert.Single(answer.Headers.GetValues("Set-Cookie"), c => c.StartsWith("budgetperf.auth="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/chart/trend.png")).StatusCode);

        // sign-out is a form post with the antiforgery token: without it, refused; with it, the cookie is gone
        var forged = new FormUrlEncodedContent(new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/logout", forged)).StatusCode);
        var token = await DashboardHost.TokenAsync(client);
        var signOut = await client.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/chart/trend.png")).StatusCode);
    }

    [Fact]
    public async Task A_return_url_to_another_site_is_ignored()
    {
        var (_, answer) = await host.TrySignInAsync("leader", DashboardHost.Password, "/login?returnUrl=https://evil.example/");
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("/", answer.Headers.Location!.OriginalString.Replace("http://localhost", ""));
    }
}

/// <summary>A host whose clock the test moves.</summary>
public sealed class ClockedDashboardHost : DashboardHost;

public sealed class SessionAgeTests(ClockedDashboardHost host) : IClassFixture<ClockedDashboardHost>
{
    [Fact]
    public async Task A_sign_in_older_than_the_maximum_session_is_refused_even_while_active()
    {
        var client = await host.SignInAsync("leader");
        // a request every 20 minutes keeps the 30-minute idle expiry sliding for almost 8 hours …
        for (var minutes = 20; minutes < 8 * 60; minutes += 20)
        {
            host.Clock.Shift = TimeSpan.FromMinutes(minutes);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/chart/trend.png")).StatusCode);
        }
        // … but not past the maximum session
        host.Clock.Shift = TimeSpan.FromMinutes(8 * 60 + 5);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/chart/trend.png")).StatusCode);

        // and an idle session expires after 30 minutes
        var idle = await host.SignInAsync("leader");
        host.Clock.Shift += TimeSpan.FromMinutes(31);
        Assert.Equal(HttpStatusCode.Unauthorized, (await idle.GetAsync("/chart/trend.png")).StatusCode);
        host.Clock.Shift = TimeSpan.Zero;
    }
}

/// <summary>A host whose sign-in limit is 3 attempts a minute.</summary>
public sealed class LowRateDashboardHost : DashboardHost
{
    public LowRateDashboardHost() => Settings["BudgetPerf:SignIn:AttemptsPerMinute"] = "3";
}

public sealed class SignInRateLimitTests(LowRateDashboardHost host) : IClassFixture<LowRateDashboardHost>
{
    [Fact]
    public async Task The_fourth_sign_in_attempt_in_a_minute_gets_429()
    {
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await host.TrySignInAsync("leader", "wrong")).Answer.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.TrySignInAsync("leader", DashboardHost.Password)).Answer.StatusCode);
    }
}
