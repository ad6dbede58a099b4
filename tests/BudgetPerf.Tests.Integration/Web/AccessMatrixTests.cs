using System.Net;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Tests.Integration.Web;

/// <summary>
/// Role × page/endpoint: every cell of the matrix asked over HTTP of the real app, with the answer it must get —
/// allowed (200), not signed in (302 to the sign-in page for pages, 401 for files), forbidden (403) or not found
/// (404, which is also what a 部门 user gets for another department's project, whether it exists or not).
/// </summary>
public sealed class AccessMatrixTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    private const string Anonymous = "anonymous";
    private static readonly string[] Everyone = ["leader", "finance", "analyst", "dept", "admin"];

    private static readonly string[] Pages = ["/", "/ranking", "/cuts", "/grades", "/trends", "/project/M01"];

    public static TheoryData<string, string, int> Matrix()
    {
        var data = new TheoryData<string, string, int>();
        void Row(string path, Func<string, int> expected)
        {
            foreach (var user in Everyone.Append(Anonymous)) data.Add(user, path, expected(user));
        }
        foreach (var page in Pages) Row(page, u => u == Anonymous ? 302 : 200);
        Row("/upload", u => u switch { Anonymous => 302, "dept" or "admin" => 200, _ => 403 });
        Row("/admin", u => u switch { Anonymous => 302, "admin" => 200, _ => 403 });
        Row("/project/M02", u => u switch { Anonymous => 302, "dept" => 404, _ => 200 });
        Row("/project/NOPE", u => u == Anonymous ? 302 : 404);
        // every role exports, within its scope (政策参数 export_roles, default all roles: ExportPolicyTests)
        Row("/export/ranking?format=csv", u => u == Anonymous ? 401 : 200);
        Row("/export/cuts?format=xlsx", u => u == Anonymous ? 401 : 200);
        Row("/export/trends?format=csv&by=fund", u => u == Anonymous ? 401 : 200);
        Row("/chart/project.png?code=M01", u => u == Anonymous ? 401 : 200);
        Row("/chart/project.png?code=M02", u => u switch { Anonymous => 401, "dept" => 404, _ => 200 });
        Row("/chart/heatmap.png?year=2025&period=1-6月", u => u == Anonymous ? 401 : 200);
        Row("/chart/trend.png", u => u == Anonymous ? 401 : 200);
        Row("/report/monitoring?project=M01&year=2025&period=1-6月", u => u == Anonymous ? 401 : 200);
        Row("/report/monitoring?project=M02&year=2025&period=1-6月", u => u switch { Anonymous => 401, "dept" => 404, _ => 200 });
        Row("/report/correction?project=M02&year=2025&period=1-6月", u => u switch { Anonymous => 401, "dept" => 404, _ => 200 });
        Row("/report/monitoring?department=102&year=2025&period=1-6月", u => u switch { Anonymous => 401, "dept" => 404, _ => 200 });
        Row("/report/monitoring?department=101&year=2025&period=1-6月", u => u == Anonymous ? 401 : 200);
        Row("/health", _ => 200);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_role_gets_the_answer_its_rights_give(string user, string path, int expected)
    {
        var client = user == Anonymous ? host.Anonymous() : await host.SignInAsync(user);
        var answer = await client.GetAsync(path);
        Assert.Equal(expected, (int)answer.StatusCode);
        if (expected == 302) Assert.StartsWith("/login", answer.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_department_users_export_holds_its_own_rows_whatever_filter_it_guesses()
    {
        var dept = await host.SignInAsync("dept");
        var analyst = await host.SignInAsync("analyst");

        Assert.Equal(["M01"], await ProjectsOf(dept, "/export/ranking?format=csv"));
        Assert.Equal(["M01", "M02"], (await ProjectsOf(analyst, "/export/ranking?format=csv")).Order());
        // guessing the other department's code or a search for its project gives nothing, not its rows
        Assert.Empty(await ProjectsOf(dept, "/export/ranking?format=csv&dept=102"));
        Assert.Empty(await ProjectsOf(dept, "/export/ranking?format=csv&q=M02"));
        Assert.Empty(await ProjectsOf(dept, "/export/ranking?format=csv&q=农村公路"));
        // the batch history: everything for the analyst, only the files it submitted itself for the 部门 user
        Assert.True((await ColumnOf(analyst, "/export/batches?format=csv", "批次号")).Count >= 2);
        // its own file (a CRLF line end: the row another test of this class uploads, in bytes none of them sends, so
        // the upload is a batch of its own and not a duplicate of whichever test ran first)
        var own = new StringContent(HandMade.MonitoringFundHeader + "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\r\n");
        await DashboardHost.LoadedAsync(dept, await dept.PostAsync("/upload?name=own.csv", own));
        Assert.Contains("own.csv", await ColumnOf(dept, "/export/batches?format=csv&headers=field", "file_name"));
        var submitters = await ColumnOf(dept, "/export/batches?format=csv", "上报人");
        Assert.NotEmpty(submitters);
        Assert.All(submitters, by => Assert.Equal("dept", by));
        // trends by fund nature are summed over its own projects only: budget 100, not 400
        var trend = (await dept.GetStringAsync("/export/trends?format=csv&by=fund")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var budget = Array.IndexOf(trend[0].TrimStart('\uFEFF').Split(','), "预算数（万元）");
        Assert.Equal(100m, decimal.Parse(Assert.Single(trend.Skip(1)).Split(',')[budget], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Exports_and_sign_ins_are_in_the_audit_log()
    {
        var dept = await host.SignInAsync("dept");
        await dept.GetStringAsync("/export/ranking?format=csv&year=2025");
        var audit = await new BudgetPerf.Warehouse.Security.UserAccounts(host.Engine).Store.RecentAuditAsync(200);
        Assert.Contains(audit, e => e is { UserName: "dept", Action: "sign-in", Outcome: "ok" });
        Assert.Contains(audit, e => e.UserName == "dept" && e.Action == "export" && e.Detail!.Contains("ranking.csv")
                                    && e.Detail.Contains("year=2025") && e.Detail.Contains("行数 1"));
    }

    private static StringContent Fund(string project, string dept, string name) => new(HandMade.MonitoringFundHeader
        + $"2025,1-6月,{project},{name},{dept},{(dept == "101" ? "教育局" : "交通局")},年度资金总额,{(dept == "101" ? 100 : 300)},,{(dept == "101" ? 50 : 60)},\n");

    [Fact]
    public async Task Uploads_are_for_department_users_within_their_scope_and_for_administrators()
    {
        const string path = "/upload?name=mf2.csv";

        Assert.Equal(401, (int)(await host.Anonymous().PostAsync(path, Fund("M01", "101", "课后服务补助"))).StatusCode);
        foreach (var reader in new[] { "leader", "finance", "analyst" })
            Assert.Equal(403, (int)(await (await host.SignInAsync(reader)).PostAsync(path, Fund("M01", "101", "课后服务补助"))).StatusCode);

        // a 部门 user's file naming the other department's project is refused, naming the row; nothing of it loads
        var dept = await host.SignInAsync("dept");
        var refused = await dept.PostAsync(path, Fund("M02", "102", "农村公路养护"));
        Assert.Equal(422, (int)refused.StatusCode);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Contains("\"row\":2", body);
        Assert.Contains("M02", body);
        // its own project loads; an administrator may load any department's (queued, then 已生效; or loaded before)
        await DashboardHost.LoadedAsync(dept, await dept.PostAsync("/upload?name=mf3.csv", Fund("M01", "101", "课后服务补助")));
        var admin = await host.SignInAsync("admin");
        await DashboardHost.LoadedAsync(admin, await admin.PostAsync("/upload?name=mf4.csv", Fund("M02", "102", "农村公路养护")));
    }

    [Fact]
    public async Task A_county_scoped_user_sees_exports_reports_and_uploads_only_its_county()
    {
        // a 管理员 of 清河县's bureau (区划 660121): 101 (清河县) is in scope, 102 (平川县) is not
        await new BudgetPerf.Warehouse.Security.UserAccounts(host.Engine).AddAsync(
            new BudgetPerf.Warehouse.Security.UserAccounts.NewUser("county-admin", null, ["管理员"], [], "660121"), DashboardHost.Password, "test");
        var county = await host.SignInAsync("county-admin");

        Assert.Equal(["M01"], await ProjectsOf(county, "/export/ranking?format=csv"));
        Assert.Equal(HttpStatusCode.NotFound, (await county.GetAsync("/project/M02")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await county.GetAsync("/report/monitoring?project=M02&year=2025&period=1-6月")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await county.GetAsync("/report/monitoring?department=102&year=2025&period=1-6月")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await county.GetAsync("/report/monitoring?project=M01&year=2025&period=1-6月")).StatusCode);

        // an upload naming 平川县's project is refused naming the row and the scope; its own county's loads
        var refused = await county.PostAsync("/upload?name=county-other.csv", Fund("M02", "102", "农村公路养护"));
        Assert.Equal(422, (int)refused.StatusCode);
        var body = System.Text.RegularExpressions.Regex.Unescape(await refused.Content.ReadAsStringAsync());   // JSON escapes CJK
        Assert.Contains("\"row\":2", body);
        Assert.Contains("M02", body);
        Assert.Contains("区划 660121", body);
        await DashboardHost.LoadedAsync(county, await county.PostAsync("/upload?name=county-own.csv", Fund("M01", "101", "课后服务补助")));
    }

    private static Task<List<string>> ProjectsOf(HttpClient client, string path) => ColumnOf(client, path, "项目编码");

    private static async Task<List<string>> ColumnOf(HttpClient client, string path, string name)
    {
        var lines = (await client.GetStringAsync(path)).Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].TrimStart('\uFEFF').Split(',');
        var column = Array.IndexOf(header, name);
        Assert.True(column >= 0, $"{path} has no column {name}: {lines[0]}");
        return lines.Skip(1).Select(l => l.Split(',')[column]).ToList();
    }
}
