-- materialized: table
-- One row per rule (issue 13): its citations joined in mapping order (basis, e.g. 《杭锦旗预算绩效运行监控管理办法
-- （试行）》第四条) and the same with each quoted phrase in brackets (basis_quote: 《…》第四条（“对低效无效资金一律削减
-- 或取消”）), the tooltip on pages and the text in documents.
-- Every model, page, export and report that cites a rule reads it from here.
with citations as (
    select * from {{ ref('rule_citation_current') }}
),

joined as (
    select
        rule_key,
        min(rule_name) as rule_name,
        string_agg(citation, '；' order by sort_order, citation) as basis,
        string_agg(
            citation || coalesce('（“' || quote || '”）', ''), '；' order by sort_order, citation
        ) as basis_quote,
        bool_and(mapped) as mapped
    from citations
    group by rule_key
)

select * from joined
