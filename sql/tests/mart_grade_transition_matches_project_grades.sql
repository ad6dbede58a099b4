-- mart_grade_transition holds one row per (fiscal_year, project_code), and each row's grades are the project's
-- mart_project_grade grades of that year and the year before (a row that disagrees, or a project graded in both
-- years that has no row, is returned).
with transitions as (
    select * from {{ ref('mart_grade_transition') }}
),

grades as (
    select * from {{ ref('mart_project_grade') }}
),

duplicated as (
    select fiscal_year, project_code, 'duplicated' as problem
    from transitions
    group by fiscal_year, project_code
    having count(*) > 1
),

expected as (
    select cur.fiscal_year, cur.project_code, prev.grade as from_grade, cur.grade as to_grade
    from grades cur
    inner join grades prev
        on prev.project_code = cur.project_code
        and prev.fiscal_year = cur.fiscal_year - 1
),

missing as (
    select expected.fiscal_year, expected.project_code, 'missing or different grades' as problem
    from expected
    left join transitions
        on transitions.fiscal_year = expected.fiscal_year
        and transitions.project_code = expected.project_code
        and transitions.from_grade = expected.from_grade
        and transitions.to_grade = expected.to_grade
    where transitions.project_code is null
),

extra as (
    select transitions.fiscal_year, transitions.project_code, 'no such pair of grades' as problem
    from transitions
    left join expected
        on expected.fiscal_year = transitions.fiscal_year
        and expected.project_code = transitions.project_code
    where expected.project_code is null
)

select * from duplicated
union all
select * from missing
union all
select * from extra
