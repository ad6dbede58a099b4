-- materialized: incremental
-- unique_key: fiscal_year, entity_kind, entity_code
-- 预算执行率 得分 of the self-evaluation fund block (DESIGN §3), per project or department and fiscal_year:
--   budget, executed  the 年度资金总额 line when its 全年预算数 is not zero; else the sum of the 其中 (source)
--                     lines; else the sum of the 子项目 lines (budget_basis says which)
--   weight            the 分值 on the 年度资金总额 line, else on any line, else policy_setting budget_execution_weight
--   budget_score      weight × min(1, executed / budget), rounded to 2 decimals; the full weight when budget is 0
--   published_budget_score  the 得分 on the 年度资金总额 line (else the first line that has one)
-- 增量 (issue 15): an entity-year's rows read only that entity's own 自评 rows, so an incremental build replaces the
-- entities of the touched slices (build_slice: every 期间 of a 自评 form's 年度) and keeps every other row.
with project_funds as (
    select * from {{ ref('stg_selfeval_fund') }} as source
    {% if is_incremental() %}
    -- the slice's entities first, uncorrelated: the engine filters the scan by them before the EXISTS below
    where source.project_code in (select entity_code from {{ ref('build_slice') }} where entity_kind = 'project')
    and exists (
        select 1 from {{ ref('build_slice') }} as touched
        where touched.fiscal_year = source.fiscal_year and touched.entity_kind = 'project' and touched.entity_code = source.project_code
    )
    {% endif %}
),

department_funds as (
    select * from {{ ref('stg_dept_selfeval_fund') }} as source
    {% if is_incremental() %}
    -- the slice's entities first, uncorrelated: the engine filters the scan by them before the EXISTS below
    where source.department_code in (select entity_code from {{ ref('build_slice') }} where entity_kind = 'department')
    and exists (
        select 1 from {{ ref('build_slice') }} as touched
        where touched.fiscal_year = source.fiscal_year and touched.entity_kind = 'department' and touched.entity_code = source.department_code
    )
    {% endif %}
),

fund_lines as (
    select * from {{ ref('dim_fund_line') }}
),

settings as (
    select * from {{ ref('policy_current') }}
),

default_weight as (
    select cast(max(case when setting = 'budget_execution_weight' then value end) as decimal(18,4)) as weight
    from settings
),

funds as (
    select 'project' as entity_kind, project_code as entity_code, fiscal_year, fund_line, annual_budget,
           annual_executed, weight, published_score, batch_id, source_row
    from project_funds
    union all
    select 'department' as entity_kind, department_code as entity_code, fiscal_year, fund_line, annual_budget,
           annual_executed, weight, published_score, batch_id, source_row
    from department_funds
),

classified as (
    select funds.*, fund_lines.line_kind
    from funds
    inner join fund_lines on funds.fund_line = fund_lines.fund_line
),

line_kind_totals as (
    select
        entity_kind,
        entity_code,
        fiscal_year,
        line_kind,
        sum(annual_budget) as budget,
        sum(annual_executed) as executed
    from classified
    group by entity_kind, entity_code, fiscal_year, line_kind
),

ranked_bases as (
    select
        line_kind_totals.*,
        row_number() over (
            partition by entity_kind, entity_code, fiscal_year
            order by
                case when budget <> 0 then 0 else 1 end,
                case line_kind when 'total' then 1 when 'source' then 2 else 3 end
        ) as basis_rank
    from line_kind_totals
),

weights as (
    select
        entity_kind,
        entity_code,
        fiscal_year,
        max(case when line_kind = 'total' then weight end) as total_weight,
        max(weight) as any_weight,
        max(case when line_kind = 'total' then published_score end) as total_published,
        max(published_score) as any_published
    from classified
    group by entity_kind, entity_code, fiscal_year
),

budget_scores as (
    select
        ranked_bases.entity_kind,
        ranked_bases.entity_code,
        ranked_bases.fiscal_year,
        ranked_bases.line_kind as budget_basis,
        cast(ranked_bases.budget as decimal(18,4)) as budget,
        cast(ranked_bases.executed as decimal(18,4)) as executed,
        case
            when ranked_bases.budget <> 0
                then cast(round(cast(ranked_bases.executed / ranked_bases.budget as decimal(18,8)), 4) as decimal(18,4))
        end as execution_rate,
        coalesce(weights.total_weight, weights.any_weight, default_weight.weight) as weight,
        case
            when ranked_bases.budget = 0 or ranked_bases.executed >= ranked_bases.budget
                then cast(coalesce(weights.total_weight, weights.any_weight, default_weight.weight) as decimal(18,4))
            when ranked_bases.executed <= 0 then cast(0 as decimal(18,4))
            else cast(round(cast(
                coalesce(weights.total_weight, weights.any_weight, default_weight.weight)
                * ranked_bases.executed / ranked_bases.budget as decimal(18,8)), 2) as decimal(18,4))
        end as budget_score,
        coalesce(weights.total_published, weights.any_published) as published_budget_score
    from ranked_bases
    inner join weights
        on ranked_bases.entity_kind = weights.entity_kind
        and ranked_bases.entity_code = weights.entity_code
        and ranked_bases.fiscal_year = weights.fiscal_year
    cross join default_weight
    where ranked_bases.basis_rank = 1
)

select * from budget_scores
