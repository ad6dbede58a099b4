using System.Security.Cryptography;
using BudgetPerf.Etl.Intake;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse;
using BudgetPerf.Warehouse.Engines.DuckDb;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Security;
using Dapper;

namespace BudgetPerf.Tests.Integration.Intake;

/// <summary>
/// The intake use case shared by <c>budgetperf load</c> and the web upload (<see cref="SubmissionIntake"/>): hashed once
/// (on receipt, the loader takes that digest), scope-checked, audited, and the build triggered when something loaded.
/// </summary>
public sealed class SubmissionIntakeTests : IDisposable
{
    private readonly TempDir _dir = new();

    private const string Funds = HandMade.MonitoringFundHeader +
        "2025,1-6月,P001,项目一,D01,教育局,年度资金总额,100,,30,\n" +
        "2025,1-6月,P007,项目七,D07,卫健委,年度资金总额,50,,10,\n";

    private async Task<DuckDbEngine> FreshAsync()
    {
        var engine = new DuckDbEngine(_dir.File("warehouse.duckdb"));
        await WarehouseSetup.InitAsync(engine, _dir.File("target"));
        return engine;
    }

    [Fact]
    public async Task A_received_file_is_hashed_once_and_that_digest_is_the_one_recorded_and_audited()
    {
        var engine = await FreshAsync();
        var intake = new SubmissionIntake(engine, new IntakeOptions { AuditAction = "upload" });
        var bytes = System.Text.Encoding.UTF8.GetBytes(Funds);
        var path = _dir.File("funds.csv");
        var sha = await intake.ReceiveAsync(() => new MemoryStream(bytes), path);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha);
        var outcome = await intake.SubmitAsync([new IntakeItem("funds.csv", path, sha)], new Submitter("edu", DataScope.All));

        var file = Assert.Single(outcome.Files);
        Assert.Equal(LoadStatus.Loaded, file.Result.Status);
        Assert.Equal(sha, file.Result.Sha256);
        await using var connection = await engine.OpenAsync();
        Assert.Equal(sha, await connection.ExecuteScalarAsync<string>("SELECT sha256 FROM etl_batch WHERE status = 'loaded'"));
        var audit = Assert.Single(await new UserStore(engine).RecentAuditAsync(10), a => a.Action == "upload");
        Assert.Equal("edu", audit.UserName);
        Assert.Contains($"funds.csv sha256={sha} result=loaded rows=2", audit.Detail);
        Assert.Null(outcome.Build);   // no build asked for
    }

    [Fact]
    public async Task The_loader_takes_the_digest_it_is_given_instead_of_hashing_the_file_again()
    {
        var engine = await FreshAsync();
        // a digest that is not the file's: were the file hashed again, etl_batch would hold the real one
        var given = new string('a', 64);
        var result = await new SubmissionLoader(engine).LoadFileAsync(_dir.Write("funds.csv", Funds), new LoadOptions { Sha256 = given });
        Assert.Equal(LoadStatus.Loaded, result.Status);
        await using var connection = await engine.OpenAsync();
        Assert.Equal(given, await connection.ExecuteScalarAsync<string>("SELECT sha256 FROM etl_batch"));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            new SubmissionLoader(engine).LoadFileAsync(_dir.File("funds.csv"), new LoadOptions { Sha256 = "x' OR '1'='1" }));
    }

    [Fact]
    public async Task A_file_past_the_limit_is_refused_on_receipt_deleted_and_audited_as_too_large()
    {
        var engine = await FreshAsync();
        var intake = new SubmissionIntake(engine, new IntakeOptions { LimitBytes = 100 });
        var path = _dir.File("big.csv");
        Assert.Null(await intake.ReceiveAsync(() => new MemoryStream(new byte[101]), path));
        Assert.False(File.Exists(path));
        Assert.NotNull(await intake.ReceiveAsync(() => new MemoryStream(new byte[100]), _dir.File("fits.csv")));   // exactly the limit fits

        var outcome = await intake.SubmitAsync([IntakeItem.Refused("big.csv", IntakeRefusal.TooLarge, "too large")], new Submitter("edu", DataScope.All));
        Assert.Equal(IntakeRefusal.TooLarge, Assert.Single(outcome.Files).Refusal);
        var audit = Assert.Single(await new UserStore(engine).RecentAuditAsync(10));
        Assert.Equal("refused", audit.Outcome);
        Assert.Contains("result=too-large", audit.Detail);
    }

    [Fact]
    public async Task Rows_outside_the_submitters_departments_reject_the_file_and_trigger_no_build()
    {
        var engine = await FreshAsync();
        var builds = 0;
        var intake = new SubmissionIntake(engine, new IntakeOptions
        {
            Build = _ => { builds++; return Task.FromResult<BuildResult>(null!); },
        });
        var outcome = await intake.SubmitAsync([new IntakeItem("funds.csv", _dir.Write("funds.csv", Funds))],
            new Submitter("edu", DataScope.Of(["D01"])));   // P007 belongs to D07
        Assert.Equal(LoadStatus.Rejected, Assert.Single(outcome.Files).Result.Status);
        Assert.Equal(0, builds);
    }

    [Fact]
    public async Task A_file_that_loads_triggers_the_build_once_per_submission()
    {
        var engine = await FreshAsync();
        var builds = 0;
        var intake = new SubmissionIntake(engine, new IntakeOptions
        {
            Build = async ct => { builds++; return await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") }, ct); },
        });
        var second = HandMade.MonitoringFundHeader + "2025,1-6月,P002,项目二,D01,教育局,年度资金总额,80,,20,\n";
        var outcome = await intake.SubmitAsync(
            [new IntakeItem("funds.csv", _dir.Write("funds.csv", Funds)), new IntakeItem("more.csv", _dir.Write("more.csv", second))],
            new Submitter("cli:test", DataScope.All));
        Assert.All(outcome.Files, f => Assert.Equal(LoadStatus.Loaded, f.Result.Status));
        Assert.Equal(1, builds);
        Assert.True(outcome.Build!.Success);
    }

    [Fact]
    public async Task Budgetperf_load_goes_through_the_intake_audited_as_load_and_builds_with_build()
    {
        var db = _dir.File("cli.duckdb");
        var csv = _dir.Write("funds.csv", Funds);
        var outcome = await CliProcess.RunAsync(_dir.Path, null, "load", csv, "--build", "--db", db);
        Assert.True(outcome.ExitCode == 0, outcome.Output);

        var engine = new DuckDbEngine(db);
        var audit = Assert.Single(await new UserStore(engine).RecentAuditAsync(10), a => a.Action == "load");
        Assert.StartsWith("cli:", audit.UserName);
        Assert.Contains($"funds.csv sha256={Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(csv)))} result=loaded rows=2", audit.Detail);
        await using var connection = await engine.OpenAsync();
        // the build ran: the mart exists and holds both projects
        Assert.Equal(2L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT project_code)::BIGINT FROM dim_project"));
    }

    public void Dispose() => _dir.Dispose();
}
