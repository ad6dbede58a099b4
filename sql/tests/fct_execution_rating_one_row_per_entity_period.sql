-- fct_execution_rating has one row per (entity_kind, entity_code, fiscal_year, period)
select entity_kind, entity_code, fiscal_year, period, count(*) as occurrences
from {{ ref('fct_execution_rating') }}
group by entity_kind, entity_code, fiscal_year, period
having count(*) > 1
