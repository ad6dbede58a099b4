-- The indicator_category seed maps each (level1, level2) key to one category.
with categories as (
    select * from {{ ref('indicator_category') }}
),

duplicated as (
    select level1, level2, count(*) as row_count
    from categories
    group by level1, level2
    having count(*) > 1
)

select * from duplicated
