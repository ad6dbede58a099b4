using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Engines.Postgres;
using Npgsql;

using static BudgetPerf.Tests.Integration.Support.HandMade;

namespace BudgetPerf.Tests.Integration.Bi;

/// <summary>
/// The hand-made warehouse of the BI tests: 教育局 (101) has M01 monitored at 1-3月, 1-6月 and 1-12月 (budget 100,
/// executed 20, 50, 90), 交通局 (102) has M02 at 1-6月 (budget 200, executed 50).
/// </summary>
public static class BiWarehouse
{
    public static Task<WarehouseEngine> BuildAsync(string engineName, TempDir dir, PostgresServer postgres) =>
        HandMade.BuildAsync(engineName, dir, postgres,
            ("mf.csv", MonitoringFundHeader + "2025,1-12月,M01,课后服务补助,101,教育局,年度资金总额,100,,90,\n"
                                            + "2025,1-3月,M01,课后服务补助,101,教育局,年度资金总额,100,,20,\n"
                                            + "2025,1-6月,M01,课后服务补助,101,教育局,年度资金总额,100,,50,\n"
                                            + "2025,1-6月,M02,农村公路养护,102,交通局,年度资金总额,200,,50,\n"),
            ("mi.csv", MonitoringHeader + "2025,1-6月,M01,产出指标,质量指标,覆盖率,≥,100,%,,50,有可能\n"
                                        + "2025,1-6月,M02,产出指标,质量指标,养护合格率,≥,100,%,,100,确定能\n"));

    /// <summary>A connection as <paramref name="login"/> (the fixture's server trusts 127.0.0.1; the password is still sent).</summary>
    public static async Task<NpgsqlConnection> OpenAsAsync(WarehouseEngine engine, string login, string password)
    {
        var builder = new NpgsqlConnectionStringBuilder(((PostgresEngine)engine).ConnectionString)
        {
            Username = login, Password = password, Pooling = false,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>A login name no other test on the shared server uses (roles are cluster-wide).</summary>
    public static string UniqueLogin(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
