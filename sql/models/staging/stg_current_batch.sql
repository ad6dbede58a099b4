-- materialized: table
-- changes_follow_sources: true
-- The current submission of every slice, chosen once for all staging models (issue 15, 统计信息与计划): the latest
-- loaded batch per (source, 年度, 期间, 项目/部门). Before, each of ten staging views computed its own latest-batch
-- aggregate and joined it back; PostgreSQL could not estimate that join (one row estimated, 35,757 in fact for
-- 部门整体监控 资金 at province scale) and nested large aggregates inside a loop over it. As a table analysed by the
-- runner, the planner knows its size. period is '' for the yearly forms (自评, 调整, 申报) and the quarter (Q1..Q4) for 纠偏.
-- Every row comes from one raw table (source_name = the table without raw_), and each staging model reads only its
-- own table's rows: the header above lets the runner leave a staging model as it is when only other tables changed.
with loaded_batches as (
    select batch_id from {{ source('raw', 'etl_batch') }} where status = 'loaded'
)

select
    'monitoring_fund' as source_name,
    source.fiscal_year,
    upper(replace(replace(replace(trim(source.period), '－', '-'), '—', '-'), '～', '-')) as period,
    trim(source.project_code) as entity_code,
    max(source.batch_id) as batch_id
from {{ source('raw', 'raw_monitoring_fund') }} as source
inner join loaded_batches on source.batch_id = loaded_batches.batch_id
group by 1, 2, 3, 4

union all

select
    'monitoring_indicator' as source_name,
    source.fiscal_year,
    upper(replace(replace(replace(trim(source.period), '－', '-'), '—', '-'), '～', '-')) as period,
    trim(source.project_code) as entity_code,
    max(source.batch_id) as batch_id
from {{ source('raw', 'raw_monitoring_indicator') }} as source
inner join loaded_batches on source.batch_id = loaded_batches.batch_id
group by 1, 2, 3, 4

union all

select
    'selfeval_fund' as source_name,
    source.fiscal_year,
    '' as period,
    trim(source.project_code) as entity_code,
    max(source.batch_id) as batch_id
from {{ source('raw', 'raw_selfeval_fund') }} as source
inner join loaded_batches on source.batch_id = loaded_batches.batch_id
group by 1, 2, 3, 4

union all

select
    'selfeval_indicator' as source_name,
    source.fiscal_year,
    '' as period,
    trim(source.project_code) as entity_code,
    max(source.batch_id) as batch_id
from {{ source('raw', 'raw_selfeval_indicator') }} as source
inner join loaded_batches on source.batch_id = loaded_batches.batch_id
group by 1, 2, 3, 4

union all

select
    'correction' as source_name,
    source.fiscal_year,
    case
        when upper(trim(source.quarter)) in ('Q1', '1', '一季度', '第一季度', '1季度', '第1季度') then 'Q1'
        when upper(trim(source.quarter)) in ('Q2', '2', '二季度', '第二季度', '2季度', '第2季度') then 'Q2'
        when upper(trim(source.quarter)) in ('Q3', '3', '三季度', '第三季度', '3季度', '第3季度') then 'Q3'
        when upper(trim(source.quarter)) in ('Q4', '4', '四季度', '第四季度', '4季度', '第4季度') then 'Q4'
        else upper(trim(source.quarter))
    end as period,
    trim(source.project_code) as entity_code,
    max(source.batch_id) as batch_id
from {{ source('raw', 'raw_correction') }} as source
inner join loaded_batches on source.batch_id = loaded_batches.batch_id
group by 1, 2, 3, 4

union all

select
    'adjustment' as source_name,
    source.fiscal_year,
    '' as period,
    trim(source.project_code) as entity_code,
    max(source.batch_id) as batch_id
from {{ source('raw', 'raw_adjustment') }} as source
inner join loaded_batches on source.batch_id = loaded_batches.batch_id
group by 1, 2, 3, 4

union all

select
    'dept_monitoring_fund' as source_name,
    source.fiscal_year,
    upper(replace(replace(replace(trim(source.period), '－', '-'), '—', '-'), '～', '-')) as period,
    trim(source.department_code) as entity_code,
    max(source.batch_id) as batch_id
from {{ source('raw', 'raw_dept_monitoring_fund') }} as source
inner join loaded_batches on source.batch_id = loaded_batches.batch_id
group by 1, 2, 3, 4

union all

select
    'dept_monitoring_indicator' as source_name,
    source.fiscal_year,
    upper(replace(replace(replace(trim(source.period), '－', '-'), '—', '-'), '～', '-')) as period,
    trim(source.department_code) as entity_code,
    max(source.batch_id) as batch_id
from {{ source('raw', 'raw_dept_monitoring_indicator') }} as source
inner join loaded_batches on source.batch_id = loaded_batches.batch_id
group by 1, 2, 3, 4

union all

select
    'dept_selfeval_fund' as source_name,
    source.fiscal_year,
    '' as period,
    trim(source.department_code) as entity_code,
    max(source.batch_id) as batch_id
from {{ source('raw', 'raw_dept_selfeval_fund') }} as source
inner join loaded_batches on source.batch_id = loaded_batches.batch_id
group by 1, 2, 3, 4

union all

select
    'dept_selfeval_indicator' as source_name,
    source.fiscal_year,
    '' as period,
    trim(source.department_code) as entity_code,
    max(source.batch_id) as batch_id
from {{ source('raw', 'raw_dept_selfeval_indicator') }} as source
inner join loaded_batches on source.batch_id = loaded_batches.batch_id
group by 1, 2, 3, 4

union all

select
    'declaration_fund' as source_name,
    source.fiscal_year,
    '' as period,
    trim(source.project_code) as entity_code,
    max(source.batch_id) as batch_id
from {{ source('raw', 'raw_declaration_fund') }} as source
inner join loaded_batches on source.batch_id = loaded_batches.batch_id
group by 1, 2, 3, 4

union all

select
    'declaration_indicator' as source_name,
    source.fiscal_year,
    '' as period,
    trim(source.project_code) as entity_code,
    max(source.batch_id) as batch_id
from {{ source('raw', 'raw_declaration_indicator') }} as source
inner join loaded_batches on source.batch_id = loaded_batches.batch_id
group by 1, 2, 3, 4

union all

select
    'dept_declaration_fund' as source_name,
    source.fiscal_year,
    '' as period,
    trim(source.department_code) as entity_code,
    max(source.batch_id) as batch_id
from {{ source('raw', 'raw_dept_declaration_fund') }} as source
inner join loaded_batches on source.batch_id = loaded_batches.batch_id
group by 1, 2, 3, 4

union all

select
    'dept_declaration_indicator' as source_name,
    source.fiscal_year,
    '' as period,
    trim(source.department_code) as entity_code,
    max(source.batch_id) as batch_id
from {{ source('raw', 'raw_dept_declaration_indicator') }} as source
inner join loaded_batches on source.batch_id = loaded_batches.batch_id
group by 1, 2, 3, 4
