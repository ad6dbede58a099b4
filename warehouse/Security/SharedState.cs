using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Warehouse.Security;

/// <summary>
/// The Data Protection key ring in <c>data_protection_key</c> (migration 0080): one XML element per key, shared by every
/// dashboard instance on the same warehouse (issue 16, 无状态实例).
/// </summary>
public sealed class DataProtectionKeyStore(WarehouseEngine engine)
{
    /// <summary>Every stored key element's XML, oldest first.</summary>
    public async Task<IReadOnlyList<string>> AllAsync(CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT xml FROM data_protection_key ORDER BY created_at, friendly_name", cancellationToken: ct))).AsList();
    }

    /// <summary>Stores a new key element; a second store under the same name keeps the first (keys never change).</summary>
    public async Task StoreAsync(string friendlyName, string xml, CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(engine.Sql(
            "INSERT INTO data_protection_key (friendly_name, xml, created_at) VALUES (@friendlyName, @xml, @createdAt) ON CONFLICT (friendly_name) DO NOTHING"),
            new { friendlyName, xml, createdAt = DateTime.UtcNow }, cancellationToken: ct));
    }
}

/// <summary>
/// Sign-in attempts per client address (<c>sign_in_attempt</c>, migration 0080): a one-minute window opened by the
/// client's first attempt (as ASP.NET's fixed-window limiter does), counted by every instance together, so a client
/// cannot multiply its allowance by the number of instances.
/// </summary>
public sealed class SignInAttempts(WarehouseEngine engine)
{
    /// <summary>Counts one attempt of <paramref name="client"/> at <paramref name="utcNow"/>; returns the attempts in its window so far, this one included.</summary>
    public async Task<int> CountAsync(string client, DateTime utcNow, CancellationToken ct = default)
    {
        var now = DateTime.SpecifyKind(utcNow, DateTimeKind.Unspecified);
        await using var connection = await engine.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(engine.Sql(
            "DELETE FROM sign_in_attempt WHERE window_start < @stale"), new { stale = now.AddMinutes(-5) }, cancellationToken: ct));
        // both SET expressions read the row as it was: an expired window restarts at this attempt
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(engine.Sql("""
            INSERT INTO sign_in_attempt (client, window_start, attempts) VALUES (@client, @now, 1)
            ON CONFLICT (client) DO UPDATE SET
                attempts = CASE WHEN sign_in_attempt.window_start <= @expired THEN 1 ELSE sign_in_attempt.attempts + 1 END,
                window_start = CASE WHEN sign_in_attempt.window_start <= @expired THEN @now ELSE sign_in_attempt.window_start END
            RETURNING attempts
            """), new { client, now, expired = now.AddMinutes(-1) }, cancellationToken: ct));
    }
}

/// <summary>
/// The errors.csv of rejected uploads with their owners (<c>upload_error_file</c>, migration 0080): downloadable from any
/// instance, by the uploader only.
/// </summary>
public sealed class UploadErrorFiles(WarehouseEngine engine)
{
    /// <summary>Keeps <paramref name="content"/> under <paramref name="id"/> for <paramref name="owner"/>.</summary>
    public async Task SaveAsync(string id, string owner, string fileName, string content, CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(engine.Sql(
            "INSERT INTO upload_error_file (id, owner, file_name, content, created_at) VALUES (@id, @owner, @fileName, @content, @createdAt)"),
            new { id, owner, fileName, content, createdAt = DateTime.UtcNow }, cancellationToken: ct));
    }

    /// <summary>The errors.csv text of <paramref name="id"/> when <paramref name="userName"/> uploaded it; null otherwise.</summary>
    public async Task<string?> FindAsync(string id, string userName, CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(engine.Sql(
            "SELECT content FROM upload_error_file WHERE id = @id AND owner = @userName"), new { id, userName }, cancellationToken: ct));
    }
}
