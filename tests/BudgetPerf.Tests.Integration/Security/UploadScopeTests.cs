using BudgetPerf.Etl.Loading;
using BudgetPerf.Etl.Validation;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;
using Dapper;

namespace BudgetPerf.Tests.Integration.Security;

/// <summary>A 部门 user's upload: rows of another department are refused by cell and nothing loads; who submitted is recorded.</summary>
[Collection(PostgresCollection.Name)]
public sealed class UploadScopeTests(PostgresServer postgres) : IDisposable
{
    private readonly TempDir _dir = new();

    private static readonly DataScope D01 = DataScope.Of(["D01"]);

    /// <summary>P001 of D01 and P007 of D07, loaded by the command line (unscoped).</summary>
    private async Task<WarehouseEngine> WarehouseAsync(string engineName)
    {
        var engine = await Engines.FreshAsync(engineName, _dir, postgres);
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        var funds = await new SubmissionLoader(engine).LoadFileAsync(_dir.Write("funds.csv", HandMade.MonitoringFundHeader +
            "2025,1-6月,P001,项目一,D01,教育局,年度资金总额,100,,30,\n" +
            "2025,1-6月,P007,项目七,D07,卫健委,年度资金总额,50,,10,\n"));
        Assert.Equal(LoadStatus.Loaded, funds.Status);
        return engine;
    }

    private static string Indicator(string project) => $"2025,1-6月,{project},产出指标,数量指标,培训人次,≥,100,人次,50,60,确定能\n";

    /// <summary>Row counts of every base table but the audit of offered files (etl_batch, load_error).</summary>
    private static async Task<Dictionary<string, long>> CountsAsync(WarehouseEngine engine)
    {
        await using var connection = await engine.OpenAsync();
        var tables = (await connection.QueryAsync<string>(
            $"SELECT table_name FROM information_schema.tables WHERE table_schema = '{engine.DefaultSchema}' AND table_type = 'BASE TABLE' " +
            "AND table_name NOT IN ('etl_batch', 'load_error')")).ToList();
        var counts = new Dictionary<string, long>();
        foreach (var t in tables) counts[t] = Convert.ToInt64(await connection.ExecuteScalarAsync($"SELECT COUNT(*) FROM \"{t}\""));
        return counts;
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_scoped_upload_with_another_departments_row_is_rejected_naming_it_and_changes_no_table(string engineName)
    {
        var engine = await WarehouseAsync(engineName);
        var before = await CountsAsync(engine);
        var file = _dir.Write("mixed.csv", HandMade.MonitoringHeader + Indicator("P001") + Indicator("P007") + Indicator("P001").Replace("培训人次", "结业人次"));

        var result = await new SubmissionLoader(engine).LoadFileAsync(file, new LoadOptions { Scope = D01, SubmittedBy = "edu" });

        Assert.Equal(LoadStatus.Rejected, result.Status);
        var error = Assert.Single(result.Issues, i => i.Severity == Severity.Error);
        Assert.Equal(("mixed.csv", 3, "项目编码", "P007"), (error.File, error.Row, error.Column, error.Value));
        Assert.Equal("项目 P007 属于部门 D07，不在您的上报范围（D01）内", error.Message);
        Assert.Equal(before, await CountsAsync(engine));
        await using var connection = await engine.OpenAsync();
        Assert.Equal("edu", await connection.ExecuteScalarAsync<string>(
            "SELECT submitted_by FROM etl_batch WHERE file_name = 'mixed.csv' AND status = 'rejected'"));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task An_in_scope_upload_loads_and_records_who_submitted_it(string engineName)
    {
        var engine = await WarehouseAsync(engineName);
        var file = _dir.Write("own.csv", HandMade.MonitoringHeader + Indicator("P001") + Indicator("P001").Replace("培训人次", "结业人次"));

        var result = await new SubmissionLoader(engine).LoadFileAsync(file, new LoadOptions { Scope = D01, SubmittedBy = "edu" });

        Assert.Equal(LoadStatus.Loaded, result.Status);
        Assert.Equal(2, result.Rows);
        await using var connection = await engine.OpenAsync();
        Assert.Equal("edu", await connection.ExecuteScalarAsync<string>(
            $"SELECT submitted_by FROM etl_batch WHERE batch_id = {result.BatchId}"));
        Assert.Null(await connection.ExecuteScalarAsync<string>("SELECT submitted_by FROM etl_batch WHERE file_name = 'funds.csv'"));
        Assert.Equal(2L, Convert.ToInt64(await connection.ExecuteScalarAsync(
            $"SELECT COUNT(*) FROM raw_monitoring_indicator WHERE batch_id = {result.BatchId}")));
    }

    [SkippableTheory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_new_project_loads_only_when_its_row_names_an_in_scope_department(string engineName)
    {
        var engine = await WarehouseAsync(engineName);
        var loader = new SubmissionLoader(engine);
        var unknown = _dir.Write("unknown.csv", HandMade.MonitoringHeader + Indicator("P100"));
        var otherDepartment = _dir.Write("other.csv", HandMade.MonitoringFundHeader + "2025,1-6月,P101,新项目,D07,卫健委,年度资金总额,10,,1,\n");
        var ownDepartment = _dir.Write("new.csv", HandMade.MonitoringFundHeader + "2025,1-6月,P102,新项目,D01,教育局,年度资金总额,10,,1,\n");
        var options = new LoadOptions { Scope = D01, SubmittedBy = "edu" };

        var refusedUnknown = await loader.LoadFileAsync(unknown, options);
        var refusedOther = await loader.LoadFileAsync(otherDepartment, options);
        var loaded = await loader.LoadFileAsync(ownDepartment, options);

        var why = Assert.Single(refusedUnknown.Issues, i => i.Severity == Severity.Error);
        Assert.Equal((2, "项目编码", "P100"), (why.Row, why.Column, why.Value));
        Assert.Contains("尚未在数仓登记", why.Message);
        var other = Assert.Single(refusedOther.Issues, i => i.Severity == Severity.Error);
        Assert.Equal((2, "主管部门编码", "D07"), (other.Row, other.Column, other.Value));
        Assert.Equal(LoadStatus.Loaded, loaded.Status);
        // the same files unscoped (the command line) are not checked
        Assert.Equal(LoadStatus.Loaded, (await loader.LoadFileAsync(otherDepartment)).Status);
    }

    public void Dispose() => _dir.Dispose();
}
