using BudgetPerf.Warehouse.Engines;
using DbUp.Engine.Output;
using DbUp.Helpers;

namespace BudgetPerf.Warehouse.Migrations;

/// <summary>
/// Applies <c>sql/migrations</c> once each, in name order, journaled in <c>schema_versions</c>. A script named
/// <c>NNNN_name.duckdb.sql</c> or <c>NNNN_name.postgres.sql</c> runs on that engine only (like a model variant): for the
/// few objects whose syntax differs, such as a SQL function (DuckDB's <c>CREATE MACRO</c>, PostgreSQL's <c>CREATE FUNCTION</c>).
/// </summary>
public static class WarehouseMigrator
{
    /// <summary>Runs pending migrations; returns the names applied now (empty when up to date).</summary>
    public static IReadOnlyList<string> Migrate(WarehouseEngine engine, string? migrationsDir = null)
    {
        var upgrader = engine.MigrationBuilder()
            .WithScriptsFromFileSystem(migrationsDir ?? SqlAssets.Migrations,
                new DbUp.ScriptProviders.FileSystemScriptOptions { Filter = file => ForEngine(file, engine.Name) })
            .WithTransactionPerScript()
            .WithVariablesDisabled()
            .LogTo(new NoOpUpgradeLog())
            .Build();

        var result = upgrader.PerformUpgrade();
        if (!result.Successful)
            throw new MigrationFailedException(
                $"migration {result.ErrorScript?.Name ?? "?"} failed: {result.Error?.Message}", result.Error);
        return result.Scripts.Select(s => s.Name).ToList();
    }

    /// <summary>Whether a migration file runs on <paramref name="engine"/>: every engine's, and its own variants.</summary>
    public static bool ForEngine(string file, string engine)
    {
        var name = Path.GetFileName(file);
        if (!name.EndsWith(".sql", StringComparison.OrdinalIgnoreCase)) return false;
        var stem = Path.GetFileNameWithoutExtension(name);
        var variant = Path.GetExtension(stem).TrimStart('.');
        return variant is not ("duckdb" or "postgres") || variant == engine;
    }
}

public sealed class MigrationFailedException(string message, Exception? inner) : Exception(message, inner);
