using System.Net;
using System.Net.Http.Json;
using System.Text;
using BudgetPerf.Dashboard;
using BudgetPerf.Dashboard.Security;
using BudgetPerf.Warehouse.Security;
using BudgetPerf.Dashboard.Upload;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Web;

/// <summary>
/// Issue 16, stateless instances: two real dashboards (the same builder and endpoints as <c>budgetperf serve</c>), each
/// with its own engine object and service container, on one PostgreSQL warehouse — what a load balancer in front of two
/// machines sees. A "browser" is one cookie container whose requests go to instance A or B as the test routes them.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoInstanceTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string Password = DashboardHost.Password;
    private readonly TempDir _dir = new();
    private WebApplication? _a, _b;

    public async Task InitializeAsync()
    {
        if (!postgres.IsAvailable) return;
        var engine = await HandMade.BuildAsync("postgres", _dir, postgres,
            ("mf.csv", MonitoringFundHeader + "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n"
                                            + "2025,1-6月,M02,农村公路养护,102,交通局,年度资金总额,300,,60,\n"));
        var accounts = new UserAccounts(engine);
        foreach (var (name, role, dept) in new[] { ("leader", "领导", ""), ("dept", "部门", "101"), ("other", "部门", "102") })
            await accounts.AddAsync(new UserAccounts.NewUser(name, null, [role], dept.Length == 0 ? [] : [dept]), Password, "test");
        var connection = ((PostgresEngine)engine).ConnectionString;
        _a = await StartAsync(connection);
        _b = await StartAsync(connection);
    }

    /// <summary>One instance: its own engine object over the shared connection string, a sign-in limit of 6 a minute (TestServer requests have no address: one shared count).</summary>
    private static async Task<WebApplication> StartAsync(string connection)
    {
        var builder = DashboardApp.CreateBuilder(new PostgresEngine(connection), "http://127.0.0.1:0",
            new Dictionary<string, string?> { ["BudgetPerf:SignIn:AttemptsPerMinute"] = "6" });
        builder.WebHost.UseTestServer();
        var app = builder.Build();
        app.MapDashboard();
        await app.StartAsync();
        return app;
    }

    private static HttpClient Client(WebApplication app, CookieContainer browser) =>
        new(new DashboardHost.CookieHandler(browser) { InnerHandler = app.GetTestServer().CreateHandler() }) { BaseAddress = new Uri("http://localhost") };

    /// <summary>Posts the sign-in form of <paramref name="app"/> (its page and antiforgery token fetched from the same instance).</summary>
    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password) =>
        await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = await DashboardHost.TokenAsync(client),
            ["Input.UserName"] = user, ["Input.Password"] = password,
        }));

    private static async Task<string> TextOf(HttpResponseMessage answer) => WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());

    [SkippableFact]
    public async Task A_cookie_issued_by_instance_A_keeps_the_session_on_instance_B()
    {
        postgres.SkipIfUnavailable();
        var browser = new CookieContainer();
        var onA = Client(_a!, browser);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(onA, "leader", Password)).StatusCode);

        var onB = Client(_b!, browser);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/chart/trend.png")).StatusCode);
        // a browser without the cookie is refused by B: the session is the cookie, not luck
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client(_b!, new CookieContainer()).GetAsync("/chart/trend.png")).StatusCode);
        // and B's pages carry antiforgery tokens A accepts: sign out on A with B's token
        var token = await DashboardHost.TokenAsync(onB);
        var signOut = await onA.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.GetAsync("/chart/trend.png")).StatusCode);
    }

    [SkippableFact]
    public async Task The_sign_in_limit_is_counted_across_both_instances()
    {
        postgres.SkipIfUnavailable();
        // the limit is 6 attempts a minute per address: 6 on A (an unknown user, so no lockout interferes) …
        for (var i = 1; i <= 6; i++)
            Assert.Contains(SignInService.WrongCredentials, await TextOf(await SignInAsync(Client(_a!, new CookieContainer()), "nobody", "wrong-" + i)));
        // … and the 7th in the same minute is refused by B, which has counted none itself (6 + 1 > 6)
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(Client(_b!, new CookieContainer()), "nobody", "wrong-7")).StatusCode);
    }

    [SkippableFact]
    public async Task A_lockout_on_instance_A_refuses_the_right_password_on_instance_B()
    {
        postgres.SkipIfUnavailable();
        for (var i = 1; i <= 4; i++)
            Assert.Contains(SignInService.WrongCredentials, await TextOf(await SignInAsync(Client(_a!, new CookieContainer()), "other", "wrong-" + i)));
        Assert.Contains("已锁定", await TextOf(await SignInAsync(Client(_a!, new CookieContainer()), "other", "wrong-5")));

        var onB = Client(_b!, new CookieContainer());
        var answer = await SignInAsync(onB, "other", Password);   // the 6th attempt: within the limit of 6
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);       // the form again, not the redirect of a sign-in
        Assert.Contains("账户已锁定至", await TextOf(answer));
        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.GetAsync("/chart/trend.png")).StatusCode);
    }

    [SkippableFact]
    public async Task An_errors_csv_made_on_instance_A_downloads_from_instance_B_for_its_uploader_only()
    {
        postgres.SkipIfUnavailable();
        var dept = Client(_a!, new CookieContainer());
        // each test has its own database (xunit makes a class instance per test), so its 3 sign-ins are counted apart
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(dept, "dept", Password)).StatusCode);
        var csv = MonitoringHeader + "2025,1-6月,M02,产出指标,质量指标,养护合格率,≥,100,%,,100,确定能\n";   // M02 is 交通局 (102), not dept's 101
        var upload = await dept.PostAsync("/upload?name=mixed.csv", new ByteArrayContent(Encoding.UTF8.GetBytes(csv)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, upload.StatusCode);
        var url = (await upload.Content.ReadFromJsonAsync<UploadResponse>())!.ErrorsCsv!;

        var deptOnB = await SignedInOnAsync(_b!, "dept");
        var own = await deptOnB.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var bytes = await own.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);   // the BOM Excel needs for the Chinese
        Assert.Contains("M02", Encoding.UTF8.GetString(bytes));

        var otherOnB = await SignedInOnAsync(_b!, "other");
        Assert.Equal(HttpStatusCode.NotFound, (await otherOnB.GetAsync(url)).StatusCode);
    }

    private static async Task<HttpClient> SignedInOnAsync(WebApplication app, string user)
    {
        var client = Client(app, new CookieContainer());
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(client, user, Password)).StatusCode);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (_a is not null) await _a.DisposeAsync();
        if (_b is not null) await _b.DisposeAsync();
        _dir.Dispose();
    }
}
