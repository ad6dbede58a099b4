-- fct_indicator_summary has one row per (entity_kind, entity_code, fiscal_year, period)
select entity_kind, entity_code, fiscal_year, period, count(*) as occurrences
from {{ ref('fct_indicator_summary') }}
group by entity_kind, entity_code, fiscal_year, period
having count(*) > 1
