using System.CommandLine;
using BudgetPerf.Etl.Demo;
using BudgetPerf.Warehouse.Engines;

namespace BudgetPerf.Bench.Commands;

/// <summary>
/// What the <c>budgetperf bench</c> commands take from the command-line host that registers them
/// (<see cref="BenchCommand.Create"/>): where the database is, the data folder, the host's error handling, the demo
/// (generate → load → build, the host's <c>demo</c> command) and the host's own assembly (for <c>serve</c>).
/// The bench never references the host: the host hands these in.
/// </summary>
/// <param name="Resolve">The database of a command and where it came from (<c>--db</c>, <c>BUDGETPERF_DB</c> or "默认").</param>
/// <param name="Engine">The engine of the resolved database, after announcing it.</param>
/// <param name="Announce">Prints which database an engine is and why.</param>
/// <param name="DataDir">The data folder (数据目录); bench warehouses live in <c>DataDir/bench</c>.</param>
/// <param name="Guard">Runs a command body, turning expected failures into a message and exit 1.</param>
/// <param name="DemoAsync">Builds a demo warehouse (0 on success).</param>
/// <param name="HostAssembly">The host's <c>budgetperf.dll</c>, started as <c>serve</c> by <c>bench submissions</c>.</param>
public sealed record BenchHost(
    Func<ParseResult, (string Target, string Source)> Resolve,
    Func<ParseResult, WarehouseEngine> Engine,
    Action<WarehouseEngine, string> Announce,
    string DataDir,
    Func<Func<Task<int>>, Task<int>> Guard,
    Func<WarehouseEngine, DemoOptions, string, CancellationToken, Task<int>> DemoAsync,
    string HostAssembly);
