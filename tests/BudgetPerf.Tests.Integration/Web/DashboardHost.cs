using System.Net;
using System.Text.RegularExpressions;
using BudgetPerf.Dashboard;
using BudgetPerf.Dashboard.Security;
using BudgetPerf.Warehouse.Security;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Web;

/// <summary>
/// The real dashboard (the same builder and endpoints as <c>budgetperf serve</c>) on an in-memory test server over a
/// hand-made DuckDB warehouse: 教育局 (101) with M01 and 交通局 (102) with M02, and one user per role. Clients carry
/// the sign-in cookie and never follow redirects, so each answer is seen as it is.
/// </summary>
public class DashboardHost : IAsyncLifetime
{
    public const string Password = "matrix-Passw0rd";
    public const string OwnProject = "M01", OtherProject = "M02";

    /// <summary>User name per role; 部门 holds 101 only.</summary>
    public static readonly IReadOnlyDictionary<string, (string Role, string? Department)> Users = new Dictionary<string, (string, string?)>
    {
        ["leader"] = ("领导", null), ["finance"] = ("财政", null), ["analyst"] = ("分析", null), ["dept"] = ("部门", "101"), ["admin"] = ("管理员", null),
    };

    private readonly TempDir _dir = new();
    private WebApplication? _app;
    public WarehouseEngine Engine { get; private set; } = null!;

    /// <summary>The app's clock: the real time plus <see cref="ShiftedClock.Shift"/> (to age a session).</summary>
    public ShiftedClock Clock { get; } = new();

    /// <summary>Extra settings for a host that tests a limit (e.g. a low sign-in rate).</summary>
    public Dictionary<string, string?> Settings { get; } = new() { ["BudgetPerf:SignIn:AttemptsPerMinute"] = "1000" };

    public async Task InitializeAsync()
    {
        // 101 belongs to 清河县 (660121), 102 to 平川县 (660122): a county-scoped user sees 101 only (issue 14)
        Engine = await HandMade.BuildAsync("duckdb", _dir, null!,
            ("项目信息.csv", "项目编码,项目名称,主管部门编码,主管部门,区划代码,省级区划,市级区划,县级区划\n"
                + "M01,课后服务补助,101,教育局,660121,河西省,金川市,清河县\n"
                + "M02,农村公路养护,102,交通局,660122,河西省,金川市,平川县\n"),
            ("mf.csv", MonitoringFundHeader + "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n"
                                            + "2025,1-6月,M02,农村公路养护,102,交通局,年度资金总额,300,,60,\n"),
            ("mi.csv", MonitoringHeader + "2025,1-6月,M01,产出指标,质量指标,覆盖率,≥,100,%,,50,有可能\n"
                                        + "2025,1-6月,M02,产出指标,质量指标,养护合格率,≥,100,%,,100,确定能\n"));
        var accounts = new UserAccounts(Engine);
        foreach (var (name, (role, dept)) in Users)
            await accounts.AddAsync(new UserAccounts.NewUser(name, null, [role], dept is null ? [] : [dept]), Password, "test");
        var builder = DashboardApp.CreateBuilder(Engine, "http://127.0.0.1:0", Settings);
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<TimeProvider>(Clock);
        _app = builder.Build();
        _app.MapDashboard();
        await _app.StartAsync();
    }

    /// <summary>A client with no cookie.</summary>
    public HttpClient Anonymous() => new(new CookieHandler { InnerHandler = _app!.GetTestServer().CreateHandler() })
    {
        BaseAddress = new Uri("http://localhost"),
    };

    /// <summary>A client signed in through the sign-in form (antiforgery token and all), or the failed answer.</summary>
    public async Task<(HttpClient Client, HttpResponseMessage Answer)> TrySignInAsync(string user, string password, string path = "/login")
    {
        var client = Anonymous();
        var answer = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = await TokenAsync(client, path),
            ["Input.UserName"] = user, ["Input.Password"] = password,
        }));
        return (client, answer);
    }

    /// <summary>The antiforgery token of the form at <paramref name="path"/> (the client keeps its cookie).</summary>
    public static async Task<string> TokenAsync(HttpClient client, string path = "/login") =>
        Regex.Match(await client.GetStringAsync(path), "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;

    /// <summary>
    /// The answer of an upload that loads: 202 queued, then (polling its status URL, at most 3 minutes) 已生效; or 200 when
    /// the same file was loaded before (a duplicate, answered at once). Returns the final JSON status or answer.
    /// </summary>
    public static async Task<System.Text.Json.JsonElement> LoadedAsync(HttpClient client, HttpResponseMessage answer)
    {
        var body = System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        if (answer.StatusCode == HttpStatusCode.OK)
        {
            Xunit.Assert.Equal("duplicate", body.GetProperty("status").GetString());
            return body;
        }
        Xunit.Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        var url = body.GetProperty("statusUrl").GetString()!;
        for (var deadline = DateTime.UtcNow.AddMinutes(3); ; await Task.Delay(200))
        {
            var status = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(url)).RootElement;
            if (status.GetProperty("finished").GetBoolean() || DateTime.UtcNow > deadline)
            {
                Xunit.Assert.Equal("已生效", status.GetProperty("stateText").GetString());
                return status;
            }
        }
    }

    public async Task<HttpClient> SignInAsync(string user)
    {
        var (client, answer) = await TrySignInAsync(user, Password);
        Assert.True(answer.StatusCode == HttpStatusCode.Redirect, $"{user} did not sign in: {(int)answer.StatusCode}");
        return client;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _dir.Dispose();
    }

    public sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Shift { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Shift;
    }

    /// <summary>
    /// Keeps the cookies the server sets, like a browser (the in-memory handler has no cookie container); two handlers on
    /// one container play one browser routed to two instances.
    /// </summary>
    internal sealed class CookieHandler(CookieContainer? cookies = null) : DelegatingHandler
    {
        private readonly CookieContainer _cookies = cookies ?? new CookieContainer();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var header = _cookies.GetCookieHeader(request.RequestUri!);
            if (header.Length > 0) request.Headers.Add("Cookie", header);
            var response = await base.SendAsync(request, ct);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
                foreach (var cookie in set) _cookies.SetCookies(request.RequestUri!, cookie);
            return response;
        }
    }
}
