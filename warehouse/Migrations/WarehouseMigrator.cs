using BudgetPerf.Warehouse.Engines;
using DbUp.Engine.Output;
using DbUp.Helpers;

namespace BudgetPerf.Warehouse.Migrations;

/// <summary>Applies <c>sql/migrations</c> once each, in name order, journaled in <c>schema_versions</c>.</summary>
public static class WarehouseMigrator
{
    /// <summary>Runs pending migrations; returns the names applied now (empty when up to date).</summary>
    public static IReadOnlyList<string> Migrate(WarehouseEngine engine, string? migrationsDir = null)
    {
        var upgrader = engine.MigrationBuilder()
            .WithScriptsFromFileSystem(migrationsDir ?? SqlAssets.Migrations)
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
}

public sealed class MigrationFailedException(string message, Exception? inner) : Exception(message, inner);
