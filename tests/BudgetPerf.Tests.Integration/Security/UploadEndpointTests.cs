using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using BudgetPerf.Dashboard;
using BudgetPerf.Dashboard.Security;
using BudgetPerf.Dashboard.Upload;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace BudgetPerf.Tests.Integration.Security;

/// <summary>
/// The dashboard as composed (AddDashboard + MapDashboard, with its queue worker) on a TestServer: <c>POST /upload</c>
/// with a raw body (202 queued with a status URL / 422 / 413 / 400 as JSON), the status URL for its owner only until
/// 已生效, errors.csv for its owner only, every upload audited, and the security headers.
/// The signed-in user is played by a test middleware (<c>X-Test-User: name|roles|departments</c>).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class UploadEndpointTests(PostgresServer postgres) : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private WarehouseEngine _engine = null!;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    /// <summary>The limit these tests run with: 1 MB, so that "too large" is cheap to send.</summary>
    private const int LimitMB = 1;

    private const string Edu = "edu|部门|D01";

    public async Task InitializeAsync()
    {
        _engine = await Engines.FreshAsync("duckdb", _dir, postgres);
        await WarehouseSetup.InitAsync(_engine, _dir.File("target"));
        var funds = await new SubmissionLoader(_engine).LoadFileAsync(_dir.Write("funds.csv", HandMade.MonitoringFundHeader +
            "2025,1-6月,P001,项目一,D01,教育局,年度资金总额,100,,30,\n" +
            "2025,1-6月,P007,项目七,D07,卫健委,年度资金总额,50,,10,\n"));
        Assert.Equal(LoadStatus.Loaded, funds.Status);
        // the queue's worker loads with the submitter's rights as they are then (SubmitterRights): the account must exist
        var (name, roles, departments) = (Edu.Split('|')[0], Edu.Split('|')[1], Edu.Split('|')[2]);
        await QueueSetup.AddUserAsync(_engine, name, roles, departments);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "budgetperf", ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.WebHost.UseTestServer();
        builder.Configuration[UploadService.LimitSetting] = LimitMB.ToString();
        builder.AddDashboard(_engine);
        _app = builder.Build();
        _app.Use((context, next) =>
        {
            if (context.Request.Headers["X-Test-User"].ToString() is { Length: > 0 } user) context.User = Principal(user);
            return next(context);
        });
        _app.MapDashboard();
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    private static ClaimsPrincipal Principal(string spec)
    {
        var parts = spec.Split('|');
        return CallerClaims.PrincipalOf(new AppUser { UserName = parts[0], DisplayName = parts[0], Roles = parts[1], Departments = parts[2] });
    }

    private static string Indicator(string project) => $"2025,1-6月,{project},产出指标,数量指标,培训人次,≥,100,人次,50,60,确定能\n";

    private Task<HttpResponseMessage> PostAsync(string name, HttpContent body, string user = Edu)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/upload?name=" + Uri.EscapeDataString(name)) { Content = body };
        request.Headers.Add("X-Test-User", user);
        return _client.SendAsync(request);
    }

    private Task<HttpResponseMessage> GetAsync(string url, string user)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Test-User", user);
        return _client.SendAsync(request);
    }

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync() =>
        (await new UserStore(_engine).RecentAuditAsync(100)).Where(a => a.Action == "upload").ToList();

    private static ByteArrayContent Csv(string text) => new(new UTF8Encoding(true).GetBytes(text));

    /// <summary>Polls a status URL until the submission is finished (bounded: 3 minutes).</summary>
    private async Task<SubmissionStatus> FinishedAsync(string statusUrl, string user = Edu)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var response = await GetAsync(statusUrl, user);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var status = (await response.Content.ReadFromJsonAsync<SubmissionStatus>())!;
            if (status.Finished || DateTime.UtcNow > deadline) return status;
            await Task.Delay(200);
        }
    }

    [SkippableFact]
    public async Task An_in_scope_upload_answers_202_with_a_status_url_reaches_已生效_records_the_submitter_and_is_audited()
    {
        var text = HandMade.MonitoringHeader + Indicator("P001") + Indicator("P001").Replace("培训人次", "结业人次");
        var sha = Convert.ToHexStringLower(SHA256.HashData(new UTF8Encoding(true).GetBytes(text)));

        var response = await PostAsync("监控指标.csv", Csv(text));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<UploadResponse>())!;
        Assert.Equal(("queued", "监控指标.csv", 2L), (body.Status, body.File, body.Rows));   // validated: 2 rows
        Assert.Empty(body.Errors);
        Assert.Equal($"/upload/submissions/{body.SubmissionId}", body.StatusUrl);
        Assert.Equal(body.StatusUrl, response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(body.StatusUrl!, "health|部门|D07")).StatusCode);   // its uploader's only

        var status = await FinishedAsync(body.StatusUrl!);

        Assert.Equal(("visible", "已生效", 2L), (status.State, status.StateText, status.RowsLoaded));
        Assert.Null(status.Error);
        Assert.True(status.QueuedAt <= status.LoadedAt && status.LoadedAt <= status.VisibleAt, $"{status.QueuedAt} {status.LoadedAt} {status.VisibleAt}");
        await using var connection = await _engine.OpenAsync();
        Assert.Equal("edu", await connection.ExecuteScalarAsync<string>($"SELECT submitted_by FROM etl_batch WHERE batch_id = {status.BatchId}"));
        // visible: the two indicators of P001 are in the marts (built after the load)
        Assert.Equal(["培训人次", "结业人次"], await connection.QueryAsync<string>(
            "SELECT level3 FROM mart_indicator_derivation WHERE project_code = 'P001' ORDER BY 1"));
        var audit = Assert.Single(await AuditAsync());
        Assert.Equal(("edu", "ok"), (audit.UserName, audit.Outcome));
        Assert.Equal($"监控指标.csv sha256={sha} result=loaded rows=2 errors=0 batch={status.BatchId}", audit.Detail);
    }

    [SkippableFact]
    public async Task Another_departments_row_answers_422_naming_it_and_its_errors_csv_is_only_for_the_uploader()
    {
        var response = await PostAsync("mixed.csv", Csv(HandMade.MonitoringHeader + Indicator("P001") + Indicator("P007")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<UploadResponse>())!;
        Assert.Equal(("rejected", 0L), (body.Status, body.Rows));
        var error = Assert.Single(body.Errors);
        Assert.Equal(new UploadError("mixed.csv", null, 3, "项目编码", "P007", "项目 P007 属于部门 D07，不在您的上报范围（D01）内"), error);
        Assert.NotNull(body.ErrorsCsv);

        var own = await GetAsync(body.ErrorsCsv!, Edu);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("P007", await own.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(body.ErrorsCsv!, "health|部门|D07")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(body.ErrorsCsv!, "boss|领导|")).StatusCode);
        Assert.Equal("refused", Assert.Single(await AuditAsync()).Outcome);
    }

    [SkippableFact]
    public async Task A_body_over_the_limit_answers_413_without_a_declared_length_and_leaves_no_file()
    {
        var name = $"big-{Guid.NewGuid():N}.csv";
        var line = Encoding.UTF8.GetBytes(Indicator("P001"));
        var bytes = new byte[LimitMB * 1024 * 1024 + 1];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = line[i % line.Length];
        var chunked = new StreamContent(new UnseekableStream(bytes));   // no Content-Length: the server must count

        var response = await PostAsync(name, chunked);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<UploadResponse>())!;
        Assert.Equal("too-large", body.Status);
        Assert.Equal($"文件“{name}”超过上传大小上限 1 MB，已拒绝（未入库）", Assert.Single(body.Errors).Message);
        var root = Path.Combine(Path.GetTempPath(), "budgetperf-uploads");
        Assert.Empty(Directory.EnumerateFiles(root, name + "*", SearchOption.AllDirectories));
        var audit = Assert.Single(await AuditAsync());
        Assert.Equal(("refused", $"{name} sha256=- result=too-large rows=0 errors=1 batch=-"), (audit.Outcome, audit.Detail));
        await using var connection = await _engine.OpenAsync();
        Assert.Equal(1L, Convert.ToInt64(await connection.ExecuteScalarAsync("SELECT COUNT(*) FROM etl_batch")));   // funds.csv only

        // exactly the limit is accepted as far as size goes (the loader then judges the content)
        var atLimit = await PostAsync("at-limit.csv", new StreamContent(new UnseekableStream(bytes[..^1])));
        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, atLimit.StatusCode);
    }

    [SkippableTheory]
    [InlineData("../../etc/passwd")]
    [InlineData("report.exe")]
    [InlineData("noextension")]
    [InlineData(".csv")]
    public async Task A_name_that_is_no_csv_or_xlsx_answers_400(string name)
    {
        var response = await PostAsync(name, Csv(HandMade.MonitoringHeader + Indicator("P001")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await AuditAsync());
    }

    [SkippableFact]
    public async Task A_name_with_a_path_is_reduced_to_its_file_name()
    {
        var response = await PostAsync("../../../tmp/逃逸.csv", Csv(HandMade.MonitoringHeader + Indicator("P001")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("逃逸.csv", (await response.Content.ReadFromJsonAsync<UploadResponse>())!.File);
        Assert.False(File.Exists("/tmp/逃逸.csv"));
    }

    [SkippableFact]
    public async Task Every_response_carries_the_security_headers()
    {
        foreach (var url in new[] { "/health", "/", "/upload/errors/nothing" })
        {
            var response = await GetAsync(url, Edu);
            var headers = response.Headers;
            Assert.Equal(SecurityHeaders.ContentSecurityPolicy, string.Join(",", headers.GetValues("Content-Security-Policy")));
            Assert.Contains("frame-ancestors 'none'", SecurityHeaders.ContentSecurityPolicy);
            Assert.DoesNotContain("unsafe-inline", SecurityHeaders.ContentSecurityPolicy.Split(';').Single(d => d.Trim().StartsWith("script-src")));
            Assert.Equal("nosniff", Assert.Single(headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("DENY", Assert.Single(headers.GetValues("X-Frame-Options")));
            Assert.Equal("no-referrer", Assert.Single(headers.GetValues("Referrer-Policy")));
            Assert.StartsWith("camera=()", Assert.Single(headers.GetValues("Permissions-Policy")));
        }
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>A body sent chunked, with no length to trust.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
