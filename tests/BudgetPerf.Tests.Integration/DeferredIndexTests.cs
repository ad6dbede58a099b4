using BudgetPerf.Etl.Loading;
using BudgetPerf.Tests.Integration.Fixtures;
using BudgetPerf.Tests.Integration.Support;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using Dapper;

namespace BudgetPerf.Tests.Integration;

/// <summary>
/// Issue 15, the PostgreSQL full build at province scale: the indexes only a build uses (an incremental model's entity
/// index) are made after the build's commit, still under its lock; the indexes readers use are there at the commit; a
/// build that finds an entity index missing (a process stopped between a commit and the index) makes it before its
/// incremental delete. Which transaction made a catalogue row is told by its xmin: age(xmin) is how many transactions ago.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DeferredIndexTests(PostgresServer postgres) : IDisposable
{
    // fct_indicator_summary's entity index serves only its next incremental delete; fct_indicator_judgement declares its
    // entity_code index for the project page (fct_indicator_progress, a view of its project rows, is read by project)
    private const string EntityIndex = "ix_fct_indicator_summary__entity_code";
    private const string ReaderIndex = "ix_fct_indicator_judgement__entity_code";
    private readonly TempDir _dir = new();

    private static string Fund(string project, string department, decimal executed) =>
        $"2025,1-6月,{project},项目{project},{department},部门{department},年度资金总额,100,,{executed},\n";

    private static string Indicator(string project, int actual) => $"2025,1-6月,{project},产出指标,数量指标,培训人次,≥,100,人次,50,{actual},确定能\n";

    private async Task<WarehouseEngine> WarehouseAsync() => await HandMade.BuildAsync("postgres", _dir, postgres,
        ("mf.csv", HandMade.MonitoringFundHeader + Fund("M01", "101", 50) + Fund("M02", "102", 20)),
        ("mi.csv", HandMade.MonitoringHeader + Indicator("M01", 60) + Indicator("M02", 10)));

    [SkippableFact]
    public async Task A_full_build_makes_the_entity_index_after_its_commit_and_the_reader_index_inside_it()
    {
        var engine = await WarehouseAsync();

        // when: a full refresh makes every table anew
        var build = await new ModelRunner(engine).BuildAsync(new BuildOptions { FullRefresh = true, ArtifactsDir = _dir.File("target") });
        Assert.True(build.Success, string.Join("\n", build.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}")));

        // then: both indexes exist; the reader index was there at the build's commit (the staged build's swap moved it into
        // public with its table, in the commit's transaction, as it moved the view stg_monitoring_indicator), the entity
        // index was made in a later transaction (younger: a smaller age). The tables' own rows are not compared: the
        // incremental models' get autovacuum back after the data tests (ModelIndexes.ResumeAutovacuumAsync).
        await using var c = await engine.OpenAsync();
        var ages = (await c.QueryAsync<(string Name, int Age)>(
            "SELECT relname::text, age(xmin) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname IN (@EntityIndex, @ReaderIndex, 'stg_monitoring_indicator')",
            new { EntityIndex, ReaderIndex })).ToDictionary(r => r.Name, r => r.Age);
        Assert.Equal(3, ages.Count);
        Assert.Equal(ages["stg_monitoring_indicator"], ages[ReaderIndex]);
        Assert.True(ages[EntityIndex] < ages["stg_monitoring_indicator"],
            $"the entity index was made after the build's commit (age {ages[EntityIndex]} < the commit's {ages["stg_monitoring_indicator"]})");
        Assert.Contains(build.Phases, p => p.Phase == "indexes after");

        // and the next build, after an upload, deletes and inserts by slice, and equals a full refresh of the same rows
        await UploadAsync(engine, "M02", 90);
        var next = await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") });
        Assert.True(next.Success, string.Join("\n", next.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}")));
        // M02's one indicator row of (2025, 1-6月) replaced: 1 deleted, 1 inserted
        Assert.Equal("incremental: 1 rows deleted, 1 inserted", next.Nodes.Single(n => n.Node == "fct_indicator_judgement").Message);
        var incremental = await SnapshotAsync(engine);
        var full = await new ModelRunner(engine).BuildAsync(new BuildOptions { FullRefresh = true, ArtifactsDir = _dir.File("target") });
        Assert.True(full.Success);
        Assert.Equal(incremental, await SnapshotAsync(engine));
    }

    [SkippableFact]
    public async Task A_build_that_finds_the_entity_index_missing_makes_it_before_its_incremental_delete()
    {
        var engine = await WarehouseAsync();
        await using var c = await engine.OpenAsync();
        // given: the entity index lost, as by a process stopped between a build's commit and the index
        await c.ExecuteAsync($"DROP INDEX {EntityIndex}");
        await UploadAsync(engine, "M01", 30);

        // when: the next build runs
        var build = await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = _dir.File("target") });
        Assert.True(build.Success, string.Join("\n", build.Nodes.Where(n => n.Failed).Select(n => $"{n.Node}: {n.Message}")));

        // then: the index is back, made before the build's transaction (older than the watermark rows that transaction
        // wrote), so the incremental delete of M01's slice could use it
        Assert.StartsWith("incremental:", build.Nodes.Single(n => n.Node == "fct_indicator_summary").Message);
        var indexAge = await c.ExecuteScalarAsync<int?>("SELECT age(xmin) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname = @EntityIndex", new { EntityIndex });
        var buildAge = await c.ExecuteScalarAsync<int>("SELECT MIN(age(xmin)) FROM runner_built_batch");
        Assert.NotNull(indexAge);
        Assert.True(indexAge > buildAge, $"made before the build's transaction (age {indexAge} > {buildAge})");
        Assert.Equal(["entity_code"], await c.QueryAsync<string>("""
            SELECT a.attname::text FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indexrelid = to_regclass(@EntityIndex)
            """, new { EntityIndex }));
    }

    [SkippableFact]
    public async Task The_change_tracker_finds_a_changed_batch_through_the_batch_index_not_a_scan_of_the_raw_table()
    {
        var engine = await WarehouseAsync();
        await using var c = await engine.OpenAsync();
        // given: 40,000 more indicator rows of the first batch, and a new batch's row last in the table, as an upload's are
        var first = await c.ExecuteScalarAsync<long>("SELECT MIN(batch_id) FROM raw_monitoring_indicator");
        await c.ExecuteAsync("""
            CREATE TEMP TABLE one_row AS SELECT * FROM raw_monitoring_indicator WHERE batch_id = @first LIMIT 1;
            INSERT INTO raw_monitoring_indicator SELECT one_row.* FROM one_row, generate_series(1, 40000);
            UPDATE one_row SET batch_id = 9001;
            INSERT INTO raw_monitoring_indicator SELECT * FROM one_row;
            DELETE FROM runner_changed_batch;
            INSERT INTO runner_changed_batch (batch_id) VALUES (9001), (9002);
            ANALYZE raw_monitoring_indicator; ANALYZE runner_changed_batch;
            """, new { first });
        string[] raw = ["raw_monitoring_indicator", "raw_monitoring_fund"];
        var sql = ChangeTracker.ChangedRawSql("postgres", raw);

        // then: batch 9001 is found in the indicator table only, 9002 (in no table) nowhere
        var found = (await c.QueryAsync<(string Table, long BatchId)>(sql)).ToList();
        Assert.Equal([("raw_monitoring_indicator", 9001L)], found);
        // and each probe reads the batch_id index, never the whole table
        var plan = string.Join("\n", await c.QueryAsync<string>("EXPLAIN " + sql));
        Assert.DoesNotContain("Seq Scan on raw_monitoring_indicator", plan);
        Assert.Contains("raw_monitoring_indicator_row", plan);
    }

    private async Task UploadAsync(WarehouseEngine engine, string project, int actual)
    {
        var result = await new SubmissionLoader(engine).LoadFileAsync(_dir.Write($"up-{project}-{actual}.csv",
            HandMade.MonitoringHeader + Indicator(project, actual)));
        Assert.True(result.Status == LoadStatus.Loaded, string.Join("\n", result.Issues));
    }

    /// <summary>The judgement facts and the deviation mart as text, sorted (the rows an incremental build must equal).</summary>
    private static async Task<List<string>> SnapshotAsync(WarehouseEngine engine)
    {
        await using var c = await engine.OpenAsync();
        var rows = new List<string>();
        foreach (var table in new[] { "fct_indicator_judgement", "fct_indicator_progress", "mart_indicator_derivation", "mart_project_deviation" })
            rows.AddRange(await c.QueryAsync<string>($"SELECT '{table}: ' || t::text FROM {table} AS t ORDER BY 1"));
        return rows;
    }

    public void Dispose() => _dir.Dispose();
}
