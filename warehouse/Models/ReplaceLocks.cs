using System.Data.Common;
using System.Diagnostics;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Engines.Postgres;
using Dapper;

namespace BudgetPerf.Warehouse.Models;

/// <summary>
/// 替换锁 (issue 15, one writer and many readers on PostgreSQL): the ACCESS EXCLUSIVE locks a build needs to replace the
/// relations readers query, taken all in one short step the first time the build replaces one (a seed, a table or a view
/// rebuilt, a full refresh's drops, the bi schema), never one by one as the models come.
/// <para>
/// Why: a build replacing models one after another held each replaced table until its commit, while a reader's query,
/// which locks its relations one after another as it plans, held a mart the build had not reached yet and waited for
/// one the build had replaced: when the build came to that mart, each waited for the other (40P01, 10 of 30 uploads
/// failed so at load 37). Here the build waits for a lock only inside this step, holding nothing readers want before
/// it: one statement locks every model table and seed (<c>LOCK TABLE</c>) and every model view and bi view (<c>ALTER VIEW
/// … OWNER TO</c> its own owner: an ACCESS EXCLUSIVE lock on the view alone, where <c>LOCK TABLE</c> of a view would
/// also lock the raw tables and etl_batch under it, which uploads and the loader write). The step runs under a
/// savepoint with a statement_timeout well below the server's deadlock_timeout: when a
/// reader holds one of the relations while it waits for another the step has taken, the step gives up before either
/// side's deadlock check runs, the savepoint's rollback releases what it took, and only the step is tried again — first
/// queued, holding nothing else, for the table readers held most (a streamed export holds its mart for seconds: without
/// queueing, the step would rarely find every mart free at once while exports keep starting).
/// After it the build waits for no lock a reader holds, so no cycle can close through it.
/// </para>
/// <para>
/// Built aside (<see cref="PostgresBuildSchema"/>, issue 15: a reader must not wait for the whole build): when the build's
/// session creates its relations in <c>bp_build</c>, nothing public is replaced until the end, so <see cref="EnsureAsync"/>
/// takes nothing and <see cref="SwapAsync"/> takes the same locks, in the same one step, only to swap the new relations
/// in; readers wait for the swap and the commit, not for the models.
/// </para>
/// DuckDB has one writer process and no lock waits between readers and the build: nothing to do there.
/// </summary>
public sealed class ReplaceLocks(WarehouseEngine engine, ModelProject project)
{
    private const string Savepoint = "bp_replace_locks";

    /// <summary>How long the step may keep trying before the build fails (readers' queries finish within seconds).</summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether the locks are held (the build's transaction holds them until its end).</summary>
    public bool Held { get; private set; }

    /// <summary>How many times the step ran before it got every lock (1: at once); 0 while not taken.</summary>
    public int Attempts { get; private set; }

    /// <summary>How many relations built aside the swap moved into public (0 before it, or when built in place).</summary>
    public int Swapped { get; private set; }

    private bool? _aside;
    private bool _swapDone;

    /// <summary>Whether this build creates its relations aside (PostgreSQL, <c>bp_build</c> on the session's search_path).</summary>
    public async Task<bool> BuildsAsideAsync(DbConnection connection) =>
        engine.Name == "postgres" && !_swapDone && (_aside ??= await PostgresBuildSchema.ActiveAsync(connection));

    /// <summary>
    /// Takes the locks unless held already; call it inside the build's transaction before replacing anything. A build
    /// made aside replaces nothing before its swap: nothing to take yet.
    /// </summary>
    public async Task EnsureAsync(DbConnection connection)
    {
        if (Held || engine.Name != "postgres" || await BuildsAsideAsync(connection)) return;
        await TakeAsync(connection, aside: false);
    }

    /// <summary>
    /// After the last model, before the bi schema: the locks (one step, as <see cref="EnsureAsync"/>), then, for a build
    /// made aside, its relations swapped into public (<see cref="PostgresBuildSchema.SwapAsync"/>).
    /// </summary>
    public async Task SwapAsync(DbConnection connection)
    {
        if (engine.Name != "postgres") return;
        var aside = await BuildsAsideAsync(connection);
        if (!Held) await TakeAsync(connection, aside);
        if (!aside) return;
        Swapped = await PostgresBuildSchema.SwapAsync(connection, engine.DefaultSchema);
        _swapDone = true; // the session's search_path no longer has bp_build: what follows is made in public
    }

    private async Task TakeAsync(DbConnection connection, bool aside)
    {
        var (tables, views) = await RelationsAsync(connection, aside);
        await AutovacuumYieldsAsync(connection, tables);
        var timeout = await StepTimeoutMsAsync(connection);
        var previousTimeout = await connection.ExecuteScalarAsync<string>("SHOW statement_timeout");
        var clock = Stopwatch.StartNew();
        var random = new Random();
        string? busy = null;
        while (true)
        {
            Attempts++;
            await connection.ExecuteAsync($"SAVEPOINT {Savepoint}");
            try
            {
                // the relation a reader kept last time (a long export): queued for it alone, holding nothing readers
                // want, so no cycle can form while it waits; new readers of it queue behind the build meanwhile
                if (busy is not null) await connection.ExecuteAsync($"LOCK TABLE {busy} IN ACCESS EXCLUSIVE MODE", commandTimeout: 0);
                await connection.ExecuteAsync($"SET LOCAL statement_timeout = {timeout}");
                await connection.ExecuteAsync(LockSql(tables, views));
                await connection.ExecuteAsync($"SET LOCAL statement_timeout = '{previousTimeout}'");
                await connection.ExecuteAsync($"RELEASE SAVEPOINT {Savepoint}");
                Held = true;
                return;
            }
            catch (DbException ex) when (ex.SqlState is "57014" or "55P03" or "40P01")
            {
                // 57014 our statement_timeout, 55P03 a lock_timeout, 40P01 (should the server's check still come first):
                // a reader holds what we want; release what the step took and let it finish
                await connection.ExecuteAsync($"ROLLBACK TO SAVEPOINT {Savepoint}");
                busy = await BusiestAsync(connection, tables);
                if (clock.Elapsed > GiveUpAfter)
                    throw new InvalidOperationException(
                        $"could not lock the {tables.Count + views.Count} relations the build replaces within {GiveUpAfter.TotalSeconds:0} s " +
                        $"({Attempts} attempts; readers kept them): {ex.Message}", ex);
                await Task.Delay(random.Next(20, 50 + Math.Min(Attempts, 20) * 25));
            }
        }
    }

    /// <summary>The table of the set most other sessions hold a lock on now (null: none; a view's readers hold its tables too).</summary>
    private static async Task<string?> BusiestAsync(DbConnection connection, List<string> tables) =>
        tables.Count == 0 ? null : await connection.ExecuteScalarAsync<string?>("""
            SELECT l.relation::regclass::text FROM pg_locks l
            WHERE l.granted AND l.pid <> pg_backend_pid() AND l.relation = ANY(@oids::regclass[])
            GROUP BY l.relation ORDER BY COUNT(*) DESC, l.relation::regclass::text LIMIT 1
            """, new { oids = tables.ToArray() });

    /// <summary>One statement (a DO block, so one statement_timeout covers it all) taking every lock in a fixed order.</summary>
    private static string LockSql(List<string> tables, List<(string Name, string Owner)> views)
    {
        var body = new System.Text.StringBuilder();
        if (tables.Count > 0) body.AppendLine($"LOCK TABLE {string.Join(", ", tables)} IN ACCESS EXCLUSIVE MODE;");
        foreach (var (name, owner) in views) body.AppendLine($"ALTER VIEW {name} OWNER TO {owner};");
        return $"DO $bp_locks$ BEGIN\n{body}NULL;\nEND $bp_locks$";
    }

    /// <summary>
    /// The model and seed tables and the model and bi views (with their owners) that exist now, schema-qualified and
    /// quoted, sorted: one fixed order. <paramref name="aside"/>: of the tables only those the swap replaces (a namesake
    /// in <c>bp_build</c>); an incremental table changed in place (DELETE, INSERT: ROW EXCLUSIVE) or left unchanged needs
    /// no lock of its own, and waiting for it cost the swap a second per table autovacuum was working on (issue 15,
    /// province: 5.2 s of a 85 s incremental pass waited so for fct_indicator_judgement, stg_current_batch, …).
    /// </summary>
    private async Task<(List<string> Tables, List<(string Name, string Owner)> Views)> RelationsAsync(DbConnection connection, bool aside)
    {
        var names = project.Graph.Nodes.Select(n => n.Name).ToArray();
        var rows = await connection.QueryAsync<(string Name, string Kind, string Owner)>("""
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relkind::text, quote_ident(pg_get_userbyid(c.relowner))
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v')
              AND ((n.nspname = @schema AND c.relname = ANY(@names)
                    AND (NOT @aside OR c.relkind = 'v' OR EXISTS (SELECT 1 FROM pg_class b
                        WHERE b.relnamespace = to_regnamespace(@asideSchema) AND b.relname = c.relname)))
                   OR n.nspname = 'bi')
            ORDER BY n.nspname, c.relname
            """, new { schema = engine.DefaultSchema, names, aside, asideSchema = PostgresBuildSchema.Name });
        var tables = rows.Where(r => r.Kind is "r" or "p").Select(r => r.Name).ToList();
        var views = rows.Where(r => r.Kind == "v").Select(r => (r.Name, r.Owner)).ToList();
        return (tables, views);
    }

    /// <summary>
    /// Autovacuum's workers on the tables about to be locked are asked to stop (<c>pg_cancel_backend</c>), as PostgreSQL
    /// itself stops one after a lock waiter's deadlock_timeout, which the step's shorter timeout never reaches: every table
    /// a build rebuilt is vacuumed and analysed by autovacuum after its commit, so the next pass's step found them busy and
    /// waited a deadlock_timeout (1 s) per table. Not a worker preventing wraparound (PostgreSQL does not stop those
    /// either), and only for a superuser, who alone may signal them (the query then cancels nothing).
    /// </summary>
    private static async Task AutovacuumYieldsAsync(DbConnection connection, List<string> tables)
    {
        if (tables.Count == 0) return;
        await connection.ExecuteAsync("""
            SELECT pg_cancel_backend(a.pid) FROM pg_stat_activity a
            WHERE a.backend_type = 'autovacuum worker' AND a.query NOT LIKE '%to prevent wraparound%'
              AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
              AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.relation = ANY(@oids::regclass[]))
            """, new { oids = tables.ToArray() });
    }

    /// <summary>
    /// The step's statement_timeout in ms: 40 % of the server's deadlock_timeout (1 s by default), so the step ends
    /// before a reader that began waiting during it runs its deadlock check.
    /// </summary>
    private static async Task<int> StepTimeoutMsAsync(DbConnection connection)
    {
        var ms = await connection.ExecuteScalarAsync<int>(
            "SELECT setting::int FROM pg_settings WHERE name = 'deadlock_timeout'"); // unit ms
        return Math.Max(50, ms * 2 / 5);
    }
}
