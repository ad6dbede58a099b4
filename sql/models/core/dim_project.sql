-- materialized: incremental
-- indexes: project_code; department_code
-- unique_key: project_code
-- 项目: every project code seen in any submission. The project master (stg_project) wins;
-- a project registered only by its submissions takes the latest non-blank name, department and
-- implementing unit from its fund rows, and its code as name when no fund row names it.
-- 增量 (issue 15): a project's row is computed from its own rows alone, and those change only with a batch naming it;
-- so an incremental build recomputes the projects that the changed batches (loaded or withdrawn since the last build,
-- runner_changed_batch) name in any table read here, and a touched project no submission names any more is deleted.
-- Those projects are changed_entities' rows of the forms read here; the raw tables they come from, named for the change
-- tracker (a changed batch in one of them makes this model dirty): {{ source('raw', 'raw_project') }},
-- {{ source('raw', 'raw_monitoring_fund') }}, {{ source('raw', 'raw_monitoring_indicator') }}, {{ source('raw', 'raw_selfeval_fund') }},
-- {{ source('raw', 'raw_selfeval_indicator') }}, {{ source('raw', 'raw_correction') }}, {{ source('raw', 'raw_adjustment') }};
-- and the runner's list of changed batches, {{ source('runner', 'runner_changed_batch') }}.
{% if is_incremental() %}
with touched as (
    select distinct entity_code as project_code from {{ ref('changed_entities') }}
    where source_name in ('project', 'monitoring_fund', 'monitoring_indicator', 'selfeval_fund', 'selfeval_indicator',
        'correction', 'adjustment')
),

-- the touched projects' master rows picked by their code, then read by row id (a filter on the scan decompressed the long
-- texts of every project first)
master as (
    {% by_row_id('stg_project') %}
    where source.project_code in (select project_code from touched)
    {% endby_row_id %}
),

-- the touched projects' current 监控资金 batches (stg_current_batch), and their raw rows read against those keys: the rows
-- and columns stg_monitoring_fund has for them (that view joins the same four columns), without joining every raw row
-- with every current key first, which the filter on the view's output cannot prevent (about 1 s of a pass at province
-- scale; DuckDB 0.6 → 0.35 s)
monitoring_batches as (
    select fiscal_year, period, entity_code as project_code, batch_id
    from {{ ref('stg_current_batch') }}
    where source_name = 'monitoring_fund' and entity_code in (select project_code from touched)
),

monitoring_funds as (
    select
        source.batch_id,
        source.source_row,
        monitoring_batches.project_code,
        nullif(trim(source.project_name), '') as project_name,
        nullif(trim(source.department_code), '') as department_code,
        nullif(trim(source.implementing_unit), '') as implementing_unit
    -- key by key (PostgreSQL: `offset 0` keeps the lateral read a loop over the keys, each by raw_monitoring_fund's
    -- trimmed project_code index, migration 0205): joined as a whole, PostgreSQL expected a handful of rows from the
    -- four-column join and hashed all 434,261 current raw rows before keeping the touched projects' 2,106 (province, ten
    -- departments: the incremental SELECT 0.56–0.61 s → 0.15 s, jit off as the build runs). DuckDB decorrelates it.
    from monitoring_batches
    cross join lateral (
        select * from {{ source('raw', 'raw_monitoring_fund') }} as keyed
        where keyed.batch_id = monitoring_batches.batch_id
            and keyed.fiscal_year = monitoring_batches.fiscal_year
            and {{ period_key('keyed.period') }} = monitoring_batches.period
            and trim(keyed.project_code) = monitoring_batches.project_code
        {{ evaluated_once() }}
    ) as source
),
{% else %}
with master as (
    select * from {{ ref('stg_project') }}
),

monitoring_funds as (
    select * from {{ ref('stg_monitoring_fund') }}
),
{% endif %}

-- the projects of the current 监控指标, 纠偏 and 调整 batches (stg_current_batch): the codes stg_monitoring_indicator,
-- stg_correction and stg_adjustment have (a key with a NULL part never reaches them), without reading their rows: the
-- 监控指标 are millions, and through the 纠偏 view PostgreSQL estimated one row for the join of every raw row with every
-- current key (40,334 in fact) and compared each with each touched project: 39 million comparisons, 4.4 s of the
-- incremental SELECT's 4.7 s (province, a year being filled, ten departments resubmitting; issue 15)
batch_projects as (
    select entity_code as project_code
    from {{ ref('stg_current_batch') }}
    where source_name in ('monitoring_indicator', 'correction', 'adjustment')
        and fiscal_year is not null and period is not null and entity_code is not null and batch_id is not null
    {% if is_incremental() %}
        and entity_code in (select project_code from touched)
    {% endif %}
),

selfeval_funds as (
    select * from {{ ref('stg_selfeval_fund') }}
    {% if is_incremental() %} where project_code in (select project_code from touched) {% endif %}
),

selfeval_indicators as (
    select * from {{ ref('stg_selfeval_indicator') }}
    {% if is_incremental() %} where project_code in (select project_code from touched) {% endif %}
),

project_codes as (
    select project_code from master
    union
    select project_code from monitoring_funds
    union
    select project_code from batch_projects
    union
    select project_code from selfeval_funds
    union
    select project_code from selfeval_indicators
),

submitted_attributes as (
    select project_code, 'project_name' as attribute, project_name as value, batch_id, source_row
    from monitoring_funds where project_name is not null
    union all
    select project_code, 'department_code' as attribute, department_code as value, batch_id, source_row
    from monitoring_funds where department_code is not null
    union all
    select project_code, 'implementing_unit' as attribute, implementing_unit as value, batch_id, source_row
    from monitoring_funds where implementing_unit is not null
    union all
    select project_code, 'project_name' as attribute, project_name as value, batch_id, source_row
    from selfeval_funds where project_name is not null
    union all
    select project_code, 'department_code' as attribute, department_code as value, batch_id, source_row
    from selfeval_funds where department_code is not null
),

-- the attributes the project master has no value for (no row, or a blank): a fund row's value stands in for those alone
-- (issue 15: at province scale the master names every attribute of all 200,140 projects, and ranking the 1.3M fund
-- rows' attributes anyway was the model's largest step, PostgreSQL's sort 3.3 of its 7.9 s)
wanted_attributes as (
    select submitted.*
    from submitted_attributes as submitted
    left join master on submitted.project_code = master.project_code
    where case submitted.attribute
            when 'project_name' then master.project_name
            when 'department_code' then master.department_code
            else master.implementing_unit
        end is null
),

ranked_attributes as (
    select
        project_code,
        attribute,
        value,
        row_number() over (
            partition by project_code, attribute
            order by batch_id desc, source_row desc
        ) as attribute_rank
    from wanted_attributes
),

latest_submitted as (
    select
        project_code,
        max(case when attribute = 'project_name' then value end) as project_name,
        max(case when attribute = 'department_code' then value end) as department_code,
        max(case when attribute = 'implementing_unit' then value end) as implementing_unit
    from ranked_attributes
    where attribute_rank = 1
    group by project_code
),

projects as (
    select
        project_codes.project_code,
        coalesce(master.project_name, latest_submitted.project_name, project_codes.project_code) as project_name,
        coalesce(master.department_code, latest_submitted.department_code) as department_code,
        coalesce(master.implementing_unit, latest_submitted.implementing_unit) as implementing_unit,
        master.project_type,
        master.project_level,
        master.fund_nature,
        coalesce(master.is_key, false) as is_key,
        master.start_date,
        master.end_date,
        master.annual_goal,
        case when master.project_code is null then 'submission' else 'project_master' end as registered_from
    from project_codes
    left join master on project_codes.project_code = master.project_code
    left join latest_submitted on project_codes.project_code = latest_submitted.project_code
)

{% if is_incremental() %}
-- only the touched projects whose row differs from the table's: a 监控资金 or 自评 upload names its projects again, mostly
-- as they were, and a row that came out the same is left alone, so the models reading dim_project (fct_indicator_judgement,
-- mart_indicator_correction …) are not made dirty by it (issue 15: at province scale a 监控资金 pass rebuilt them to
-- write no row); a touched project no submission names any more (its only batch withdrawn): its row is deleted
, changed_projects as (
    select * from projects
    except
    select * from {{ this }} as held where held.project_code in (select project_code from touched)
)

select changed_projects.*, false as incremental_delete_only from changed_projects
union all
select touched.project_code, null, null, null, null, null, null, null, null, null, null, null, true
from touched
where not exists (select 1 from projects where projects.project_code = touched.project_code)
{% else %}
select * from projects
{{ zone_order('project_code') }}
{% endif %}
