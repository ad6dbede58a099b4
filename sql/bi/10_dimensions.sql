-- bi dimensions (维度): codes as keys, Chinese names beside them. {{ visible(column) }} keeps the rows of the
-- departments the BI login may see, {{ registered }} every row for a registered login (PostgreSQL; both are true on
-- DuckDB, whose file has no logins; qualify the column: unqualified, it would name bi_access's own); {{ ref('x') }} is the model x in the warehouse's own schema. Column comments: comments.csv.
CREATE VIEW bi.dim_year {{ barrier }} AS
select distinct
    fiscal_year,
    cast(fiscal_year as varchar) || '年' as year_name
from {{ ref('dim_period') }}
where {{ registered }};

CREATE VIEW bi.dim_period {{ barrier }} AS
select
    fiscal_year * 100 + sort_order as period_key,
    fiscal_year,
    period,
    case period_kind
        when 'cumulative' then '累计'
        when 'quarter' then '季度'
        when 'half' then '半年'
        when 'year' then '全年'
        else period_kind
    end as period_kind_name,
    sort_order as period_sort_order,
    first_month,
    last_month,
    make_date(fiscal_year + case when last_month = 12 then 1 else 0 end,
              case when last_month = 12 then 1 else last_month + 1 end, 1) - 1 as period_end,
    schedule_rate
from {{ ref('dim_period') }}
where {{ registered }};

CREATE VIEW bi.dim_department {{ barrier }} AS
select
    department_code,
    department_name
from {{ ref('dim_department') }} d
where {{ visible('d.department_code') }};

CREATE VIEW bi.dim_project {{ barrier }} AS
select
    project_code,
    project_name,
    department_code,
    implementing_unit,
    project_type,
    project_level,
    fund_nature,
    case when is_key then '是' when not is_key then '否' end as is_key_project
from {{ ref('dim_project') }} d
where {{ visible('d.department_code') }};

CREATE VIEW bi.dim_indicator {{ barrier }} AS
select
    indicator_key,
    level1,
    level2,
    level3,
    category,
    category_order
from {{ ref('dim_indicator') }}
where {{ registered }};
