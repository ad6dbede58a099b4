using BudgetPerf.Dashboard.Cli;
using BudgetPerf.Tests.Integration.Support;

namespace BudgetPerf.Tests.Integration.Cli;

/// <summary>
/// The exit codes README documents, from the real <c>budgetperf</c> process: 0 ok, 1 rejected input or unreadable
/// file (one plain line, no stack trace), 2 usage (unknown command, bad option, missing required option); and each
/// command names the database it used.
/// </summary>
public sealed class ExitCodeTests : IDisposable
{
    private readonly TempDir _dir = new();

    private Task<CliProcess.Outcome> Run(params string[] args) => CliProcess.RunAsync(_dir.Path, null, args);

    [Fact]
    public async Task An_unknown_command_is_a_usage_error_exit_2()
    {
        var outcome = await Run("frobnicate", "--db", _dir.File("w.duckdb"));
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("用法错误", outcome.Output);
        Assert.Contains("frobnicate", outcome.Output);
        Assert.False(File.Exists(_dir.File("w.duckdb")), "nothing ran: no database was created");
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error_exit_2_also_where_files_are_expected()
    {
        var build = await Run("build", "--nope", "--db", _dir.File("w.duckdb"));
        var load = await Run("load", "--nope", "x.csv", "--db", _dir.File("w.duckdb"));
        Assert.Equal(2, build.ExitCode);
        Assert.Equal(2, load.ExitCode);
        Assert.Contains("--nope", load.Output);
    }

    [Fact]
    public async Task A_missing_required_option_is_a_usage_error_exit_2()
    {
        var outcome = await Run("report", "--department", "D1", "--db", _dir.File("w.duckdb"));   // --year is required
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--year", outcome.Output);
    }

    [Fact]
    public async Task A_missing_input_file_is_one_plain_line_and_exit_1()
    {
        var outcome = await Run("load", "missing.csv", "--db", _dir.File("w.duckdb"));
        Assert.Equal(1, outcome.ExitCode);
        var lines = outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["错误: 找不到文件“missing.csv”"], lines);
        Assert.DoesNotContain("Exception", outcome.Output);
    }

    [Fact]
    public async Task A_folder_given_as_input_is_one_plain_line_and_exit_1()
    {
        var outcome = await Run("load", _dir.Path, "--db", _dir.File("w.duckdb"));
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("是目录，不是上报文件", outcome.Output);
        Assert.DoesNotContain("   at ", outcome.Output);
    }

    [Fact]
    public async Task A_command_that_succeeds_exits_0_and_names_the_database_and_where_it_came_from()
    {
        var db = _dir.File("w.duckdb");
        var byOption = await Run("init", "--db", db);
        Assert.True(byOption.ExitCode == 0, byOption.Output);
        Assert.Contains($"数据库 {db}（--db）", byOption.Output);

        var byVariable = await CliProcess.RunAsync(_dir.Path, new Dictionary<string, string> { ["BUDGETPERF_DB"] = db }, "user", "list");
        Assert.True(byVariable.ExitCode == 0, byVariable.Output);
        Assert.Contains($"数据库 {db}（BUDGETPERF_DB）", byVariable.Output);
    }

    [Fact]
    public void The_default_database_is_data_budgetperf_duckdb_at_the_top_of_the_checkout_not_the_working_directory()
    {
        // the checkout: the folder above this test's binary that holds BudgetPerf.sln
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "BudgetPerf.sln"))) root = root.Parent!;
        Assert.Equal(Path.Combine(root.FullName, "data", "budgetperf.duckdb"), CliOptions.DefaultDb);
        Assert.Equal(Path.Combine(root.FullName, "data", "out"), CliOptions.OutDir);
    }

    public void Dispose() => _dir.Dispose();
}
