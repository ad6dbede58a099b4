-- materialized: table
-- Each rule's citations in force (issue 13): the rule_citation seed's mapping, or a 管理员's latest mapping of the
-- rule (rule_citation_override, migration 0030), resolved against the articles in force (regulation_current).
-- An article key not in force resolves to nothing; a rule left with no article gets one row 未对应条款 (mapped =
-- false) — never another rule's or another table's citation.
with rules as (
    select * from {{ ref('rule_catalog') }}
),

default_mapping as (
    select * from {{ ref('rule_citation') }}
),

articles as (
    select * from {{ ref('regulation_current') }}
),

override_changes as (
    select
        rule_key,
        change_id,
        row_number() over (partition by rule_key order by max(changed_at) desc, change_id desc) as recency
    from {{ source('app', 'rule_citation_override') }}
    group by rule_key, change_id
),

overridden as (
    select rule_citation_override.rule_key, rule_citation_override.article_key, rule_citation_override.sort_order
    from {{ source('app', 'rule_citation_override') }}
    inner join override_changes
        on rule_citation_override.rule_key = override_changes.rule_key
        and rule_citation_override.change_id = override_changes.change_id
        and override_changes.recency = 1
),

mapping as (
    select rule_key, article_key, sort_order from overridden
    union all
    select rule_key, article_key, sort_order from default_mapping
    where rule_key not in (select rule_key from overridden)
),

resolved as (
    select
        mapping.rule_key,
        mapping.sort_order,
        articles.article_key,
        articles.citation,
        articles.quote
    from mapping
    inner join articles on mapping.article_key = articles.article_key
),

cited as (
    select
        rules.rule_key,
        rules.rule_name,
        rules.produces,
        resolved.sort_order,
        resolved.article_key,
        coalesce(resolved.citation, '未对应条款') as citation,
        resolved.quote,
        resolved.article_key is not null as mapped
    from rules
    left join resolved on rules.rule_key = resolved.rule_key
)

select * from cited
