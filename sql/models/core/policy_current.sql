-- materialized: table
-- The policy options in force: the policy_setting seed, each value replaced by the latest 管理员 override
-- (policy_override, migration 0018) when there is one. Every model reads its options from here.
with defaults as (
    select * from {{ ref('policy_setting') }}
),

overrides as (
    select
        setting,
        value,
        changed_by,
        changed_at,
        row_number() over (partition by setting order by changed_at desc) as recency
    from {{ source('app', 'policy_override') }}
),

current_values as (
    select
        defaults.setting,
        coalesce(overrides.value, defaults.value) as value,
        defaults.description,
        defaults.value as default_value,
        overrides.changed_by,
        overrides.changed_at
    from defaults
    left join overrides on overrides.setting = defaults.setting and overrides.recency = 1
)

select * from current_values
