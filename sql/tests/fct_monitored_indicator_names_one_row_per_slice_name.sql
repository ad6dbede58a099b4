-- fct_monitored_indicator_names has one row per (fiscal_year, period, department_code, level1, level2, level3), a NULL
-- department (未划分) counted as one department: a slice deleted by delete_where but not matched (a NULL compared with
-- =) would keep its names and get them again
select fiscal_year, period, department_code, level1, level2, level3, count(*) as occurrences
from {{ ref('fct_monitored_indicator_names') }}
group by fiscal_year, period, department_code, level1, level2, level3
having count(*) > 1
