using System.Data.Common;
using Dapper;

namespace BudgetPerf.Warehouse.Engines.Postgres;

/// <summary>
/// 旁建后切换 (issue 15, readers during a build on PostgreSQL): a build creates every relation it replaces in a schema of
/// its own, <c>bp_build</c>, first on its session's search_path, so the models it builds next read the new relations by
/// the same unqualified names while readers keep querying the public ones without waiting. At the end
/// (<see cref="Models.ReplaceLocks.SwapAsync"/>) the public relations are locked in one step, dropped, and the new ones
/// moved into public (<c>ALTER … SET SCHEMA</c>, a catalogue change): readers wait for that short step and the commit
/// after it, not for the whole build. Incremental models change their public table in place (DELETE and INSERT take
/// ROW EXCLUSIVE, which a reader's ACCESS SHARE does not wait for). Everything is in the build's transaction: a failed
/// build rolls the schema's relations back with the rest.
/// </summary>
public static class PostgresBuildSchema
{
    /// <summary>The schema a build creates its relations in.</summary>
    public const string Name = "bp_build";

    /// <summary>
    /// Before the build's transaction, under the build lock: an empty <c>bp_build</c> first on the session's search_path.
    /// Without the right to create a schema the build replaces relations in place, holding them to its commit, as before.
    /// </summary>
    public static async Task PrepareAsync(DbConnection connection, CancellationToken ct = default)
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"DROP SCHEMA IF EXISTS {Name} CASCADE; CREATE SCHEMA {Name}", cancellationToken: ct));
        }
        catch (DbException ex) when (ex.SqlState == "42501") // insufficient_privilege: no CREATE on the database
        {
            return;
        }
        await JoinAsync(connection, ct);
    }

    /// <summary>A further session of the same build (<see cref="Models.ModelRunner"/>'s staged build): <c>bp_build</c> first on its search_path.</summary>
    public static Task JoinAsync(DbConnection connection, CancellationToken ct = default) =>
        connection.ExecuteAsync(new CommandDefinition(
            $"SELECT set_config('search_path', '{Name}, ' || current_setting('search_path'), false)", cancellationToken: ct));

    /// <summary>A staged build's relations, committed as they were built, all dropped; the schema stays, empty.</summary>
    public static Task EmptyAsync(DbConnection connection) =>
        connection.ExecuteAsync($"DROP SCHEMA IF EXISTS {Name} CASCADE; CREATE SCHEMA {Name}");

    /// <summary>Whether this session creates relations in <c>bp_build</c> now (first existing schema on its search_path).</summary>
    public static async Task<bool> ActiveAsync(DbConnection connection) =>
        await connection.ExecuteScalarAsync<bool>($"SELECT COALESCE((current_schemas(false))[1] = '{Name}', false)");

    /// <summary>
    /// DROP of a model, seed or previous-rows relation: in <c>bp_build</c> while a build creates its relations there (the
    /// public one stays for readers until the swap), else the one the search_path finds, as before.
    /// </summary>
    public static string DropSql(string name, bool isView)
    {
        var kind = isView ? "VIEW" : "TABLE";
        return $"""
            DO $bp_drop$ BEGIN
            IF (current_schemas(false))[1] = '{Name}' THEN DROP {kind} IF EXISTS {Name}.{name} CASCADE;
            ELSE DROP {kind} IF EXISTS {name} CASCADE;
            END IF;
            END $bp_drop$
            """;
    }

    /// <summary>
    /// Inside the build's transaction, with every lock of <see cref="Models.ReplaceLocks"/> held: each relation of
    /// <c>bp_build</c> replaces its namesake in <paramref name="schema"/> (dropped with CASCADE: the views over it were
    /// rebuilt aside too, or the runner rebuilds them next), then the session's search_path loses <c>bp_build</c>, so
    /// what the build creates after this (views dropped by the cascade, the bi schema) is created in public directly.
    /// Returns how many relations were swapped in.
    /// </summary>
    public static async Task<int> SwapAsync(DbConnection connection, string schema)
    {
        var built = (await connection.QueryAsync<(string Relation, string Kind, string? Replaced)>("""
            SELECT c.relname::text, c.relkind::text,
                (SELECT p.relkind::text FROM pg_class p
                 WHERE p.relnamespace = to_regnamespace(@schema) AND p.relname = c.relname AND p.relkind IN ('r', 'p', 'v', 'm'))
            FROM pg_class c
            WHERE c.relnamespace = to_regnamespace(@aside) AND c.relkind IN ('r', 'p', 'v')
            ORDER BY c.relname
            """, new { schema, aside = Name })).ToList();
        var script = new System.Text.StringBuilder();
        foreach (var (relation, _, replaced) in built.Where(b => b.Replaced is not null))
            script.AppendLine($"DROP {(replaced == "v" ? "VIEW" : "TABLE")} IF EXISTS {schema}.{Quote(relation)} CASCADE;");
        // IF EXISTS: a view built aside over a public view that the drops above took with them (CASCADE: a table replaced
        // under an unchanged staging view, e.g. stg_current_batch recomputed in full after raw rows were changed by hand)
        // is gone too; the runner rebuilds it after the swap with the rest of what the cascade dropped
        foreach (var (relation, kind, _) in built)
            script.AppendLine($"ALTER {(kind == "v" ? "VIEW" : "TABLE")} IF EXISTS {Name}.{Quote(relation)} SET SCHEMA {schema};");
        script.AppendLine($"SELECT set_config('search_path', regexp_replace(current_setting('search_path'), '^{Name},\\s*', ''), false);");
        await connection.ExecuteAsync(script.ToString(), commandTimeout: 0);
        return built.Count;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
