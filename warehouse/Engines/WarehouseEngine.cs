using System.Data.Common;
using Dapper;
using DbUp.Builder;

namespace BudgetPerf.Warehouse.Engines;

/// <summary>
/// The seam between the warehouse and a database engine: DuckDB (embedded default) or PostgreSQL (server).
/// Everything engine-specific stays behind this class.
/// </summary>
public abstract class WarehouseEngine
{
    /// <summary>
    /// The query layer's one mapping convention, set once before any query runs (every query goes through an engine):
    /// columns are snake_case as in the marts (<c>project_code</c>, <c>CAST(COUNT(*) AS BIGINT) AS projects</c>) and
    /// Dapper maps them to PascalCase members (<c>ProjectCode</c>); no query aliases a column to a C# name.
    /// </summary>
    static WarehouseEngine() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    /// <summary>"duckdb" or "postgres": the suffix of engine-specific model variants (<c>name.duckdb.sql</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The connection target as the user would recognise it (a file path, or host/database).</summary>
    public abstract string Describe();

    /// <summary>The schema models and raw tables live in ("main" on DuckDB, "public" on PostgreSQL).</summary>
    public abstract string DefaultSchema { get; }

    /// <summary>A connection for writes and for reads that must see the latest commit (the primary on PostgreSQL).</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken ct = default);

    /// <summary>
    /// A connection for page queries, exports and reports: a standby when the engine has one up, else the same as
    /// <see cref="OpenAsync"/>. Never write through it (a standby refuses writes).
    /// </summary>
    public virtual Task<DbConnection> OpenReadAsync(CancellationToken ct = default) => OpenAsync(ct);

    /// <summary>DbUp builder for this engine, without scripts.</summary>
    public abstract UpgradeEngineBuilder MigrationBuilder();

    /// <summary>Bulk-loads rows (values in <paramref name="columns"/> order) through Appender or binary COPY.</summary>
    public abstract Task<long> BulkInsertAsync(DbConnection connection, string table, IReadOnlyList<ColumnInfo> columns,
        IEnumerable<object?[]> rows, CancellationToken ct = default);

    /// <summary>
    /// Waits for the warehouse's build lock (one build at a time, whichever process asks; see <see cref="BuildLock"/>).
    /// </summary>
    public abstract Task<BuildLock> AcquireBuildLockAsync(CancellationToken ct = default);

    /// <summary>
    /// Gives the planner a table's statistics now (after a COPY or a CREATE TABLE AS, before the next query reads it),
    /// instead of whenever autovacuum gets to it: PostgreSQL <c>ANALYZE</c>. DuckDB keeps its statistics as it writes.
    /// </summary>
    public virtual Task AnalyzeAsync(DbConnection connection, string table, CancellationToken ct = default) => Task.CompletedTask;

    /// <summary>
    /// Outside a build, after a load (the submission worker's pass): the table's statistics taken again only when they are
    /// due. PostgreSQL: a table of fewer than <c>AnalyzeKeepRows</c> rows, never analysed, or with a tenth of its rows
    /// written since its last ANALYZE (autovacuum's own rule); else ANALYZE would only sample millions of rows again for
    /// a pass's thousands. DuckDB keeps its statistics as it writes.
    /// </summary>
    public virtual Task AnalyzeWhenDueAsync(DbConnection connection, string table, CancellationToken ct = default) => Task.CompletedTask;

    /// <summary>
    /// Session settings of a build's own connection (models and data tests), set once after it opens; the server's
    /// configuration is the user's and stays as it is. PostgreSQL: no JIT, a larger work_mem, and for a
    /// <paramref name="background"/> build (<see cref="Models.BuildOptions.Background"/>) no parallel workers. DuckDB: nothing.
    /// </summary>
    public virtual Task PrepareBuildSessionAsync(DbConnection connection, bool background = false, CancellationToken ct = default) =>
        Task.CompletedTask;

    /// <summary>
    /// How many connections a foreground build's data tests run on at once (each takes the next relation's tests). DuckDB:
    /// one — a query already runs on every core, and its connections share one pool of threads.
    /// </summary>
    public virtual int TestSessions => 1;

    /// <summary>
    /// The settings of <see cref="PrepareBuildSessionAsync"/> on a connection that only runs data tests (it creates
    /// nothing: a build's aside relations, which a test run beside it must not touch, are not its business).
    /// </summary>
    public virtual Task PrepareTestSessionAsync(DbConnection connection, bool background = false, CancellationToken ct = default) =>
        Task.CompletedTask;

    /// <summary>
    /// Waits until every read host (a standby) has replayed what the primary has committed so far (issue 16: a build is
    /// reported 已生效 only once a reader anywhere sees it): null when they have, or the reason they have not within
    /// <paramref name="timeout"/>, never a guess. One host, and DuckDB: nothing to wait for.
    /// </summary>
    public virtual Task<string?> WaitForReplayAsync(TimeSpan timeout, CancellationToken ct = default) => Task.FromResult<string?>(null);

    /// <summary>
    /// Before a build commits: the engine's write-back of the commit to the database file is put off (DuckDB: the
    /// automatic checkpoint, 5–7 s of a county build's commit on a loaded machine, would otherwise run inside the
    /// commit, before readers see the build). Returns what to restore in <see cref="CheckpointAsync"/>; null: nothing.
    /// </summary>
    public virtual Task<string?> DeferCheckpointAsync(DbConnection connection) => Task.FromResult<string?>(null);

    /// <summary>After the build is visible: the deferred write-back (DuckDB <c>CHECKPOINT</c>), the setting restored.</summary>
    public virtual Task CheckpointAsync(DbConnection connection, string? deferred) => Task.CompletedTask;

    /// <summary>
    /// Whether a whole <c>--full-refresh</c> build on this (prepared) connection is built beside the live relations and
    /// swapped in at its end (<see cref="Models.ModelRunner"/>, blue/green) rather than inside one transaction. DuckDB:
    /// yes — inside a transaction DuckDB 1.5.6 estimates 0 rows for every table that transaction created (fixed upstream
    /// in duckdb PR #21573), so every model of a one-transaction build was planned as if its inputs were empty.
    /// </summary>
    public virtual Task<bool> StagesFullBuildAsync(DbConnection connection) => Task.FromResult(false);

    /// <summary>
    /// How many connections a foreground staged full build builds its models on at once (each model once the models it
    /// reads are built). DuckDB: one — a query already runs on every core, and its connections share one pool of threads.
    /// </summary>
    public virtual int BuildSessions => 1;

    /// <summary>A staged build's further connection (<see cref="BuildSessions"/>): the build session's settings, and where it creates.</summary>
    public virtual Task PrepareStagingSessionAsync(DbConnection connection, CancellationToken ct = default) => Task.CompletedTask;

    /// <summary>
    /// <c>CREATE TABLE name AS sql</c> (no deadline); returns the rows it wrote when the engine reports them, null when the
    /// caller must count them (DuckDB). <paramref name="staged"/>: a staged full build's table, committed before the build
    /// ends (PostgreSQL creates it with autovacuum off until <see cref="Models.ModelIndexes.ResumeAutovacuumAsync"/>).
    /// </summary>
    public virtual async Task<long?> CreateTableAsAsync(DbConnection connection, string name, string sql, bool staged = false)
    {
        await connection.ExecuteAsync($"CREATE TABLE {name} AS\n{sql}", commandTimeout: 0);
        return null;
    }

    /// <summary>DROP statement for an existing relation of this engine.</summary>
    public abstract string DropRelationSql(string name, bool isView);

    /// <summary>
    /// A parameterised query for this engine. Queries are written with Npgsql's <c>@name</c> markers; DuckDB gets
    /// <c>$name</c> (to DuckDB <c>@</c> is the abs() operator, so <c>@name</c> would silently return wrong rows).
    /// </summary>
    public virtual string Sql(string sql) => sql;

    /// <summary>Columns of a table in ordinal order, with their SQL types.</summary>
    public virtual async Task<IReadOnlyList<ColumnInfo>> ColumnsOfAsync(DbConnection connection, string table, CancellationToken ct = default)
    {
        var rows = await connection.QueryAsync<(string Name, string Type)>(new CommandDefinition(Sql(
            "SELECT column_name, data_type FROM information_schema.columns " +
            "WHERE table_name = @table AND table_schema = @schema ORDER BY ordinal_position"),
            new { table, schema = DefaultSchema }, cancellationToken: ct));
        return rows.Select(r => new ColumnInfo(r.Name, ColumnInfo.TypeOf(r.Type))).ToList();
    }

    /// <summary>"VIEW", "BASE TABLE" or null when the relation does not exist.</summary>
    public virtual async Task<string?> RelationTypeAsync(DbConnection connection, string name, CancellationToken ct = default)
    {
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(Sql(
            "SELECT table_type FROM information_schema.tables WHERE table_name = @name AND table_schema = @schema"),
            new { name, schema = DefaultSchema }, cancellationToken: ct));
    }
}
