namespace BudgetPerf.Warehouse.Engines;

/// <summary>The DuckDB file is held by another process; the CLI prints the message and exits 1.</summary>
public sealed class WarehouseLockedException(string message, Exception inner) : Exception(message, inner);
