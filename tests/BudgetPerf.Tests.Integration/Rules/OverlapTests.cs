using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Policy;
using Dapper;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Rules;

/// <summary>
/// 交叉重复 (issue 14 item 2): pairs within one jurisdiction whose content (年度总体目标, indicators, 实施单位,
/// 受益对象) agrees, not look-alike names; recurring operating items are never compared; on both engines.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OverlapTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private const string MasterHeader = "项目编码,项目名称,主管部门编码,主管部门,实施单位,年度总体目标,区划代码,省级区划,市级区划,县级区划\n";
    private const string Goal = "完成农村学校饮水安全改造12所，保障师生饮水安全，师生满意度达到90%以上。";
    private const string Site = "660000,河西省,金川市";

    private static (string, string)[] Files()
    {
        var master = MasterHeader
            + $"O1,农村学校饮水安全改造工程,D1,水利局,清河县第一中学,{Goal},660121,{Site},清河县\n"
            + $"O2,农村学校安全饮水改造项目,D2,教育局,清河县第一中学,{Goal},660121,{Site},清河县\n"
            + $"O3,农村学校饮水安全改造工程,D3,卫生健康委员会,平川县第一中学,{Goal},660122,{Site},平川县\n"
            + "O4,乡村道路维修项目,D4,交通局,交通局,完成乡村道路维修20公里，保障群众出行。,660121,河西省,金川市,清河县\n"
            + "O5,乡村道路维修经费,D5,农业局,农业局,完成田间作业道路维修5条，方便农机下田。,660121,河西省,金川市,清河县\n"
            + "O6,门户网站运维项目,D1,水利局,水利局,保障门户网站安全稳定运行，信息及时公开。,660121,河西省,金川市,清河县\n"
            + "O7,门户网站运维项目,D2,教育局,教育局,保障门户网站安全稳定运行，信息及时公开。,660121,河西省,金川市,清河县\n";
        var codes = new[] { "O1", "O2", "O3", "O4", "O5", "O6", "O7" };
        var funds = FundHeader + string.Concat(codes.Select(c => $"2024,{c},,,,年度资金总额,100,100,90,10,9\n"));
        string Same(string c) =>
            $"2024,{c},产出指标,数量指标,改造学校数,,≥12所,,12,40,\n2024,{c},效益指标,社会效益指标,饮水达标率,,≥95%,,96,30,\n"
            + $"2024,{c},满意度指标,服务对象满意度指标,师生满意度,,≥90%,,92,20,\n";
        var indicators = IndicatorHeader + Same("O1") + Same("O2") + Same("O3") + Same("O6") + Same("O7")
            + "2024,O4,产出指标,数量指标,维修里程,,≥20公里,,20,40,\n2024,O4,满意度指标,服务对象满意度指标,受益群众满意度,,≥90%,,92,50,\n"
            + "2024,O5,产出指标,数量指标,维修道路条数,,≥5条,,5,40,\n2024,O5,满意度指标,服务对象满意度指标,农户满意度,,≥90%,,92,50,\n";
        return [("项目信息.csv", master), ("fund.csv", funds), ("ind.csv", indicators)];
    }

    private static async Task<List<(string, string, string)>> PairsAsync(WarehouseEngine engine)
    {
        await using var connection = await engine.OpenAsync();
        return (await connection.QueryAsync<(string, string, string)>(
            "SELECT project_a, project_b, matched FROM mart_overlap_pairs ORDER BY project_a, project_b")).ToList();
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task Only_the_same_content_in_one_county_is_a_pair_and_it_says_what_matched(string engineName)
    {
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, Files());

        var pairs = await PairsAsync(engine);

        // O1/O2: goal, indicators 3/3, 实施单位 and 师生满意度 agree, in 清河县 → the one pair;
        // O1/O3 agree as much but O3 is 平川县's; O4/O5 normalise to the same name 乡村道路维修 but share no content;
        // O6/O7 agree on everything but 门户网站运维 is a recurring operating item
        var pair = Assert.Single(pairs);
        Assert.Equal(("O1", "O2"), (pair.Item1, pair.Item2));
        Assert.Equal("年度总体目标一致 绩效指标重合 3/3 实施单位相同 受益对象相同（师生满意度）", pair.Item3);
        await using var connection = await engine.OpenAsync();
        var flagged = (await connection.QueryAsync<(string, decimal?, string)>(
            "SELECT project_code, amount, reason FROM mart_cut_candidates WHERE flag = '调整' ORDER BY project_code")).ToList();
        Assert.Equal(["O1", "O2"], flagged.Select(f => f.Item1));
        Assert.All(flagged, f => Assert.Null(f.Item2));   // a review list: never money
        // the reason names no other department's project (a 部门 user reads it); the pairs page shows both sides in scope
        Assert.Equal("与同一区划内其他部门的 1 个项目内容相近（年度总体目标一致 绩效指标重合 3/3 实施单位相同 受益对象相同（师生满意度））："
            + "交叉重复，建议审查整合（对照见 削减与收回 → 交叉重复对照）", flagged[0].Item3);
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task An_administrator_taking_an_item_off_the_recurring_list_lets_its_pairs_be_compared(string engineName)
    {
        var engine = await HandMade.BuildAsync(engineName, _dir, postgres, Files());
        var policy = new PolicyStore(engine);
        var items = (await policy.ListAsync()).Single(s => s.Setting == "overlap_recurring_items").Value;
        Assert.NotNull(await policy.ProblemAsync("overlap_recurring_items", "网站运维、、业务培训"));

        await policy.SetAsync("overlap_recurring_items", items.Replace("网站运维、", ""), "admin", "测试");
        var build = await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") });
        Assert.True(build.Success);

        Assert.Equal([("O1", "O2"), ("O6", "O7")], (await PairsAsync(engine)).Select(p => (p.Item1, p.Item2)));
    }

    public void Dispose() => _dir.Dispose();
}
