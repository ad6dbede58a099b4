-- materialized: table
-- 资金类别: the seed's lines (年度资金总额 and its sources) plus every other line a submission names,
-- which is a 子项目. line_kind: 'total' (年度资金总额) | 'source' (其中 lines) | 'subproject'.
with seeded_lines as (
    select * from {{ ref('fund_line') }}
),

-- the monitored lines as fct_budget_execution holds them: one row per row of stg_monitoring_fund (its joins are all
-- left joins), a table, where the staging view joins the 434,882 raw rows of a province to their current batch again
-- (issue 15: 0.4–1.1 s a pass on PostgreSQL to find 4 lines; the table's distinct lines cost a tenth of it)
monitoring_funds as (
    select fund_line from {{ ref('fct_budget_execution') }}
),

selfeval_funds as (
    select * from {{ ref('stg_selfeval_fund') }}
),

dept_monitoring_funds as (
    select * from {{ ref('stg_dept_monitoring_fund') }}
),

dept_selfeval_funds as (
    select * from {{ ref('stg_dept_selfeval_fund') }}
),

all_lines as (
    select fund_line from seeded_lines
    union
    select fund_line from monitoring_funds
    union
    select fund_line from selfeval_funds
    union
    select fund_line from dept_monitoring_funds
    union
    select fund_line from dept_selfeval_funds
),

classified as (
    select
        all_lines.fund_line,
        coalesce(seeded_lines.is_total, false) as is_total,
        case
            when seeded_lines.is_total then 'total'
            when seeded_lines.fund_line is not null then 'source'
            else 'subproject'
        end as line_kind,
        seeded_lines.sort_order,
        seeded_lines.description
    from all_lines
    left join seeded_lines on all_lines.fund_line = seeded_lines.fund_line
)

select * from classified
