using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Scenarios;
using Dapper;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Web;

/// <summary>
/// 预算安排模拟's export (issue 17 item 2) through the grid export machinery: 领导/财政 download the scenario beside the
/// policy, with the hand-computed totals, and the download is audited; the other roles are refused (403); the
/// waterfall's 下载图片 is a PNG for them and nothing for the others.
/// </summary>
public sealed class ScenarioExportTests(ScenarioExportTests.Host host) : IClassFixture<ScenarioExportTests.Host>
{
    /// <summary>A dashboard of its own: the year-end files and the rebuild below would leak into the access matrix.</summary>
    public sealed class Host : DashboardHost;

    [Fact]
    public async Task Finance_exports_the_scenario_beside_the_policy_with_the_hand_computed_totals_and_its_waterfall_image_and_other_roles_are_refused()
    {
        // given 2025 year-end: A01 (教育局) 63 → 中, budget 100; A02 (教育局) 4 → 差, budget 50 (see WhatIfAllocationTests)
        using var dir = new TempDir();
        var loader = new SubmissionLoader(host.Engine);
        foreach (var (name, csv) in new[]
        {
            ("fund.csv", FundHeader + "2025,A01,义务教育课后服务补助,101,教育局,年度资金总额,100,100,90,10,9\n"
                                    + "2025,A02,校舍维修改造经费,101,教育局,年度资金总额,50,50,20,10,4\n"),
            ("ind.csv", IndicatorHeader + "2025,A01,产出指标,质量指标,课后服务覆盖率,≥,100,%,60,90,54\n"
                                        + "2025,A02,产出指标,质量指标,维修验收合格率,≥,100,%,0,90,0\n"),
        })
            Assert.Equal(LoadStatus.Loaded, (await loader.LoadFileAsync(dir.Write(name, csv))).Status);
        Assert.True((await new ModelRunner(host.Engine).BuildAsync(new BuildOptions { ArtifactsDir = dir.File("target") })).Success);
        var id = await new ScenarioStore(host.Engine).SaveAsync(new AllocationScenario
        {
            Name = "差五成", FiscalYear = 2025, MidChangePct = -10, PoorChangePct = -50, AgainChangePct = -30, ExecutionMin = 0.8m, RecoverYears = 2,
        }, "finance");

        var answer = await (await host.SignInAsync("finance")).GetAsync($"/export/whatif?format=csv&headers=field&year=2025&a={id}");

        Assert.Equal(200, (int)answer.StatusCode);
        var rows = (await answer.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.TrimEnd('\r').Split(',')).ToList();
        var header = rows[0].Select((h, i) => (h, i)).ToDictionary(x => x.h.Trim('"'), x => x.i, StringComparer.OrdinalIgnoreCase);
        string[] Total(string side) => rows.Skip(1).Single(r => r[header["Side"]] == side && r[header["IsScopeTotal"]] == "1" && r[header["IsRuleTotal"]] == "1");
        // policy: 150 − 10 − 15 = 125; scenario: A02 −50% × 50 = −25 → 150 − 10 − 25 = 115
        Assert.Equal(125m, decimal.Parse(Total("0")[header["Allocation"]], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(115m, decimal.Parse(Total(id.ToString())[header["Allocation"]], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("差五成", Total(id.ToString())[header["SideName"]].Trim('"'));
        await using (var connection = await host.Engine.OpenAsync())
            Assert.Contains($"whatif.csv", await connection.QuerySingleAsync<string>(
                "SELECT detail FROM audit_log WHERE action = 'export' AND user_name = 'finance' ORDER BY logged_at DESC LIMIT 1"));

        foreach (var user in new[] { "analyst", "dept", "admin" })
            Assert.Equal(403, (int)(await (await host.SignInAsync(user)).GetAsync($"/export/whatif?format=csv&year=2025&a={id}")).StatusCode);
        Assert.Equal(200, (int)(await (await host.SignInAsync("leader")).GetAsync($"/export/whatif?format=xlsx&year=2025&a={id}")).StatusCode);

        // 下载图片: the scenario's waterfall as a PNG (ScottPlot) for 财政; none for 分析
        var png = await (await host.SignInAsync("finance")).GetAsync($"/chart/whatif.png?year=2025&side={id}");
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await png.Content.ReadAsByteArrayAsync())[..4]);
        Assert.Equal(404, (int)(await (await host.SignInAsync("analyst")).GetAsync($"/chart/whatif.png?year=2025&side={id}")).StatusCode);
    }
}
