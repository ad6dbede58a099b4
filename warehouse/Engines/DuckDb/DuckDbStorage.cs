using System.Buffers.Binary;
using System.Data.Common;
using System.Text;

namespace BudgetPerf.Warehouse.Engines.DuckDb;

/// <summary>
/// The storage format of the warehouse file (存储格式). DuckDB 1.5.6 still creates files in the v0.10.2 format unless told
/// otherwise; the v1.5.0 format (DICT_FSST strings, roaring validity) writes the three 3-million-row indicator tables of a
/// province about a third cheaper (province, <c>fct_indicator_judgement</c> copied into a new table: 12.2 → 8.1 CPU-s) and
/// smaller. Every connection names <see cref="StorageVersion"/>: a file DuckDB creates gets it; a file that exists keeps
/// its own format (DuckDB reads the format from the file's header and writes in it; checked with 1.5.6), so an older
/// warehouse works as before until <see cref="UpgradeStorageAsync"/> copies it into the new format
/// (<c>budgetperf init --upgrade-storage</c>). Files in the v1.5.0 format open only in DuckDB 1.5 or later.
/// </summary>
public sealed partial class DuckDbEngine
{
    /// <summary>The format new files are created in: named, not "latest", so a DuckDB upgrade changes it only on purpose.</summary>
    public const string StorageVersion = "v1.5.0";

    /// <summary>The storage version number DuckDB 1.5 writes into the header of a <see cref="StorageVersion"/> file (v0.10.2: 64).</summary>
    public const ulong StorageVersionNumber = 68;

    /// <summary>
    /// The storage version number in a DuckDB file's main header (checksum: 8 bytes, "DUCK", then the version as a
    /// little-endian 64-bit number), or null when there is no file yet or it is not a DuckDB file.
    /// </summary>
    public static ulong? FileStorageVersion(string path)
    {
        if (!File.Exists(path)) return null;
        Span<byte> header = stackalloc byte[20];
        using var file = File.OpenRead(path);
        if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length) return null;
        if (Encoding.ASCII.GetString(header[8..12]) != "DUCK") return null;
        return BinaryPrimitives.ReadUInt64LittleEndian(header[12..20]);
    }

    /// <summary>True when the file exists in a format older than <see cref="StorageVersion"/>.</summary>
    public bool NeedsStorageUpgrade => FileStorageVersion(FilePath) is { } version && version < StorageVersionNumber;

    /// <summary>
    /// Copies an older-format warehouse into a new file of <see cref="StorageVersion"/> (<c>COPY FROM DATABASE</c>: tables
    /// with their rows, views, indexes, constraints, macros and sequences at their current values) and puts it in the
    /// old one's place (a rename on the same folder). Nothing else may have the file open: the caller holds no
    /// connection, and another process is refused by DuckDB's file lock. Returns false when there was nothing to do.
    /// Needs free disk of about the file's size while it runs; a failure leaves the original as it was.
    /// </summary>
    public async Task<bool> UpgradeStorageAsync(CancellationToken ct = default)
    {
        if (!NeedsStorageUpgrade) return false;
        var next = FilePath + ".upgrading";
        DeleteWithWal(next);
        try
        {
            await using (var connection = await OpenAsync(ct))
            {
                var catalog = Convert.ToString(await ScalarAsync(connection, "SELECT current_database()", ct))!;
                await ScalarAsync(connection, "CHECKPOINT", ct);
                await ScalarAsync(connection, $"ATTACH '{next.Replace("'", "''")}' AS storage_upgrade (STORAGE_VERSION '{StorageVersion}')", ct);
                await ScalarAsync(connection, $"COPY FROM DATABASE \"{catalog.Replace("\"", "\"\"")}\" TO storage_upgrade", ct);
                await ScalarAsync(connection, "DETACH storage_upgrade", ct);
            }
            File.Move(next, FilePath, overwrite: true);
            // the old file's log was merged by the CHECKPOINT and its close; one left over would not belong to the new file
            if (File.Exists(FilePath + ".wal")) File.Delete(FilePath + ".wal");
            return true;
        }
        finally
        {
            DeleteWithWal(next);
        }
    }

    private static void DeleteWithWal(string path)
    {
        foreach (var file in new[] { path, path + ".wal" })
            if (File.Exists(file)) File.Delete(file);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        return await command.ExecuteScalarAsync(ct);
    }
}
