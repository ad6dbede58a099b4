-- materialized: incremental
-- unique_key: source_name, fiscal_year, period, entity_code
-- changes_follow_sources: true
-- The current submission of every slice, chosen once for all staging models (issue 15, 统计信息与计划): the latest
-- loaded batch per (source, 年度, 期间, 项目/部门). Before, each of ten staging views computed its own latest-batch
-- aggregate and joined it back; PostgreSQL could not estimate that join (one row estimated, 35,757 in fact for
-- 部门整体监控 资金 at province scale) and nested large aggregates inside a loop over it. As a table analysed by the
-- runner, the planner knows its size. period is '' for the yearly forms (自评, 调整, 申报) and the quarter (Q1..Q4) for 纠偏.
-- Every row comes from one raw table (source_name = the table without raw_), and each staging model reads only its
-- own table's rows: the header above lets the runner leave a staging model as it is when only other tables changed.
-- A key with a NULL part is left out: no staging model can join it (equality), and dim_period / dim_project skipped it.
-- 增量 (issue 15, province scale): only the keys that the changed batches (runner_changed_batch) have rows for are
-- chosen again, from those batches' rows and the batch the key has now (the latest of the batches loaded before, as
-- long as it is still loaded: a batch loaded since is the only one that can be later); a key whose current batch is no
-- longer loaded (withdrawn) has all its raw rows read again. Rows with incremental_delete_only name keys to delete
-- (every touched key: its row is replaced, or removed when no loaded batch has it any more).
-- Each withdrawn arm is gated by `exists (select 1 from withdrawn_keys)`, evaluated once: PostgreSQL cannot estimate the
-- withdrawn keys (1,166 guessed for 0) and sorted all 2.9M monitoring indicator rows (218 MB on disk) to merge them with
-- none; gated, an upload's incremental step skips the arms unless a batch was withdrawn.
-- The changed batches' rows are read batch by batch (`changed cross join lateral (… where batch_id … changed.batch_id
-- offset 0)`): PostgreSQL's statistics see a dozen batches in a province's millions of raw rows, so `batch_id in (select
-- batch_id from changed)` was estimated at half of each table and planned as 14 sequential scans (2.9M monitoring
-- indicator rows among them); per batch each is an index scan of raw_*_batch (migration 0194). The batch is matched as
-- a range (`>= b and <= b`): a table whose statistics hold one batch estimates an equality at every row and scans it.
-- DuckDB joins as before.
with loaded_batches as (
    select batch_id from {{ source('raw', 'etl_batch') }} where status = 'loaded'
),

{% if is_incremental() %}
changed as (
    select batch_id from {{ source('runner', 'runner_changed_batch') }}
),

-- a key whose current batch is no longer loaded: that batch was built and is gone, so it is a changed batch (read
-- batch by batch, as below: no withdrawal, no scan of the table's 466k rows at province scale)
withdrawn_batches as (
    select batch_id from changed where batch_id not in (select batch_id from loaded_batches)
),

withdrawn_keys as (
    select withdrawn_rows.source_name, withdrawn_rows.fiscal_year, withdrawn_rows.period, withdrawn_rows.entity_code
    from withdrawn_batches cross join lateral (
        select * from {{ this }} as current_rows where current_rows.batch_id = withdrawn_batches.batch_id {{ evaluated_once() }}
    ) as withdrawn_rows
),


{% endif %}
keyed as (
    select 'monitoring_fund' as source_name, source.fiscal_year, {{ period_key('source.period') }} as period,
        trim(source.project_code) as entity_code, source.batch_id
    {% if is_incremental() %}
    from {{ changed_batch_rows('raw_monitoring_fund') }}
    {% else %}
    from {{ source('raw', 'raw_monitoring_fund') }} as source
    {% endif %}
    {% if is_incremental() %}
    union all
    select 'monitoring_fund', source.fiscal_year, {{ period_key('source.period') }},
        trim(source.project_code), source.batch_id
    from {{ source('raw', 'raw_monitoring_fund') }} as source
    inner join withdrawn_keys as withdrawn
        on withdrawn.source_name = 'monitoring_fund' and withdrawn.fiscal_year = source.fiscal_year
        and withdrawn.period = {{ period_key('source.period') }} and withdrawn.entity_code = trim(source.project_code)
    where exists (select 1 from withdrawn_keys) -- no withdrawal (the usual case): the arm is skipped
    {% endif %}

    union all
    select 'monitoring_indicator' as source_name, source.fiscal_year, {{ period_key('source.period') }} as period,
        trim(source.project_code) as entity_code, source.batch_id
    {% if is_incremental() %}
    from {{ changed_batch_rows('raw_monitoring_indicator') }}
    {% else %}
    from {{ source('raw', 'raw_monitoring_indicator') }} as source
    {% endif %}
    {% if is_incremental() %}
    union all
    select 'monitoring_indicator', source.fiscal_year, {{ period_key('source.period') }},
        trim(source.project_code), source.batch_id
    from {{ source('raw', 'raw_monitoring_indicator') }} as source
    inner join withdrawn_keys as withdrawn
        on withdrawn.source_name = 'monitoring_indicator' and withdrawn.fiscal_year = source.fiscal_year
        and withdrawn.period = {{ period_key('source.period') }} and withdrawn.entity_code = trim(source.project_code)
    where exists (select 1 from withdrawn_keys) -- no withdrawal (the usual case): the arm is skipped
    {% endif %}

    union all
    select 'selfeval_fund' as source_name, source.fiscal_year, '' as period,
        trim(source.project_code) as entity_code, source.batch_id
    {% if is_incremental() %}
    from {{ changed_batch_rows('raw_selfeval_fund') }}
    {% else %}
    from {{ source('raw', 'raw_selfeval_fund') }} as source
    {% endif %}
    {% if is_incremental() %}
    union all
    select 'selfeval_fund', source.fiscal_year, '',
        trim(source.project_code), source.batch_id
    from {{ source('raw', 'raw_selfeval_fund') }} as source
    inner join withdrawn_keys as withdrawn
        on withdrawn.source_name = 'selfeval_fund' and withdrawn.fiscal_year = source.fiscal_year
        and withdrawn.period = '' and withdrawn.entity_code = trim(source.project_code)
    where exists (select 1 from withdrawn_keys) -- no withdrawal (the usual case): the arm is skipped
    {% endif %}

    union all
    select 'selfeval_indicator' as source_name, source.fiscal_year, '' as period,
        trim(source.project_code) as entity_code, source.batch_id
    {% if is_incremental() %}
    from {{ changed_batch_rows('raw_selfeval_indicator') }}
    {% else %}
    from {{ source('raw', 'raw_selfeval_indicator') }} as source
    {% endif %}
    {% if is_incremental() %}
    union all
    select 'selfeval_indicator', source.fiscal_year, '',
        trim(source.project_code), source.batch_id
    from {{ source('raw', 'raw_selfeval_indicator') }} as source
    inner join withdrawn_keys as withdrawn
        on withdrawn.source_name = 'selfeval_indicator' and withdrawn.fiscal_year = source.fiscal_year
        and withdrawn.period = '' and withdrawn.entity_code = trim(source.project_code)
    where exists (select 1 from withdrawn_keys) -- no withdrawal (the usual case): the arm is skipped
    {% endif %}

    union all
    select 'correction' as source_name, source.fiscal_year, case
            when upper(trim(source.quarter)) in ('Q1', '1', '一季度', '第一季度', '1季度', '第1季度') then 'Q1'
            when upper(trim(source.quarter)) in ('Q2', '2', '二季度', '第二季度', '2季度', '第2季度') then 'Q2'
            when upper(trim(source.quarter)) in ('Q3', '3', '三季度', '第三季度', '3季度', '第3季度') then 'Q3'
            when upper(trim(source.quarter)) in ('Q4', '4', '四季度', '第四季度', '4季度', '第4季度') then 'Q4'
            else upper(trim(source.quarter))
        end as period,
        trim(source.project_code) as entity_code, source.batch_id
    {% if is_incremental() %}
    from {{ changed_batch_rows('raw_correction') }}
    {% else %}
    from {{ source('raw', 'raw_correction') }} as source
    {% endif %}
    {% if is_incremental() %}
    union all
    select 'correction', source.fiscal_year, case
            when upper(trim(source.quarter)) in ('Q1', '1', '一季度', '第一季度', '1季度', '第1季度') then 'Q1'
            when upper(trim(source.quarter)) in ('Q2', '2', '二季度', '第二季度', '2季度', '第2季度') then 'Q2'
            when upper(trim(source.quarter)) in ('Q3', '3', '三季度', '第三季度', '3季度', '第3季度') then 'Q3'
            when upper(trim(source.quarter)) in ('Q4', '4', '四季度', '第四季度', '4季度', '第4季度') then 'Q4'
            else upper(trim(source.quarter))
        end,
        trim(source.project_code), source.batch_id
    from {{ source('raw', 'raw_correction') }} as source
    inner join withdrawn_keys as withdrawn
        on withdrawn.source_name = 'correction' and withdrawn.fiscal_year = source.fiscal_year
        and withdrawn.period = case
            when upper(trim(source.quarter)) in ('Q1', '1', '一季度', '第一季度', '1季度', '第1季度') then 'Q1'
            when upper(trim(source.quarter)) in ('Q2', '2', '二季度', '第二季度', '2季度', '第2季度') then 'Q2'
            when upper(trim(source.quarter)) in ('Q3', '3', '三季度', '第三季度', '3季度', '第3季度') then 'Q3'
            when upper(trim(source.quarter)) in ('Q4', '4', '四季度', '第四季度', '4季度', '第4季度') then 'Q4'
            else upper(trim(source.quarter))
        end and withdrawn.entity_code = trim(source.project_code)
    where exists (select 1 from withdrawn_keys) -- no withdrawal (the usual case): the arm is skipped
    {% endif %}

    union all
    select 'adjustment' as source_name, source.fiscal_year, '' as period,
        trim(source.project_code) as entity_code, source.batch_id
    {% if is_incremental() %}
    from {{ changed_batch_rows('raw_adjustment') }}
    {% else %}
    from {{ source('raw', 'raw_adjustment') }} as source
    {% endif %}
    {% if is_incremental() %}
    union all
    select 'adjustment', source.fiscal_year, '',
        trim(source.project_code), source.batch_id
    from {{ source('raw', 'raw_adjustment') }} as source
    inner join withdrawn_keys as withdrawn
        on withdrawn.source_name = 'adjustment' and withdrawn.fiscal_year = source.fiscal_year
        and withdrawn.period = '' and withdrawn.entity_code = trim(source.project_code)
    where exists (select 1 from withdrawn_keys) -- no withdrawal (the usual case): the arm is skipped
    {% endif %}

    union all
    select 'dept_monitoring_fund' as source_name, source.fiscal_year, {{ period_key('source.period') }} as period,
        trim(source.department_code) as entity_code, source.batch_id
    {% if is_incremental() %}
    from {{ changed_batch_rows('raw_dept_monitoring_fund') }}
    {% else %}
    from {{ source('raw', 'raw_dept_monitoring_fund') }} as source
    {% endif %}
    {% if is_incremental() %}
    union all
    select 'dept_monitoring_fund', source.fiscal_year, {{ period_key('source.period') }},
        trim(source.department_code), source.batch_id
    from {{ source('raw', 'raw_dept_monitoring_fund') }} as source
    inner join withdrawn_keys as withdrawn
        on withdrawn.source_name = 'dept_monitoring_fund' and withdrawn.fiscal_year = source.fiscal_year
        and withdrawn.period = {{ period_key('source.period') }} and withdrawn.entity_code = trim(source.department_code)
    where exists (select 1 from withdrawn_keys) -- no withdrawal (the usual case): the arm is skipped
    {% endif %}

    union all
    select 'dept_monitoring_indicator' as source_name, source.fiscal_year, {{ period_key('source.period') }} as period,
        trim(source.department_code) as entity_code, source.batch_id
    {% if is_incremental() %}
    from {{ changed_batch_rows('raw_dept_monitoring_indicator') }}
    {% else %}
    from {{ source('raw', 'raw_dept_monitoring_indicator') }} as source
    {% endif %}
    {% if is_incremental() %}
    union all
    select 'dept_monitoring_indicator', source.fiscal_year, {{ period_key('source.period') }},
        trim(source.department_code), source.batch_id
    from {{ source('raw', 'raw_dept_monitoring_indicator') }} as source
    inner join withdrawn_keys as withdrawn
        on withdrawn.source_name = 'dept_monitoring_indicator' and withdrawn.fiscal_year = source.fiscal_year
        and withdrawn.period = {{ period_key('source.period') }} and withdrawn.entity_code = trim(source.department_code)
    where exists (select 1 from withdrawn_keys) -- no withdrawal (the usual case): the arm is skipped
    {% endif %}

    union all
    select 'dept_selfeval_fund' as source_name, source.fiscal_year, '' as period,
        trim(source.department_code) as entity_code, source.batch_id
    {% if is_incremental() %}
    from {{ changed_batch_rows('raw_dept_selfeval_fund') }}
    {% else %}
    from {{ source('raw', 'raw_dept_selfeval_fund') }} as source
    {% endif %}
    {% if is_incremental() %}
    union all
    select 'dept_selfeval_fund', source.fiscal_year, '',
        trim(source.department_code), source.batch_id
    from {{ source('raw', 'raw_dept_selfeval_fund') }} as source
    inner join withdrawn_keys as withdrawn
        on withdrawn.source_name = 'dept_selfeval_fund' and withdrawn.fiscal_year = source.fiscal_year
        and withdrawn.period = '' and withdrawn.entity_code = trim(source.department_code)
    where exists (select 1 from withdrawn_keys) -- no withdrawal (the usual case): the arm is skipped
    {% endif %}

    union all
    select 'dept_selfeval_indicator' as source_name, source.fiscal_year, '' as period,
        trim(source.department_code) as entity_code, source.batch_id
    {% if is_incremental() %}
    from {{ changed_batch_rows('raw_dept_selfeval_indicator') }}
    {% else %}
    from {{ source('raw', 'raw_dept_selfeval_indicator') }} as source
    {% endif %}
    {% if is_incremental() %}
    union all
    select 'dept_selfeval_indicator', source.fiscal_year, '',
        trim(source.department_code), source.batch_id
    from {{ source('raw', 'raw_dept_selfeval_indicator') }} as source
    inner join withdrawn_keys as withdrawn
        on withdrawn.source_name = 'dept_selfeval_indicator' and withdrawn.fiscal_year = source.fiscal_year
        and withdrawn.period = '' and withdrawn.entity_code = trim(source.department_code)
    where exists (select 1 from withdrawn_keys) -- no withdrawal (the usual case): the arm is skipped
    {% endif %}

    union all
    select 'declaration_fund' as source_name, source.fiscal_year, '' as period,
        trim(source.project_code) as entity_code, source.batch_id
    {% if is_incremental() %}
    from {{ changed_batch_rows('raw_declaration_fund') }}
    {% else %}
    from {{ source('raw', 'raw_declaration_fund') }} as source
    {% endif %}
    {% if is_incremental() %}
    union all
    select 'declaration_fund', source.fiscal_year, '',
        trim(source.project_code), source.batch_id
    from {{ source('raw', 'raw_declaration_fund') }} as source
    inner join withdrawn_keys as withdrawn
        on withdrawn.source_name = 'declaration_fund' and withdrawn.fiscal_year = source.fiscal_year
        and withdrawn.period = '' and withdrawn.entity_code = trim(source.project_code)
    where exists (select 1 from withdrawn_keys) -- no withdrawal (the usual case): the arm is skipped
    {% endif %}

    union all
    select 'declaration_indicator' as source_name, source.fiscal_year, '' as period,
        trim(source.project_code) as entity_code, source.batch_id
    {% if is_incremental() %}
    from {{ changed_batch_rows('raw_declaration_indicator') }}
    {% else %}
    from {{ source('raw', 'raw_declaration_indicator') }} as source
    {% endif %}
    {% if is_incremental() %}
    union all
    select 'declaration_indicator', source.fiscal_year, '',
        trim(source.project_code), source.batch_id
    from {{ source('raw', 'raw_declaration_indicator') }} as source
    inner join withdrawn_keys as withdrawn
        on withdrawn.source_name = 'declaration_indicator' and withdrawn.fiscal_year = source.fiscal_year
        and withdrawn.period = '' and withdrawn.entity_code = trim(source.project_code)
    where exists (select 1 from withdrawn_keys) -- no withdrawal (the usual case): the arm is skipped
    {% endif %}

    union all
    select 'dept_declaration_fund' as source_name, source.fiscal_year, '' as period,
        trim(source.department_code) as entity_code, source.batch_id
    {% if is_incremental() %}
    from {{ changed_batch_rows('raw_dept_declaration_fund') }}
    {% else %}
    from {{ source('raw', 'raw_dept_declaration_fund') }} as source
    {% endif %}
    {% if is_incremental() %}
    union all
    select 'dept_declaration_fund', source.fiscal_year, '',
        trim(source.department_code), source.batch_id
    from {{ source('raw', 'raw_dept_declaration_fund') }} as source
    inner join withdrawn_keys as withdrawn
        on withdrawn.source_name = 'dept_declaration_fund' and withdrawn.fiscal_year = source.fiscal_year
        and withdrawn.period = '' and withdrawn.entity_code = trim(source.department_code)
    where exists (select 1 from withdrawn_keys) -- no withdrawal (the usual case): the arm is skipped
    {% endif %}

    union all
    select 'dept_declaration_indicator' as source_name, source.fiscal_year, '' as period,
        trim(source.department_code) as entity_code, source.batch_id
    {% if is_incremental() %}
    from {{ changed_batch_rows('raw_dept_declaration_indicator') }}
    {% else %}
    from {{ source('raw', 'raw_dept_declaration_indicator') }} as source
    {% endif %}
    {% if is_incremental() %}
    union all
    select 'dept_declaration_indicator', source.fiscal_year, '',
        trim(source.department_code), source.batch_id
    from {{ source('raw', 'raw_dept_declaration_indicator') }} as source
    inner join withdrawn_keys as withdrawn
        on withdrawn.source_name = 'dept_declaration_indicator' and withdrawn.fiscal_year = source.fiscal_year
        and withdrawn.period = '' and withdrawn.entity_code = trim(source.department_code)
    where exists (select 1 from withdrawn_keys) -- no withdrawal (the usual case): the arm is skipped
    {% endif %}
),

{% if is_incremental() %}
-- the keys the changed batches have rows for
touched_keys as (
    select distinct source_name, fiscal_year, period, entity_code from keyed
    where fiscal_year is not null and period is not null and entity_code is not null
),

{% endif %}
candidates as (
    select keyed.source_name, keyed.fiscal_year, keyed.period, keyed.entity_code, keyed.batch_id
    from keyed
    inner join loaded_batches on keyed.batch_id = loaded_batches.batch_id
    where keyed.fiscal_year is not null and keyed.period is not null and keyed.entity_code is not null
    {% if is_incremental() %}
    union all
    select current_batch.source_name, current_batch.fiscal_year, current_batch.period, current_batch.entity_code,
        current_batch.batch_id
    -- each touched key's row by the index on entity_code (PostgreSQL scanned all 466k rows to hash-join them)
    from touched_keys cross join lateral (
        select * from {{ this }} as current_rows
        where current_rows.entity_code = touched_keys.entity_code and current_rows.source_name = touched_keys.source_name
            and current_rows.fiscal_year = touched_keys.fiscal_year and current_rows.period = touched_keys.period
        {{ evaluated_once() }}
    ) as current_batch
    inner join loaded_batches on current_batch.batch_id = loaded_batches.batch_id
    {% endif %}
),

current_batches as (
    select source_name, fiscal_year, period, entity_code, max(batch_id) as batch_id
    from candidates
    group by source_name, fiscal_year, period, entity_code
)

{% if is_incremental() %}
select source_name, fiscal_year, period, entity_code, batch_id, false as incremental_delete_only
from current_batches
union all
select source_name, fiscal_year, period, entity_code, cast(null as bigint), true
from touched_keys
{% else %}
select source_name, fiscal_year, period, entity_code, batch_id from current_batches
{% endif %}
