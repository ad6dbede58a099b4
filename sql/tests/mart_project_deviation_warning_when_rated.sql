-- Every project with an execution progress r falls in exactly one execution band of warning_threshold
-- (a gap in the seed's bands would leave execution_warning NULL).
with project_deviation as (
    select * from {{ ref('mart_project_deviation') }}
),

unlit as (
    select fiscal_year, period, project_code, execution_progress
    from project_deviation
    where execution_progress is not null
        and execution_warning is null
)

select * from unlit
